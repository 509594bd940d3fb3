package io.digitstream.classifier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own checks on {@code deploy/prometheus/}: the configuration, the alerting rules and their unit tests
 * ({@code promtool test rules}), and what an operator needs on every alert. {@code .ci/run} installs promtool
 * (Debian package {@code prometheus}); without it the promtool checks are skipped and say so.
 */
class PrometheusRulesIT {

    private static final Set<String> SEVERITIES = Set.of("warning", "critical");
    /** Alerts that fire at once: an event that happened, not a state that lasts. */
    private static final Set<String> WITHOUT_FOR = Set.of("DigitsModelReloadRejected");
    private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)\\s*$");
    private static final Pattern RUNBOOK = Pattern.compile("runbook_url:\\s*\"docs/operations\\.md#([a-z0-9-]+)\"");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{2,6}\\s+(.+?)\\s*$");

    @Test
    void configIsValid() throws Exception {
        assertThat(promtool("check", "config", inPrometheusDir(MonitoringFiles.PROMETHEUS_CONFIG)))
                .contains("SUCCESS").contains("rule files found");
    }

    @Test
    void rulesAreValid() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        MonitoringFiles.ruleFiles().forEach(f -> args.add(inPrometheusDir(f)));
        assertThat(MonitoringFiles.ruleFiles()).isNotEmpty();
        assertThat(promtool(args.toArray(String[]::new))).contains("SUCCESS");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        MonitoringFiles.files(MonitoringFiles.RULE_TESTS, ".yml").forEach(f -> args.add(inPrometheusDir(f)));
        assertThat(args).hasSizeGreaterThan(2);
        assertThat(promtool(args.toArray(String[]::new))).contains("SUCCESS");
    }

    @Test
    void everyAlertIsTestedAndCarriesWhatAnOperatorNeeds() throws IOException {
        Set<String> anchors = headingAnchors(Files.readString(Path.of("..", "docs", "operations.md")));
        String tests = MonitoringFiles.files(MonitoringFiles.RULE_TESTS, ".yml").stream()
                .map(PrometheusRulesIT::read).collect(Collectors.joining("\n"));
        List<String> names = new ArrayList<>();
        for (Path file : MonitoringFiles.ruleFiles()) {
            String rules = Files.readString(file);
            Matcher alert = ALERT.matcher(rules);
            List<Integer> starts = new ArrayList<>();
            while (alert.find()) {
                starts.add(alert.start());
                names.add(alert.group(1));
            }
            for (int i = 0; i < starts.size(); i++) {
                String rule = rules.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : rules.length());
                String name = names.get(names.size() - starts.size() + i);
                assertThat(rule).as(name).containsPattern("\\n\\s+expr:").contains("summary:", "description:");
                Matcher severity = Pattern.compile("severity:\\s*(\\w+)").matcher(rule);
                assertThat(severity.find()).as("severity of %s", name).isTrue();
                assertThat(severity.group(1)).as("severity of %s", name).isIn(SEVERITIES);
                if (!WITHOUT_FOR.contains(name)) {
                    assertThat(rule).as("for: of %s", name).containsPattern("\\n\\s+for:\\s*\\d+[smh]");
                }
                Matcher runbook = RUNBOOK.matcher(rule);
                assertThat(runbook.find()).as("runbook_url of %s", name).isTrue();
                assertThat(runbook.group(1)).as("runbook of %s", name).isEqualTo("alert-" + name.toLowerCase(Locale.ROOT));
                assertThat(anchors).as("headings of docs/operations.md").contains(runbook.group(1));
                assertThat(tests).as("promtool tests of %s", name).contains("alertname: " + name + "\n");
            }
        }
        assertThat(names).contains("DigitsClassifierDown", "DigitsClassifierAbsent", "DigitsAccuracyLow",
                "DigitsDeadLetterRateHigh", "DigitsReviewRateSpike", "DigitsConsumerLagHigh").doesNotHaveDuplicates();
    }

    /** The anchors GitHub gives Markdown headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> headingAnchors(String markdown) {
        Matcher m = HEADING.matcher(markdown);
        Set<String> anchors = new java.util.HashSet<>();
        while (m.find()) {
            anchors.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** promtool runs in deploy/prometheus, as a person would run it (the rule tests name their rules relatively). */
    private static String inPrometheusDir(Path file) {
        return MonitoringFiles.PROMETHEUS.relativize(file).toString();
    }

    private static String promtool(String... args) throws Exception {
        Path promtool = MonitoringFiles.onPath("promtool");
        assumeTrue(promtool != null, "promtool not on PATH: install Debian's prometheus package to run this");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(MonitoringFiles.PROMETHEUS.toFile())
                .redirectErrorStream(true).start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output;
    }
}

package io.digitstream.classifier.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's Prometheus and Grafana files ({@code deploy/prometheus/}, {@code grafana/}) and the PromQL queries in
 * them. Tests run in the module's folder, so the files are one level up.
 */
final class MonitoringFiles {

    static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus");
    static final Path PROMETHEUS_CONFIG = PROMETHEUS.resolve("prometheus.yml");
    static final Path RULES = PROMETHEUS.resolve("rules");
    static final Path RULE_TESTS = PROMETHEUS.resolve("tests");
    static final Path GRAFANA = Path.of("..", "grafana");
    static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
    static final Path DATASOURCES = GRAFANA.resolve("provisioning").resolve("datasources");
    /** The uid every dashboard names and the provisioned datasource has. */
    static final String DATASOURCE_UID = "digits-prometheus";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Grafana's {@code label_values(<series selector>, <label>)} variable query. */
    private static final Pattern LABEL_VALUES = Pattern.compile("\\s*label_values\\((.+),\\s*\\w+\\s*\\)\\s*");
    private static final Pattern EXPR = Pattern.compile("^(\\s*)(?:- )?expr:\\s*(.*)$");

    private MonitoringFiles() {
    }

    /** A PromQL query and where it comes from, for messages. */
    record Query(String source, String expr) {
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static List<Path> ruleFiles() throws IOException {
        return files(RULES, ".yml");
    }

    static List<Path> dashboards() throws IOException {
        return files(DASHBOARDS, ".json");
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Every {@code expr} of every rule file and every panel target of every dashboard. */
    static List<Query> allQueries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path rules : ruleFiles()) {
            for (String expr : ruleExpressions(Files.readAllLines(rules))) {
                queries.add(new Query(rules.getFileName().toString(), expr));
            }
        }
        for (Path dashboard : dashboards()) {
            JsonNode json = json(dashboard);
            String name = dashboard.getFileName().toString();
            collectTargets(json, name, queries);
            for (JsonNode variable : json.path("templating").path("list")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText("") : query.asText("");
                Matcher labelValues = LABEL_VALUES.matcher(text);
                if ("query".equals(variable.path("type").asText()) && labelValues.matches()) {
                    queries.add(new Query(name + " / $" + variable.path("name").asText(), labelValues.group(1)));
                }
            }
        }
        return queries;
    }

    /** The {@code expr:} values of a rules file: one line, or a {@code |}/{@code >} block of deeper-indented lines. */
    static List<String> ruleExpressions(List<String> lines) {
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = EXPR.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String value = m.group(2).strip();
            if (!value.startsWith("|") && !value.startsWith(">")) {
                exprs.add(unquote(value));
                continue;
            }
            int indent = m.group(1).length();
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                    || leadingSpaces(lines.get(i + 1)) > indent)) {
                block.append(lines.get(++i).strip()).append('\n');
            }
            exprs.add(block.toString().strip());
        }
        return exprs;
    }

    private static void collectTargets(JsonNode node, String source, List<Query> queries) {
        if (node.isObject()) {
            JsonNode targets = node.path("targets");
            String title = node.path("title").asText("");
            for (JsonNode target : targets) {
                if (target.hasNonNull("expr")) {
                    queries.add(new Query(source + " / " + title, target.get("expr").asText()));
                }
            }
            node.elements().forEachRemaining(child -> collectTargets(child, source, queries));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectTargets(child, source, queries));
        }
    }

    /** Every panel of a dashboard, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static int leadingSpaces(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The path of an executable on the {@code PATH}, or {@code null}. */
    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }
}

package io.digitstream.classifier.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.contract.ConfusionMatrix;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own linter on what {@code /metrics} serves: names, units, help texts and types. {@code .ci/run}
 * installs promtool (Debian package {@code prometheus}); without it the test is skipped and says so.
 */
class PromtoolCheckIT {

    private static final Set<String> MICROMETER_STANDARD_NAMES = Set.of("process_cpu_time_ns_total",
            "system_cpu_count");

    @Test
    void scrapedMetricsPassPromtoolCheck() throws Exception {
        assumeTrue(promtoolInstalled(), "promtool not on PATH: install Debian's prometheus package to run this");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClassifierMetrics metrics = new ClassifierMetrics();
        // the JVM's and the process's meters beside the classifier's, as ClassifierApplication binds them
        try (JvmGcMetrics gcMetrics = new JvmGcMetrics();
             MetricsHttpServer server = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.READY)) {
            for (MeterBinder binder : List.of(metrics, new JvmMemoryMetrics(), gcMetrics, new JvmThreadMetrics(),
                    new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics())) {
                binder.bindTo(registry);
            }
            // every kind of meter the classifier has, each with at least one series
            metrics.modelLoaded("1.0.0", "abc123", Instant.ofEpochSecond(1_700_000_000L));
            metrics.recordPrediction(7, "1.0.0", true, 200_000, 15);
            metrics.recordInvalid("not-an-image");
            metrics.recordRejected(ClassifierMetrics.REJECTED_NOT_A_DIGIT);
            ConfusionMatrix counts = ConfusionMatrix.emptyDigits().add(7, 7).add(7, 1);
            metrics.cumulativeAccuracy("1.0.0", counts, 1);
            metrics.windowAccuracy("1.0.0", 1_700_000_000_000L, counts, 1);
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.body()).contains("digits_accuracy_ratio{", "digits_labelled_predictions{",
                    "digits_rejected_total{", "digits_accuracy_rejected{",
                    "digits_inference_seconds_bucket{", "digits_model_info{", "jvm_memory_used_bytes{");

            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = promtool.getOutputStream()) {
                in.write(scrape.body().getBytes(StandardCharsets.UTF_8));
            }
            String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            // Micrometer's standard processor meters keep their well-known names, which promtool's naming lint dislikes;
            // anything else it finds, ours above all, fails the test
            List<String> findings = report.lines().filter(line -> !line.isBlank())
                    .filter(line -> !MICROMETER_STANDARD_NAMES.contains(line.split(" ", 2)[0])).toList();
            assertThat(findings).as("promtool's findings").isEmpty();
        } finally {
            registry.close();
        }
    }

    private static boolean promtoolInstalled() throws IOException {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return true;
            }
        }
        return false;
    }
}

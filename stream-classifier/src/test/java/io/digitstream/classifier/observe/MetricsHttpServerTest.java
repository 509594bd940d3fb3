package io.digitstream.classifier.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints as Prometheus and Kubernetes see them: real HTTP on loopback. */
class MetricsHttpServerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws IOException {
        metrics.bindTo(registry);
        server = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.of(ready::get));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesTheClassifierMetricsInPrometheusFormat() throws Exception {
        metrics.modelLoaded("1.0.0", "abc123", Instant.ofEpochSecond(1_700_000_000L));
        metrics.recordPrediction(7, "1.0.0", false, 200_000, 15);
        metrics.recordPrediction(7, "1.0.0", true, 300_000, 25);
        metrics.recordInvalid("not-an-image");

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsHttpServer.PROMETHEUS_CONTENT_TYPE);
        assertThat(response.body())
                .contains("digits_predictions_total{digit=\"7\",model_version=\"1.0.0\"} 2.0")
                .contains("digits_invalid_events_total{reason=\"not-an-image\"} 1.0")
                .contains("digits_low_confidence_total 1.0")
                .contains("digits_inference_seconds_bucket")
                .contains("digits_end_to_end_latency_seconds_count 2")
                .contains("digits_model_info{model_version=\"1.0.0\",sha256=\"abc123\"} 1")
                .contains("digits_model_loaded_timestamp_seconds{model_version=\"1.0.0\",sha256=\"abc123\"} 1.7E9");
    }

    @Test
    void everyMeterHasADescription() throws Exception {
        metrics.recordPrediction(1, "v", false, 1_000, 1);
        String body = get("/metrics").body();
        long types = body.lines().filter(l -> l.startsWith("# TYPE ")).count();
        long helps = body.lines().filter(l -> l.startsWith("# HELP ") && l.split(" ", 4).length == 4
                && !l.split(" ", 4)[3].isBlank()).count();
        assertThat(types).isPositive();
        assertThat(helps).isEqualTo(types);
    }

    @Test
    void reloadingTheModelReplacesItsInfo() throws Exception {
        metrics.modelLoaded("1.0.0", "aaa", Instant.now());
        metrics.modelLoaded("1.1.0", "bbb", Instant.now());
        String body = get("/metrics").body();
        assertThat(body).contains("digits_model_info{model_version=\"1.1.0\",sha256=\"bbb\"} 1")
                .doesNotContain("sha256=\"aaa\"");
    }

    @Test
    void readinessFollowsTheApplicationWhileLivenessIsAlwaysUp() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

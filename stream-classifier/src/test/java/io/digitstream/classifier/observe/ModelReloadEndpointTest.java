package io.digitstream.classifier.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.classifier.ModelFiles;
import io.digitstream.classifier.ReloadableDigitClassifier;
import io.digitstream.classifier.ServedModel;
import io.digitstream.core.Sha256;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /model/reload} over real HTTP, reloading a real model file. */
class ModelReloadEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClassifierMetrics metrics = new ClassifierMetrics(registry);
    private final HttpClient http = HttpClient.newHttpClient();
    private Path file;
    private ReloadableDigitClassifier classifier;
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws IOException {
        file = dir.resolve("model.onnx");
        Files.write(file, ModelFiles.original());
        classifier = ReloadableDigitClassifier.open(file, metrics);
        server = MetricsHttpServer.start("127.0.0.1", 0, registry, () -> true, classifier::reload);
    }

    @AfterEach
    void stop() {
        server.close();
        classifier.close();
        metrics.close();
    }

    @Test
    void postReloadsAndAnswersWithTheNewModel() throws Exception {
        byte[] v2 = ModelFiles.withVersion("v2");
        ModelFiles.replace(file, v2);

        HttpResponse<String> response = send("POST", "/model/reload");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("modelVersion").asText()).isEqualTo("v2");
        assertThat(body.path("sha256").asText()).isEqualTo(Sha256.of(v2));
        assertThat(Instant.parse(body.path("loadedAt").asText())).isEqualTo(classifier.served().loadedAt());
        assertThat(classifier.served().modelVersion()).isEqualTo("v2");
        assertThat(send("GET", "/metrics").body())
                .contains("# HELP digits_model_reloads_total ")
                .contains("digits_model_reloads_total{result=\"loaded\"} 1.0")
                .contains("digits_model_info{model_version=\"v2\"");
    }

    @Test
    void rejectedFileAnswers409WithTheReason() throws Exception {
        ServedModel before = classifier.served();
        ModelFiles.replace(file, ModelFiles.truncated());

        HttpResponse<String> response = send("POST", "/model/reload");

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).contains("cannot load");
        assertThat(classifier.served()).isEqualTo(before);
        assertThat(send("GET", "/metrics").body()).contains("digits_model_reloads_total{result=\"rejected\"} 1.0");
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        ServedModel before = classifier.served();

        assertThat(send("GET", "/model/reload").statusCode()).isEqualTo(405);
        assertThat(send("PUT", "/model/reload").statusCode()).isEqualTo(405);
        assertThat(classifier.served()).isEqualTo(before);
    }

    @Test
    void theOtherEndpointsStillAnswer() throws Exception {
        assertThat(send("GET", "/health/ready").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health/live").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/metrics").statusCode()).isEqualTo(405);
    }

    @Test
    void aServerWithoutAReloadActionHasNoReloadEndpoint() throws Exception {
        try (MetricsHttpServer plain = MetricsHttpServer.start("127.0.0.1", 0, registry, () -> true)) {
            HttpResponse<String> response = http.send(request("POST", plain.port(), "/model/reload"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(request(method, server.port(), path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
    }
}

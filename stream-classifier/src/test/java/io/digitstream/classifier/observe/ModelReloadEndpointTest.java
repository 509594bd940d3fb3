package io.digitstream.classifier.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.classifier.ModelFileWatcher;
import io.digitstream.classifier.ModelFiles;
import io.digitstream.classifier.ModelReloadResult;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /model/reload} over real HTTP, reloading a real model file: the bearer token, and a reload that never
 * holds up {@code /metrics} or the probes.
 */
class ModelReloadEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-admin-token-0123456789abcdef";
    /** Not a timing assertion: a guard that turns a request stuck behind a reload into a failure, not a hang. */
    private static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Path file;
    private ReloadableDigitClassifier classifier;
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws IOException {
        metrics.bindTo(registry);
        file = dir.resolve("model.onnx");
        Files.write(file, ModelFiles.original());
        classifier = ReloadableDigitClassifier.open(file, metrics);
        server = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.READY, classifier::reload, TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
        classifier.close();
    }

    @Test
    void postWithTheTokenReloadsAndAnswersWithTheNewModel() throws Exception {
        byte[] v2 = ModelFiles.withVersion("v2");
        ModelFiles.replace(file, v2);

        HttpResponse<String> response = send(server, "POST", "/model/reload", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("modelVersion").asText()).isEqualTo("v2");
        assertThat(body.path("sha256").asText()).isEqualTo(Sha256.of(v2));
        assertThat(Instant.parse(body.path("loadedAt").asText())).isEqualTo(classifier.served().loadedAt());
        assertThat(classifier.served().modelVersion()).isEqualTo("v2");
        assertThat(get("/metrics").body())
                .contains("# HELP digits_model_reloads_total ")
                .contains("digits_model_reloads_total{result=\"loaded\"} 1.0")
                .contains("digits_model_info{model_version=\"v2\"");
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        assertThat(send(server, "POST", "/model/reload", "bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectedFileAnswers409WithTheReason() throws Exception {
        ServedModel before = classifier.served();
        ModelFiles.replace(file, ModelFiles.truncated());

        HttpResponse<String> response = send(server, "POST", "/model/reload", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).contains("cannot load");
        assertThat(classifier.served()).isEqualTo(before);
        assertThat(get("/metrics").body()).contains("digits_model_reloads_total{result=\"rejected\"} 1.0");
    }

    @Test
    void withoutATokenTheAnswerIs401WithABearerChallengeAndNothingIsReloaded() throws Exception {
        ServedModel before = classifier.served();
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));

        HttpResponse<String> response = send(server, "POST", "/model/reload", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer ").doesNotContain("invalid_token"));
        assertThat(JSON.readTree(response.body()).path("error").asText()).contains("token");
        assertThat(classifier.served()).isEqualTo(before);
        assertThat(get("/metrics").body()).contains("digits_model_reloads_total{result=\"loaded\"} 0.0")
                .contains("digits_model_reloads_total{result=\"rejected\"} 0.0");
    }

    @Test
    void aWrongTokenIsRefusedWhateverItsLengthOrScheme() throws Exception {
        ServedModel before = classifier.served();
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));
        String sameLength = TOKEN.substring(0, TOKEN.length() - 1) + "X";
        List<String> wrong = List.of("Bearer " + sameLength, "Bearer " + TOKEN.substring(0, 16),
                "Bearer " + TOKEN + "0", "Bearer", "Bearer ", TOKEN, "Basic " + TOKEN, "Token " + TOKEN);

        for (String authorization : wrong) {
            HttpResponse<String> response = send(server, "POST", "/model/reload", authorization);

            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(authorization)
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer "));
        }
        assertThat(send(server, "POST", "/model/reload", "Bearer " + sameLength).headers()
                .firstValue("WWW-Authenticate")).hasValueSatisfying(c -> assertThat(c).contains("invalid_token"));
        assertThat(classifier.served()).isEqualTo(before);
    }

    @Test
    void twoAuthorizationHeadersAreRefusedEvenIfOneIsRight() throws Exception {
        HttpRequest request = request(server, "POST", "/model/reload")
                .header("Authorization", "Bearer wrong-token-0123456789")
                .header("Authorization", "Bearer " + TOKEN)
                .build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        ServedModel before = classifier.served();

        HttpResponse<String> get = send(server, "GET", "/model/reload", "Bearer " + TOKEN);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send(server, "PUT", "/model/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(405);
        assertThat(send(server, "GET", "/model/reload", null).statusCode()).isEqualTo(401);
        assertThat(classifier.served()).isEqualTo(before);
    }

    @Test
    void theOtherEndpointsNeedNoToken() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
        assertThat(send(server, "POST", "/metrics", null).statusCode()).isEqualTo(405);
    }

    @Test
    void withoutAnAdminTokenTheEndpointIsOffAndTheFileWatchStillReloads() throws Exception {
        try (MetricsHttpServer noToken = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.READY,
                classifier::reload, "");
             ModelFileWatcher watcher = ModelFileWatcher.start(classifier, Duration.ofMillis(20))) {
            ModelFiles.replace(file, ModelFiles.withVersion("v2"));

            assertThat(send(noToken, "POST", "/model/reload", null).statusCode()).isEqualTo(404);
            assertThat(send(noToken, "POST", "/model/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
            assertThat(send(noToken, "GET", "/health/live", null).statusCode()).isEqualTo(200);
            assertThat(watcher.isWatching()).isTrue();
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (!classifier.served().modelVersion().equals("v2") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(classifier.served().modelVersion()).isEqualTo("v2");
        }
    }

    @Test
    void aServerWithoutAReloadActionHasNoReloadEndpoint() throws Exception {
        try (MetricsHttpServer plain = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.READY)) {
            assertThat(send(plain, "POST", "/model/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void probesAndMetricsAnswerWhileAReloadIsBlockedAndFurtherReloadsGet429() throws Exception {
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));
        BlockingReload reload = new BlockingReload(classifier::reload);
        try (MetricsHttpServer blocking = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.READY, reload,
                TOKEN)) {
            CompletableFuture<HttpResponse<String>> first = sendAsync(blocking, "POST", "/model/reload");
            assertThat(reload.started.await(GUARD.toMillis(), TimeUnit.MILLISECONDS)).as("the reload started").isTrue();

            // more reloads than the server has HTTP threads, all at once, while the first one is blocked
            List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                more.add(sendAsync(blocking, "POST", "/model/reload"));
            }
            for (CompletableFuture<HttpResponse<String>> response : more) {
                HttpResponse<String> busy = response.get(GUARD.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(busy.statusCode()).isEqualTo(429);
                assertThat(busy.headers().firstValue("Retry-After")).isPresent();
                assertThat(JSON.readTree(busy.body()).path("error").asText()).contains("reload in progress");
            }
            for (int i = 0; i < 3; i++) {
                assertThat(send(blocking, "GET", "/health/live", null).statusCode()).isEqualTo(200);
                assertThat(send(blocking, "GET", "/health/ready", null).statusCode()).isEqualTo(200);
                assertThat(send(blocking, "GET", "/metrics", null).body()).contains("digits_model_info");
            }
            assertThat(first).isNotDone();
            assertThat(reload.calls).hasValue(1);
            assertThat(reload.thread).hasValue(ModelReloadEndpoint.THREAD_NAME);

            reload.release.countDown();
            HttpResponse<String> done = first.get(GUARD.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(done.body()).path("modelVersion").asText()).isEqualTo("v2");
            // the next one is admitted again
            assertThat(send(blocking, "POST", "/model/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(reload.calls).hasValue(2);
        }
    }

    @Test
    void aReloadThatThrowsAnswers500AndTheNextOneRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Supplier<ModelReloadResult> failingOnce = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return classifier.reload();
        };
        try (MetricsHttpServer failing = MetricsHttpServer.start("127.0.0.1", 0, registry, Readiness.READY, failingOnce,
                TOKEN)) {
            HttpResponse<String> failed = send(failing, "POST", "/model/reload", "Bearer " + TOKEN);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(failed.body()).path("error").asText()).contains("boom");

            assertThat(send(failing, "POST", "/model/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(calls).hasValue(2);
        }
    }

    /** A reload that waits for {@link #release} before it runs {@code delegate}, and notes where it ran. */
    private static final class BlockingReload implements Supplier<ModelReloadResult> {

        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<String> thread = new AtomicReference<>();
        private final Supplier<ModelReloadResult> delegate;

        BlockingReload(Supplier<ModelReloadResult> delegate) {
            this.delegate = delegate;
        }

        @Override
        public ModelReloadResult get() {
            calls.incrementAndGet();
            thread.set(Thread.currentThread().getName());
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while blocked", e);
            }
            return delegate.get();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(server, "GET", path, null);
    }

    private HttpResponse<String> send(MetricsHttpServer target, String method, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(target, method, path);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(MetricsHttpServer target, String method, String path) {
        return http.sendAsync(request(target, method, path).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(MetricsHttpServer target, String method, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(GUARD)
                .method(method, HttpRequest.BodyPublishers.noBody());
    }
}

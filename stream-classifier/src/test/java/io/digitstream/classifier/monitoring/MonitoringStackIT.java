package io.digitstream.classifier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.observe.PrometheusScrape;
import io.digitstream.contract.ImageHeaders;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.KafkaFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and alerts against the real classifier: it classifies labelled MNIST images from a real broker, and
 * every metric a dashboard or rule queries must be in its {@code /metrics}; then a real Prometheus (Debian's package)
 * scrapes it with the project's own configuration and answers the accuracy and throughput queries.
 */
class MonitoringStackIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final Path MODEL = Path.of("..", "models", "digits-cnn.onnx");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int FIRST_BATCH = 100;
    private static final int SECOND_BATCH = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path stateDir;

    private static ClassifierApplication app;
    private static ClassifierConfig config;
    private static MnistDataset mnist;

    @BeforeAll
    static void classifySomeImages() throws Exception {
        mnist = MnistSamples.test500();
        config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, "monitoring-it")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        app = ClassifierApplication.start(config, MODEL, 0);
        awaitTrue("the classifier to be ready", () -> get(app.metricsPort(), "/health/ready").statusCode() == 200);
        produce(0, FIRST_BATCH, true);
        // a reload, so that the reload panels and the alert have a non-zero series to work on
        assertThat(app.reloadModel().loaded()).isTrue();
        // the GC pause meters appear at the first pause, which a short test may not have had
        System.gc();
        awaitTrue("every image classified, the bad record dead-lettered, the accuracy and a GC pause exported", () -> {
            String scrape = scrape();
            return PrometheusScrape.sum(scrape, "digits_predictions_total") >= FIRST_BATCH
                    && PrometheusScrape.sum(scrape, "digits_invalid_events_total") >= 1
                    && cumulativeCounted(scrape) >= FIRST_BATCH
                    && scrape.contains("jvm_gc_pause_seconds_count");
        });
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyMetricThatADashboardOrAlertQueriesIsExported() throws Exception {
        String scrape = scrape();
        Set<String> exported = sampleNames(scrape);
        Path saved = Path.of("target", "monitoring-scrape.txt");
        Files.writeString(saved, scrape); // for whoever writes the next panel

        List<MonitoringFiles.Query> queries = MonitoringFiles.allQueries();
        assertThat(queries).as("queries in the rules and dashboards").hasSizeGreaterThan(20);
        Set<String> queried = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (MonitoringFiles.Query query : queries) {
            Set<String> names = PromqlNames.of(query.expr());
            assertThat(names).as("metrics read by %s: %s", query.source(), query.expr()).isNotEmpty();
            for (String name : names) {
                queried.add(name);
                // up is Prometheus's own series about the scrape
                if (!name.equals("up") && !exported.contains(name)) {
                    missing.add(name + " (" + query.source() + ")");
                }
            }
        }
        System.out.println("metrics queried by the dashboards and rules: " + queried);
        assertThat(missing).as("queried but not in the classifier's /metrics (saved in %s)", saved).isEmpty();
    }

    @Test
    void prometheusScrapesTheClassifierWithTheProjectConfig(@TempDir Path dir) throws Exception {
        Path prometheus = MonitoringFiles.onPath("prometheus");
        assumeTrue(prometheus != null, "prometheus not on PATH: install Debian's prometheus package to run this");
        Path config = copyConfig(dir, app.metricsPort());
        int port = freePort();
        Process process = new ProcessBuilder(prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
            awaitTrue("Prometheus to be ready", () -> get(port, "/-/ready").statusCode() == 200);
            awaitQuery(port, "up{job=\"digits-classifier\"} == 1", v -> v == 1);
            produce(FIRST_BATCH, FIRST_BATCH + SECOND_BATCH, false);

            double accuracy = awaitQuery(port,
                    "max by (model_version) (digits_accuracy_ratio{job=\"digits-classifier\",scope=\"cumulative\"})",
                    v -> v > 0);
            assertThat(accuracy).as("cumulative accuracy of the shipped model").isGreaterThan(0.95);
            double classified = awaitQuery(port,
                    "sum(increase(digits_predictions_total{job=\"digits-classifier\"}[1m]))", v -> v > 0);
            assertThat(classified).as("images classified in the last minute").isPositive();
            awaitQuery(port, "sum(rate(digits_predictions_total{job=\"digits-classifier\"}[30s]))", v -> v > 0);

            assertThat(dashboardQueriesWithoutData(port)).as("dashboard queries that return nothing").isEmpty();

            JsonNode rules = JSON.readTree(get(port, "/api/v1/rules").body()).path("data").path("groups");
            List<String> alerts = new ArrayList<>();
            for (JsonNode group : rules) {
                for (JsonNode rule : group.path("rules")) {
                    alerts.add(rule.path("name").asText());
                    assertThat(rule.path("health").asText()).as("health of rule %s: %s", rule.path("name"),
                            rule.path("lastError")).isIn("ok", "unknown");
                }
            }
            assertThat(alerts).as("alerting rules Prometheus loaded").contains("DigitsClassifierDown",
                    "DigitsAccuracyLow", "DigitsConsumerLagHigh");
        } catch (AssertionError | RuntimeException e) {
            System.err.println("Prometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
            throw e;
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Every dashboard query but those that need history, with Grafana's variables filled in, run until each returns at least one series (within
     * one bounded wait): a label matcher that matches nothing shows here, where the name check cannot see it.
     */
    private static List<String> dashboardQueriesWithoutData(int port) throws Exception {
        String version = queryResult(port, "digits_model_info").path(0).path("metric").path("model_version").asText();
        List<String> pending = new ArrayList<>();
        for (MonitoringFiles.Query query : MonitoringFiles.allQueries()) {
            // a query that compares with the past (offset) has nothing to say in a Prometheus a few seconds old
            if (query.source().contains(".json") && !query.expr().contains(" offset ")) {
                pending.add(query.expr().replace("$__rate_interval", "30s").replace("$__range", "5m")
                        .replace("$model_version", version)
                        .replace("$job", "digits-classifier").replace("$instance", ".*"));
            }
        }
        assertThat(pending).hasSizeGreaterThan(20);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            List<String> empty = new ArrayList<>();
            for (String query : pending) {
                if (queryResult(port, query).isEmpty()) {
                    empty.add(query);
                }
            }
            pending = empty;
            if (!pending.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        return pending;
    }

    private static JsonNode queryResult(int port, String query) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/api/v1/query?query=" + URLEncoder.encode(query,
                StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as("Prometheus on %s: %s", query, response.body()).isEqualTo("success");
        return body.path("data").path("result");
    }

    /**
     * The project's prometheus.yml and rules, copied into {@code dir} with a 1 s scrape and evaluation interval and a
     * targets file naming the classifier under test instead of the compose service.
     */
    private static Path copyConfig(Path dir, int metricsPort) throws IOException {
        String original = Files.readString(MonitoringFiles.PROMETHEUS_CONFIG);
        String fast = original.replaceAll("(?m)^(\\s*(?:scrape|evaluation)_interval:)\\s*\\S+", "$1 1s")
                .replaceAll("(?m)^(\\s*scrape_timeout:)\\s*\\S+", "$1 1s")
                .replaceAll("(?m)^(\\s*refresh_interval:)\\s*\\S+", "$1 1s");
        assertThat(fast).as("the copy scrapes every second").contains("scrape_interval: 1s");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), fast);
        Path rules = Files.createDirectories(dir.resolve("rules"));
        for (Path file : MonitoringFiles.ruleFiles()) {
            Files.copy(file, rules.resolve(file.getFileName()));
        }
        Path targets = Files.createDirectories(dir.resolve("targets"));
        Files.writeString(targets.resolve("classifier.json"),
                "[{\"targets\": [\"127.0.0.1:" + metricsPort + "\"], \"labels\": {\"deployment\": \"test\"}}]");
        return config;
    }

    /** Polls an instant query until it has a sample whose value passes {@code accept}; returns that value. */
    private static double awaitQuery(int port, String query, Predicate<Double> accept) throws Exception {
        double[] found = new double[1];
        awaitTrue("Prometheus to answer " + query, () -> {
            for (JsonNode sample : queryResult(port, query)) {
                double value = Double.parseDouble(sample.path("value").path(1).asText());
                if (accept.test(value)) {
                    found[0] = value;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static void produce(int from, int to, boolean withBadRecord) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int n = mnist.pixelsPerImage();
            for (int i = from; i < to; i++) {
                byte[] pixels = Arrays.copyOfRange(mnist.images(), i * n, (i + 1) * n);
                producer.send(new ProducerRecord<>(config.inputTopic(), null, utf8("mnist-" + i), pixels,
                        new RecordHeaders().add(ImageHeaders.LABEL,
                                utf8(Integer.toString(mnist.label(i))))));
            }
            if (withBadRecord) {
                producer.send(new ProducerRecord<>(config.inputTopic(), utf8("bad-text"), utf8("hello, digits")));
            }
            producer.flush();
        }
    }

    /** The names of the samples in a scrape: a histogram's {@code _bucket}, {@code _sum} and {@code _count}. */
    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** Labelled predictions counted cumulatively: those in the accuracy, plus those rejected as not-a-digit. */
    private static double cumulativeCounted(String scrape) {
        double counted = 0;
        for (String metric : new String[] {"digits_accuracy_labelled", "digits_accuracy_rejected"}) {
            Matcher m = Pattern.compile("(?m)^" + metric + "\\{[^}]*scope=\"cumulative\"[^}]*} (\\S+)$")
                    .matcher(scrape);
            counted += m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
        return counted;
    }

    private static String scrape() throws IOException, InterruptedException {
        return get(app.metricsPort(), "/metrics").body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException e) {
                last = e; // a server still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("gave up after " + WAIT + " waiting for " + what, last);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send("GET", port, path);
    }

    private static HttpResponse<String> send(String method, int port, String path)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.PredictionEvent;
import io.digitstream.localbroker.KafkaFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The running application swaps its model when the file changes, and names the new one in its predictions. */
class ClassifierApplicationReloadIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    /** Generous bounds on waiting for the broker, the streams app and the watcher; past them the test fails. */
    private static final String ADMIN_TOKEN = "reload-test-admin-token-0123456789";
    private static final long WAIT_MILLIS = Duration.ofMinutes(3).toMillis();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void changedModelFileIsServedAndNamedInPredictions() throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, ModelFiles.original());
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-reload-it")
                .with(ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, "PT0.1S")
                .with(ClassifierConfig.KEY_ADMIN_TOKEN, ADMIN_TOKEN)
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                        Files.createDirectory(dir.resolve("state")).toString());

        try (ClassifierApplication app = ClassifierApplication.start(config, file, 0)) {
            assertThat(app.servedModel().modelVersion()).isEqualTo(ModelFiles.metadata().modelVersion());

            ModelFiles.replace(file, ModelFiles.withVersion("v2"));
            assertThat(await(() -> app.servedModel().modelVersion().equals("v2"))).isTrue();

            // a bad file on POST /model/reload: rejected, and v2 goes on serving
            ModelFiles.replace(file, ModelFiles.truncated());
            assertThat(post(app.metricsPort(), "/model/reload", "Bearer not-the-admin-token").statusCode())
                    .isEqualTo(401);
            HttpResponse<String> rejected = post(app.metricsPort(), "/model/reload", "Bearer " + ADMIN_TOKEN);
            assertThat(rejected.statusCode()).isEqualTo(409);
            assertThat(rejected.body()).contains("\"error\"");
            assertThat(app.servedModel().modelVersion()).isEqualTo("v2");

            assertThat(await(app::isReady)).isTrue();
            produce(config.inputTopic(), ModelFiles.metadata().checkDigits().get(0).pixels());
            PredictionEvent prediction = PredictionEvent.fromJson(consumeOne(config.predictionsTopic()).value());
            assertThat(prediction.modelVersion()).isEqualTo("v2");
            assertThat(prediction.digit()).isEqualTo(ModelFiles.metadata().checkDigits().get(0).label());
        }
    }

    private boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private void produce(String topic, byte[] image) throws Exception {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "after-reload".getBytes(StandardCharsets.UTF_8), image)).get();
        }
    }

    private ConsumerRecord<byte[], byte[]> consumeOne(String topic) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reload-test-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no prediction on " + topic + " within " + WAIT_MILLIS + " ms");
    }

    private HttpResponse<String> post(int port, String path, String authorization)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}

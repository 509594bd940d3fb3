package io.digitstream.classifier;

import static io.digitstream.classifier.MnistTraffic.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.PoisonCorpus.Poison;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.LocalKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter topic deleted mid-stream on a broker that does not create topics on its own: the classifier says
 * so in readiness, loses nothing while it is gone, and goes on when it is created again.
 */
class DeadLetterTopicOutageIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration GONE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void recordsBoundForAMissingDeadLetterTopicWaitForItAndNothingIsLost() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dir.resolve("kafka"))
                .withPort(0).withAutoCreateTopics(false))) {
            ClassifierConfig config = ClassifierConfig.defaults()
                    .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                    .with(ClassifierConfig.KEY_APPLICATION_ID, "dlq-outage")
                    .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                            dir.resolve("state").toString());
            List<Poison> bad = PoisonCorpus.all(config.inputTopic(), config.labelsTopic(),
                    java.util.Arrays.copyOfRange(mnist.images(), 0, 784), 1024).stream()
                    .filter(p -> Set.of("empty", "text", "bad-json", "control-key", "label-not-a-digit")
                            .contains(p.name()))
                    .toList();
            try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                         broker.bootstrapServers()))) {
                awaitUntil(WAIT, app::isReady);
                admin.deleteTopics(List.of(config.dlqTopic())).all().get();
                awaitUntil(WAIT, () -> app.notReadyReason().isPresent());
                HttpResponse<String> probe = get(app.metricsPort(), "/health/ready");
                assertThat(probe.statusCode()).isEqualTo(503);
                assertThat(probe.body()).contains(config.dlqTopic()).contains("missing");

                try (KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(broker.bootstrapServers())) {
                    for (int i = 0; i < 200; i++) {
                        producer.send(MnistTraffic.labelledImage(config.inputTopic(), mnist, i));
                        if (i % 40 == 0) {
                            producer.send(bad.get(i / 40).record());
                        }
                    }
                    producer.flush();
                }
                Thread.sleep(GONE.toMillis());
                assertThat(app.state()).as("while the dead-letter topic is gone")
                        .isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING);
                admin.createTopics(List.of(new NewTopic(config.dlqTopic(), Optional.of(config.topicPartitions()),
                        Optional.empty()).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(config.recordMaxBytes()))))).all().get();
                long back = System.nanoTime();

                try (CommittedRecords out = new CommittedRecords(broker.bootstrapServers(), config.topicPartitions(),
                        config.predictionsTopic(), config.dlqTopic())) {
                    out.awaitUntil("every prediction and dead letter", WAIT,
                            () -> out.count(config.predictionsTopic()) >= 200
                                    && out.count(config.dlqTopic()) >= bad.size());
                    long recovered = System.nanoTime() - back;
                    out.drain(WAIT);
                    MnistTraffic.assertEachImageClassifiedOnceAsOffline(out.of(config.predictionsTopic()),
                            mnist.select(java.util.stream.IntStream.range(0, 200).toArray()),
                            MnistTraffic.offlineDigits(mnist.select(java.util.stream.IntStream.range(0, 200)
                                    .toArray())));
                    Map<String, String> reasons = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> dead : out.of(config.dlqTopic())) {
                        String name = utf8(dead.headers().lastHeader(PoisonCorpus.CASE_HEADER).value());
                        assertThat(reasons.put(name, utf8(dead.headers().lastHeader("error.reason").value())))
                                .as("dead letters of " + name).isNull();
                    }
                    Map<String, String> expected = new HashMap<>();
                    bad.forEach(p -> expected.put(p.name(), p.reason()));
                    assertThat(reasons).isEqualTo(expected);
                    awaitUntil(WAIT, app::isReady);
                    System.out.printf("dead-letter topic gone %d s: all 200 predictions and %d dead letters %d ms "
                            + "after it was back, each once%n", GONE.toSeconds(), bad.size(),
                            Duration.ofNanos(recovered).toMillis());
                }
            }
        }
    }

    private static void awaitUntil(Duration timeout, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

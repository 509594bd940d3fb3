package io.digitstream.classifier;

import static io.digitstream.classifier.MnistTraffic.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.PoisonCorpus.Poison;
import io.digitstream.classifier.observe.PrometheusScrape;
import io.digitstream.contract.DeadLetter;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.KafkaFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poison records seen in the field, against a real broker under exactly-once: a JSON event under a 600 KB key
 * (its prediction would exceed max.request.size and used to stop every instance for good), a key of control
 * characters, a dead letter larger than its topic takes, and every other dead-letter reason. Each must end as
 * exactly one dead letter with its reason, the images around them as predictions, and the classifier must stay up.
 */
class PoisonRecordsIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final Duration WAIT = Duration.ofMinutes(3);
    /** A dead-letter topic someone else created, taking less than the classifier's record limit. */
    private static final int DLQ_LIMIT = 2 * 1024 * 1024;

    @TempDir
    Path stateDir;

    @Test
    void everyPoisonRecordBecomesOneDeadLetterWithItsReasonAndTheStreamGoesOn() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                .with(ClassifierConfig.KEY_APPLICATION_ID, "poison")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(config.dlqTopic(), Optional.of(config.topicPartitions()),
                    Optional.empty()).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(DLQ_LIMIT))))).all().get();
        }
        byte[] digit = Arrays.copyOfRange(mnist.images(), 0, 784);
        // close to the input topic's limit (the classifier creates it with record.max.bytes)
        List<Poison> corpus = PoisonCorpus.all(config.inputTopic(), config.labelsTopic(), digit,
                config.recordMaxBytes() - 4096);

        try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
             CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                     config.predictionsTopic(), config.dlqTopic())) {
            try (KafkaProducer<byte[], byte[]> producer = bigRecordProducer()) {
                for (int i = 0; i < 100; i++) {
                    producer.send(MnistTraffic.labelledImage(config.inputTopic(), mnist, i));
                }
                for (Poison poison : corpus) {
                    producer.send(poison.record()).get();
                }
                for (int i = 100; i < 200; i++) {
                    producer.send(MnistTraffic.labelledImage(config.inputTopic(), mnist, i));
                }
            }
            out.awaitUntil("every prediction and dead letter", WAIT, () -> out.count(config.predictionsTopic()) >= 200
                    && out.count(config.dlqTopic()) >= corpus.size());
            out.drain(WAIT);

            MnistTraffic.assertEachImageClassifiedOnceAsOffline(out.of(config.predictionsTopic()), mnist.select(
                    java.util.stream.IntStream.range(0, 200).toArray()), MnistTraffic.offlineDigits(mnist.select(
                    java.util.stream.IntStream.range(0, 200).toArray())));
            Map<String, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> dead : out.of(config.dlqTopic())) {
                String name = header(dead, PoisonCorpus.CASE_HEADER);
                assertThat(reasons.put(name, header(dead, DeadLetter.REASON))).as("dead letters of " + name).isNull();
                assertThat(dead.serializedKeySize() + Math.max(0, dead.serializedValueSize())).isLessThan(DLQ_LIMIT);
                if (name.equals("near-limit")) {
                    assertThat(header(dead, DeadLetter.VALUE_TRUNCATED)).isEqualTo("true");
                    assertThat(header(dead, DeadLetter.VALUE_SIZE)).isEqualTo(
                            Integer.toString(config.recordMaxBytes() - 4096));
                }
                if (name.equals("huge-key")) {
                    assertThat(dead.key()).hasSize(600_000);
                }
            }
            Map<String, String> expected = new HashMap<>();
            corpus.forEach(p -> expected.put(p.name(), p.reason()));
            assertThat(reasons).isEqualTo(expected);

            // still running, not failed: a rebalance (a late stream thread joining) may be under way at this instant
            out.awaitUntil(() -> "the classifier running and ready (" + app.state() + ", "
                    + app.notReadyReason().orElse("ready") + ")", WAIT, app::isReady);
            HttpResponse<String> ready = get(app.metricsPort(), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            String scrape = get(app.metricsPort(), "/metrics").body();
            assertThat(PrometheusScrape.sum(scrape, "digits_invalid_events_total")).isEqualTo(corpus.size());
        }
    }

    private static KafkaProducer<byte[], byte[]> bigRecordProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return record.headers().lastHeader(key) == null ? null : utf8(record.headers().lastHeader(key).value());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

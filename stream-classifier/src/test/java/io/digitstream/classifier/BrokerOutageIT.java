package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.observe.PrometheusScrape;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.localbroker.BrokerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped for 30 s in the middle of the stream and started again on the same storage, the classifier
 * left alone: it must ride the outage out (not ready while it lasts, saying why), go on by itself, and
 * classify every image exactly once.
 */
class BrokerOutageIT {

    private static final int IMAGES = 12_000;
    private static final int RATE = 500;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theClassifierRidesOutABrokerOutageAndClassifiesEveryImageOnce() throws Exception {
        MnistTraffic.RepeatedSample repeated = MnistTraffic.repeatedSample(IMAGES);
        MnistDataset mnist = repeated.images();
        try (BrokerProcess broker = BrokerProcess.in(dir)) {
            broker.start(WAIT);
            ClassifierConfig config = ClassifierConfig.defaults()
                    .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                    .with(ClassifierConfig.KEY_APPLICATION_ID, "outage")
                    .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                            Files.createDirectories(dir.resolve("state")).toString());
            try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
                 CommittedRecords out = new CommittedRecords(broker.bootstrapServers(), config.topicPartitions(),
                         config.predictionsTopic())) {
                out.awaitUntil("the classifier ready", WAIT, app::isReady);
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(broker, config, mnist));
                out.awaitCount(config.predictionsTopic(), 2_000, WAIT);

                // stopped (a controlled shutdown, as SIGTERM gives), as the fault list has it. With SIGKILL
                // instead, 2 runs of 7 left ~100 predictions unreadable to read_committed consumers for minutes after
                // the restart (the single-node broker's recovery; docs/operations.md, Failure modes)
                broker.stop();
                long stopped = System.nanoTime();
                AtomicReference<String> reasonSeen = new AtomicReference<>();
                String probeSeen = null;
                while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
                    Optional<String> reason = app.notReadyReason();
                    reason.ifPresent(r -> reasonSeen.compareAndSet(null, r));
                    HttpResponse<String> probe = get(app.metricsPort(), "/health/ready");
                    if (probe.statusCode() == 503 && probeSeen == null) {
                        probeSeen = probe.body();
                    }
                    Thread.sleep(500);
                }
                assertThat(app.state()).as("the classifier during the outage")
                        .isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING,
                                KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.PENDING_ERROR);
                assertThat(reasonSeen.get()).as("why it was not ready").contains("does not answer");
                assertThat(probeSeen).as("/health/ready during the outage").startsWith("NOT READY: ")
                        .contains("does not answer");

                broker.start(WAIT);
                long restarted = System.nanoTime();
                out.awaitUntil(() -> "the classifier ready again (" + app.notReadyReason().orElse("ready") + ")",
                        WAIT, app::isReady);
                long readyAfter = System.nanoTime() - restarted;
                sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                try {
                    out.awaitCount(config.predictionsTopic(), IMAGES, WAIT);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; " + diagnosis(broker, config), e);
                }
                long allAfter = System.nanoTime() - restarted;
                out.drain(WAIT);
                try (CommittedRecords in = new CommittedRecords(broker.bootstrapServers(), config.topicPartitions(),
                        config.inputTopic())) {
                    in.awaitCount(config.inputTopic(), IMAGES, WAIT);
                    in.drain(WAIT);
                    assertThat(in.count(config.inputTopic())).as("images on the input topic (the producer's own "
                            + "retries through the outage must not duplicate them)").isEqualTo(IMAGES);
                }

                MnistTraffic.assertEachImageClassifiedOnceAsOffline(out.of(config.predictionsTopic()), mnist,
                        repeated.offline());
                // still running, not failed (a rebalance may be under way at this instant)
                out.awaitUntil(() -> "the classifier running (" + app.state() + ")", WAIT,
                        () -> app.state() == KafkaStreams.State.RUNNING);
                double replaced = PrometheusScrape.sum(get(app.metricsPort(), "/metrics").body(),
                        "digits_stream_thread_replacements_total");
                System.out.printf("broker outage of %d s: ready again %d ms after the restart, all %d images %d ms "
                        + "after it, %d committed once each; %.0f stream threads replaced%n", OUTAGE.toSeconds(),
                        Duration.ofNanos(readyAfter).toMillis(), IMAGES, Duration.ofNanos(allAfter).toMillis(),
                        out.count(config.predictionsTopic()), replaced);
            }
        }
    }

    /** The images at a steady rate; an idempotent producer that keeps them buffered through the outage. */
    private static void send(BrokerProcess broker, ClassifierConfig config, MnistDataset mnist) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, WAIT.toMillis());
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < mnist.size(); i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                producer.send(MnistTraffic.labelledImage(config.inputTopic(), mnist, i));
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Where images are missing: an input partition the application has not consumed to its end (a stuck task), or a
     * predictions partition whose last stable offset is behind its end (a transaction left open).
     */
    private static String diagnosis(BrokerProcess broker, ClassifierConfig config) {
        Map<String, Object> props = Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            StringBuilder out = new StringBuilder();
            var committed = admin.listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            for (String topic : java.util.List.of(config.inputTopic(), config.predictionsTopic())) {
                for (int p = 0; p < config.topicPartitions(); p++) {
                    var tp = new org.apache.kafka.common.TopicPartition(topic, p);
                    long end = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()),
                            new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                    org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED))
                            .partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
                    long stable = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()),
                            new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                            .partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
                    var group = committed.get(tp);
                    out.append(tp).append(": end ").append(end).append(", stable ").append(stable)
                            .append(group == null ? "" : ", consumed " + group.offset()).append("; ");
                }
            }
            return out.toString();
        } catch (Exception e) {
            return "no diagnosis: " + e;
        }
    }
}

package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.localbroker.KafkaFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier in a child JVM, killed with SIGKILL in the middle of the stream and started again with the same
 * application id and state directory: exactly-once must hold across the crash.
 */
class ClassifierKillRestartIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    /** The 500 shipped test images ten times over, each copy a distinct event. */
    private static final int IMAGES = 5_000;
    private static final int PREDICTIONS_BEFORE_KILL = 1_000;
    /** Fewer than a batch of 1,024 holds on one partition, so none is classified before the kill. */
    private static final int HELD_IMAGES = 1_000;
    /** Bounds on each wait; the test fails past them, it never hangs. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * A fast restart: the killed member leaves the group and its open transaction is aborted within seconds. Records
     * are sent at once rather than lingering until the commit, so the kill finds them in an open transaction.
     */
    private static final Map<String, String> FAST_RECOVERY = Map.of(
            // the broker's group.min.session.timeout.ms (default 6000) is the floor
            ClassifierConfig.STREAMS_PREFIX + "consumer.session.timeout.ms", "6000",
            ClassifierConfig.STREAMS_PREFIX + "consumer.heartbeat.interval.ms", "1000",
            ClassifierConfig.STREAMS_PREFIX + "producer.transaction.timeout.ms", "10000",
            ClassifierConfig.STREAMS_PREFIX + "producer.linger.ms", "0",
            ClassifierConfig.STREAMS_PREFIX + StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClassifierKilledMidStreamAndRestartedClassifiesEveryImageExactlyOnce() throws Exception {
        MnistTraffic.RepeatedSample repeated = MnistTraffic.repeatedSample(IMAGES);
        MnistDataset mnist = repeated.images();
        int[] offline = repeated.offline();
        ClassifierConfig config = config("classifier-kill-restart");
        String predictions = config.predictionsTopic();
        // with the partitions the classifier expects, before images arrive (the broker would auto-create one)
        ClassifierApplication.createMissingTopics(config);

        try (CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                predictions)) {
            MnistTraffic.produceLabelled(KAFKA.bootstrapServers(), config.inputTopic(), mnist, 0, IMAGES / 2);
            Process first = startChild("first", config);
            out.awaitUntil(PREDICTIONS_BEFORE_KILL + " predictions of the first classifier", WAIT,
                    () -> isRunning(first, "first") && out.count(predictions) >= PREDICTIONS_BEFORE_KILL);

            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the first classifier is dead").isTrue();
            int atKill = out.count(predictions);
            long killed = System.nanoTime();
            MnistTraffic.produceLabelled(KAFKA.bootstrapServers(), config.inputTopic(), mnist, IMAGES / 2, IMAGES);
            Process second = startChild("second", config);
            out.awaitUntil("all " + IMAGES + " predictions", WAIT,
                    () -> isRunning(second, "second") && out.count(predictions) >= IMAGES);
            out.drain(WAIT);
            System.out.printf("killed after %d committed predictions; all %d in %d ms after the kill; the log holds"
                    + " %d prediction records, committed or not%n", atKill, IMAGES,
                    Duration.ofNanos(System.nanoTime() - killed).toMillis(), recordsInLog(predictions, config));

            long correct = MnistTraffic.assertEachImageClassifiedOnceAsOffline(out.of(predictions), mnist, offline);
            String version = PredictionEvent.fromJson(out.of(predictions).get(0).value()).modelVersion();
            AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config, version,
                    IMAGES, WAIT);
            assertThat(accuracy.total()).as("cumulative accuracy total, restored after the kill").isEqualTo(IMAGES);
            assertThat(accuracy.correct()).isEqualTo(correct);
        } catch (Throwable e) {
            printChildLogs();
            throw e;
        }
    }

    /**
     * Batches so large and slow that every image is still held when the kill comes, its input offset committed: the
     * changelog of the batch store is all that keeps it, and the restarted classifier (with batches of the default
     * size, as an operator may change them) must classify each image from there.
     */
    @Test
    void imagesHeldInABatchWhenTheClassifierIsKilledAreClassifiedAfterTheRestart() throws Exception {
        MnistTraffic.RepeatedSample repeated = MnistTraffic.repeatedSample(HELD_IMAGES);
        MnistDataset mnist = repeated.images();
        ClassifierConfig config = config("classifier-kill-held");
        ClassifierConfig holding = config.with(ClassifierConfig.KEY_CLASSIFY_BATCH_SIZE, "1024")
                .with(ClassifierConfig.KEY_CLASSIFY_BATCH_LINGER, "60000");
        String predictions = config.predictionsTopic();
        ClassifierApplication.createMissingTopics(config);

        try (CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                predictions); Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()))) {
            MnistTraffic.produceLabelled(KAFKA.bootstrapServers(), config.inputTopic(), mnist, 0, HELD_IMAGES);
            Process first = startChild("first", holding);
            out.awaitUntil("the input offsets of all " + HELD_IMAGES + " images committed", WAIT,
                    () -> isRunning(first, "first") && committedInput(admin, config) >= HELD_IMAGES);
            assertThat(out.count(predictions)).as("predictions before the kill: every image is held").isZero();

            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the first classifier is dead").isTrue();
            Process second = startChild("second", config);
            out.awaitUntil("all " + HELD_IMAGES + " predictions", WAIT,
                    () -> isRunning(second, "second") && out.count(predictions) >= HELD_IMAGES);
            out.drain(WAIT);

            long correct = MnistTraffic.assertEachImageClassifiedOnceAsOffline(out.of(predictions), mnist,
                    repeated.offline());
            String version = PredictionEvent.fromJson(out.of(predictions).get(0).value()).modelVersion();
            AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config, version,
                    HELD_IMAGES, WAIT);
            assertThat(accuracy.total()).isEqualTo(HELD_IMAGES);
            assertThat(accuracy.correct()).isEqualTo(correct);
            // an in-memory store restores its whole changelog: segments roll for compaction to keep it short
            ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC, config.applicationId() + "-"
                    + ClassifierTopology.CLASSIFY_BATCH_STORE + "-changelog");
            assertThat(admin.describeConfigs(List.of(changelog)).all().get(10, TimeUnit.SECONDS).get(changelog)
                    .get(TopicConfig.SEGMENT_MS_CONFIG).value()).isEqualTo("60000");
        } catch (Throwable e) {
            printChildLogs();
            throw e;
        }
    }

    /**
     * Exactly-once, fast recovery, state in the test's directory, under application id {@code applicationId}, which
     * also prefixes the topics: the tests share a broker.
     */
    private ClassifierConfig config(String applicationId) throws IOException {
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                .with(ClassifierConfig.KEY_APPLICATION_ID, applicationId)
                .with(ClassifierConfig.KEY_INPUT_TOPIC, applicationId + "-images")
                .with(ClassifierConfig.KEY_PREDICTIONS_TOPIC, applicationId + "-predictions")
                .with(ClassifierConfig.KEY_REVIEW_TOPIC, applicationId + "-review")
                .with(ClassifierConfig.KEY_DLQ_TOPIC, applicationId + "-dlq")
                .with(ClassifierConfig.KEY_LABELS_TOPIC, applicationId + "-labels")
                .with(ClassifierConfig.KEY_ACCURACY_TOPIC, applicationId + "-accuracy")
                // delivery and counting under faults, not the not-a-digit decision: with nothing rejected, every
                // image counts in the running accuracy (ClassifierFullTestSetIT counts rejections apart)
                .with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE)
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                        Files.createDirectories(dir.resolve("state")).toString());
        for (var override : FAST_RECOVERY.entrySet()) {
            config = config.with(override.getKey(), override.getValue());
        }
        return config;
    }

    /** The input offsets the classifier's group has committed, over all partitions. */
    private static long committedInput(Admin admin, ClassifierConfig config) {
        try {
            return admin.listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(config.inputTopic()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading the committed offsets", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not read the committed offsets of " + config.applicationId(), e);
        }
    }

    /** Every record of {@code topic}, read_uncommitted: more than committed when the kill aborted a transaction. */
    private static int recordsInLog(String topic, ClassifierConfig config) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < config.topicPartitions(); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            int count = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within " + WAIT);
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    /** A JVM running {@link ClassifierProcessMain}, its output in {@code <name>.log} under the test's directory. */
    private Process startChild(String name, ClassifierConfig config) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"),
                ClassifierProcessMain.class.getName(),
                MnistTraffic.MODEL.toAbsolutePath().normalize().toString()));
        config.toMap().forEach((key, value) -> command.add(key + "=" + value));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        children.add(child);
        return child;
    }

    private boolean isRunning(Process child, String name) {
        if (!child.isAlive()) {
            throw new AssertionError("the " + name + " classifier exited with " + child.exitValue()
                    + "; see its output below");
        }
        return true;
    }

    private void printChildLogs() throws IOException {
        for (String name : List.of("first", "second")) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                System.out.println("---- " + name + " classifier output ----");
                System.out.println(Files.readString(log));
            }
        }
    }
}

package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.observe.PrometheusScrape;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.localbroker.KafkaFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three classifiers in child JVMs (one stream thread each) share six partitions under exactly-once while labelled
 * images arrive at a steady rate. The one holding the accuracy state is killed with SIGKILL in the middle of the
 * stream, and a fourth joins once the survivors have taken over. Every image is classified exactly once, the killed
 * instance's work is taken over within {@link #TAKEOVER_BOUND}, and the accuracy gauges summed over the live
 * instances are the offline figures.
 *
 * <p>Takeover time: from the SIGKILL until the survivors have written, on every partition of the predictions topic,
 * a prediction of an image sent after the kill (read {@code read_uncommitted}: the killed instance cannot have made
 * it). It covers failure detection, the rebalance, the restore of its state and the new owners' processing. Those
 * predictions become readable to {@code read_committed} consumers once the killed instance's open transaction has
 * been aborted: by the survivors as the rebalance starts ({@code DeadTransactionFencer}), or else by the broker up to its
 * abort scan interval (Kafka's default 10 s) after the transaction timeout. That visibility time, and the accuracy
 * record's, are measured and bounded apart. A kill in the middle of a commit also holds the takeover back until the
 * abort: the new owners cannot read the pending offsets nor restore the changelogs to their end before.
 */
class ClassifierFailoverIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final int PARTITIONS = 6;
    /** The 500 shipped test images twelve times over, each copy a distinct event, sent evenly over {@link #SENDING}. */
    private static final int IMAGES = 6_000;
    private static final Duration SENDING = Duration.ofSeconds(40);
    private static final Duration KILL_AFTER = Duration.ofSeconds(8);
    /** The bound (docs/operations.md, Failover). */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);
    /** When committed output is readable if the broker must abort the transaction: its timeout (6 s) + abort scan (10 s). */
    private static final Duration VISIBLE_BOUND = Duration.ofSeconds(25);
    /** Bounds on each wait; the test fails past them, it never hangs. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern METRICS_PORT = Pattern.compile("metrics on 127\\.0\\.0\\.1:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private final List<Child> children = new ArrayList<>();
    private final AtomicReference<Throwable> sendFailure = new AtomicReference<>();
    private Thread sender;

    @AfterEach
    void stop() throws InterruptedException {
        if (sender != null) {
            sender.interrupt();
            sender.join(10_000);
        }
        for (Child child : children) {
            child.process().destroyForcibly();
            child.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClassifierKilledAmongThreeIsTakenOverWithinFifteenSecondsAndEveryImageIsClassifiedOnce() throws Exception {
        MnistTraffic.RepeatedSample repeated = MnistTraffic.repeatedSample(IMAGES);
        MnistDataset mnist = repeated.images();
        int[] offline = repeated.offline();
        long offlineCorrect = MnistTraffic.correct(offline, mnist);
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-failover")
                // delivery and counting under faults, not the not-a-digit decision: with nothing rejected, every
                // image counts in the running accuracy (ClassifierFullTestSetIT counts rejections apart)
                .with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE)
                .with(ClassifierConfig.KEY_TOPIC_PARTITIONS, Integer.toString(PARTITIONS))
                .with(ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, "PT0S")
                // three JVMs and a broker on two cores: one stream thread each
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        String predictions = config.predictionsTopic();
        ClassifierApplication.createMissingTopics(config);

        try (CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), PARTITIONS, predictions,
                config.accuracyTopic())) {
            List<Child> first = List.of(startChild("a", config), startChild("b", config), startChild("c", config));
            out.awaitUntil("three classifiers ready", WAIT, () -> first.stream().allMatch(Child::isReady));

            long sendStart = System.nanoTime();
            AtomicInteger sent = new AtomicInteger();
            sender = sendSteadily(config.inputTopic(), mnist, sent);
            out.awaitUntil(KILL_AFTER + " of images", WAIT,
                    () -> System.nanoTime() - sendStart >= KILL_AFTER.toNanos() && noSendFailure());
            AtomicReference<Child> owner = new AtomicReference<>();
            out.awaitUntil("an instance exporting the accuracy gauges", WAIT, () -> {
                owner.set(first.stream().filter(c -> cumulativeLabelled(c.scrape()) > 0).findFirst().orElse(null));
                return owner.get() != null;
            });
            Child victim = owner.get();
            List<Child> survivors = first.stream().filter(c -> c != victim).toList();

            KafkaConsumer<byte[], byte[]> uncommitted = readUncommitted(predictions);
            long killed = System.nanoTime();
            victim.process().destroyForcibly();
            int firstAfterKill = sent.get() + 1;
            assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).as("the killed classifier is dead").isTrue();

            // per partition of the predictions, then the accuracy: when a record made after the kill was first read
            long[] takenOver = new long[PARTITIONS + 1];
            long[] written = new long[PARTITIONS];
            int[] scanned = new int[2];
            out.awaitUntil("records of images sent after the kill on every partition and in the accuracy", WAIT, () -> {
                survivors.forEach(Child::requireAlive);
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : uncommitted.poll(Duration.ofMillis(50))) {
                    if (index(r) >= firstAfterKill && written[r.partition()] == 0) {
                        written[r.partition()] = now;
                    }
                }
                List<ConsumerRecord<byte[], byte[]>> p = out.of(predictions);
                for (; scanned[0] < p.size(); scanned[0]++) {
                    ConsumerRecord<byte[], byte[]> r = p.get(scanned[0]);
                    if (index(r) >= firstAfterKill && takenOver[r.partition()] == 0) {
                        takenOver[r.partition()] = now;
                    }
                }
                List<ConsumerRecord<byte[], byte[]>> a = out.of(config.accuracyTopic());
                for (; scanned[1] < a.size(); scanned[1]++) {
                    AccuracyReport report = AccuracyReport.fromJson(a.get(scanned[1]).value());
                    if (report.windowStart() == null && report.total() > firstAfterKill
                            && takenOver[PARTITIONS] == 0) {
                        takenOver[PARTITIONS] = now;
                    }
                }
                return noSendFailure() && Arrays.stream(takenOver).allMatch(t -> t != 0);
            });
            uncommitted.close();
            long[] visibleMillis = Arrays.stream(takenOver).map(t -> (t - killed) / 1_000_000).toArray();
            long visible = Arrays.stream(visibleMillis).max().orElseThrow();
            // a partition whose post-kill prediction showed up committed first was written no later than that
            long takeover = 0;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                long at = written[partition] == 0 ? takenOver[partition] : Math.min(written[partition],
                        takenOver[partition]);
                takeover = Math.max(takeover, (at - killed) / 1_000_000);
            }
            System.out.printf("killed %s (the accuracy owner, %s) after %d images sent; takeover %d ms (work resumed "
                            + "on every partition); committed output readable after %d ms (predictions by partition "
                            + "%s ms, accuracy %d ms); its open transaction aborted by %s%n", victim.name(),
                    victim.lastAssignment(), firstAfterKill - 1, takeover, visible,
                    Arrays.toString(Arrays.copyOf(visibleMillis, PARTITIONS)), visibleMillis[PARTITIONS],
                    survivors.stream().filter(Child::fencedADeadTransaction).map(Child::name).toList());

            String heldBy = survivors.stream().filter(c -> cumulativeLabelled(c.scrape()) > 0).map(Child::name)
                    .toList().toString();
            Child fourth = startChild("d", config);
            List<Child> live = new ArrayList<>(survivors);
            live.add(fourth);
            out.awaitUntil("the fourth classifier in the group", WAIT, fourth::isReady);
            out.awaitUntil("all " + IMAGES + " predictions", WAIT, () -> {
                live.forEach(Child::requireAlive);
                return noSendFailure() && out.count(predictions) >= IMAGES;
            });
            sender.join(WAIT.toMillis());
            out.drain(WAIT);
            printCounts(out.of(predictions), sent.get());

            long correct = MnistTraffic.assertEachImageClassifiedOnceAsOffline(out.of(predictions), mnist, offline);
            String version = PredictionEvent.fromJson(out.of(predictions).get(0).value()).modelVersion();
            AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config, version,
                    IMAGES, WAIT);
            assertThat(accuracy.total()).as("cumulative accuracy total on the topic").isEqualTo(IMAGES);
            assertThat(accuracy.correct()).isEqualTo(correct);

            // the gauges of the live instances, summed as a PromQL sum() over instances would
            List<String> scrapes = new ArrayList<>();
            out.awaitUntil("the accuracy gauges of the live instances to sum to " + IMAGES + " labelled", WAIT, () -> {
                scrapes.clear();
                live.forEach(c -> scrapes.add(c.scrape()));
                return scrapes.stream().mapToDouble(ClassifierFailoverIT::cumulativeLabelled).sum() == IMAGES;
            });
            double labelled = scrapes.stream().mapToDouble(ClassifierFailoverIT::cumulativeLabelled).sum();
            double gaugedCorrect = scrapes.stream().mapToDouble(s -> PrometheusScrape.sum(s,
                    "digits_labelled_predictions", l -> l.get("label").equals(l.get("predicted")))).sum();
            List<String> exporting = new ArrayList<>();
            for (int i = 0; i < live.size(); i++) {
                if (scrapes.get(i).contains("digits_accuracy_labelled{")) {
                    exporting.add(live.get(i).name());
                }
            }
            System.out.printf("accuracy gauges summed over %s: %.0f labelled, %.0f correct (offline %d/%d);"
                    + " exported by %s after the takeover, by %s at the end%n", live.stream().map(Child::name).toList(),
                    labelled, gaugedCorrect, offlineCorrect, IMAGES, heldBy, exporting);
            assertThat(labelled).as("labelled, summed over the live instances").isEqualTo(IMAGES);
            assertThat(gaugedCorrect).as("correct, summed over the live instances").isEqualTo(offlineCorrect);
            assertThat(exporting).as("instances exporting the accuracy gauges").hasSize(1);

            assertThat(Duration.ofMillis(takeover)).as("takeover of the killed classifier's work")
                    .isLessThan(TAKEOVER_BOUND);
            assertThat(Duration.ofMillis(visible)).as("its output readable to read_committed consumers")
                    .isLessThan(VISIBLE_BOUND);
        } catch (Throwable e) {
            printChildLogs();
            throw e;
        }
    }

    /** Sends the images evenly spread over {@link #SENDING}, counting in {@code sent} those handed to the producer. */
    private Thread sendSteadily(String topic, MnistDataset mnist, AtomicInteger sent) {
        Thread thread = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(KAFKA.bootstrapServers())) {
                long start = System.nanoTime();
                for (int i = 0; i < IMAGES && !Thread.currentThread().isInterrupted(); i++) {
                    long wait = start + SENDING.toNanos() * i / IMAGES - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    producer.send(MnistTraffic.labelledImage(topic, mnist, i), (metadata, e) -> {
                        if (e != null) {
                            sendFailure.compareAndSet(null, e);
                        }
                    });
                    sent.set(i + 1);
                }
                producer.flush();
            } catch (RuntimeException e) {
                sendFailure.compareAndSet(null, e);
            }
        }, "steady-sender");
        thread.start();
        return thread;
    }

    private boolean noSendFailure() {
        if (sendFailure.get() != null) {
            throw new AssertionError("sending images failed", sendFailure.get());
        }
        return true;
    }

    private static int index(ConsumerRecord<byte[], byte[]> prediction) {
        return Integer.parseInt(MnistTraffic.utf8(prediction.key()).substring("mnist-".length()));
    }

    private static double cumulativeLabelled(String scrape) {
        return PrometheusScrape.sum(scrape, "digits_accuracy_labelled", l -> "cumulative".equals(l.get("scope")));
    }

    private static void printCounts(List<ConsumerRecord<byte[], byte[]>> records, int sent) {
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!ids.add(MnistTraffic.utf8(r.key()))) {
                duplicates++;
            }
        }
        System.out.printf("sent %d, predictions %d, distinct %d, duplicates %d, lost %d%n", sent, records.size(),
                ids.size(), duplicates, sent - ids.size());
    }

    /** A JVM running {@link ClassifierProcessMain}, its output in {@code <name>.log} under the test's directory. */
    private Child startChild(String name, ClassifierConfig config) throws IOException {
        ClassifierConfig own = config.with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                Files.createDirectories(dir.resolve("state-" + name)).toString());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                // the tasks each instance is given, for the report
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.TaskManager=info",
                // whether a survivor aborted the killed instance's open transaction, for the report
                "-Dorg.slf4j.simpleLogger.log.io.digitstream.classifier.kafka.DeadTransactionFencer=info",
                "-cp", System.getProperty("java.class.path"),
                ClassifierProcessMain.class.getName(),
                MnistTraffic.MODEL.toAbsolutePath().normalize().toString()));
        own.toMap().forEach((key, value) -> command.add(key + "=" + value));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Child child = new Child(name, process, log);
        children.add(child);
        return child;
    }

    private void printChildLogs() throws IOException {
        for (Child child : children) {
            if (Files.exists(child.log())) {
                System.out.println("---- classifier " + child.name() + " output ----");
                System.out.println(Files.readString(child.log()));
            }
        }
    }

    private record Child(String name, Process process, Path log) {

        Child requireAlive() {
            if (!process.isAlive()) {
                throw new AssertionError("classifier " + name + " exited with " + process.exitValue()
                        + "; see its output below");
            }
            return this;
        }

        /** The metrics port it printed once started, or -1 before. */
        int metricsPort() {
            Matcher m = METRICS_PORT.matcher(output());
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        boolean isReady() {
            requireAlive();
            int port = metricsPort();
            return port > 0 && get(port, "/health/ready").statusCode() == 200;
        }

        String scrape() {
            requireAlive();
            HttpResponse<String> response = get(metricsPort(), "/metrics");
            assertThat(response.statusCode()).as("/metrics of " + name).isEqualTo(200);
            return response.body();
        }

        /** Whether it logged aborting a dead instance's open transaction (DeadTransactionFencer). */
        boolean fencedADeadTransaction() {
            return output().contains("Aborted the open transactions");
        }

        /** Its active tasks as Kafka Streams last logged them. */
        String lastAssignment() {
            Matcher m = Pattern.compile("New active tasks: (\\[[^]]*])").matcher(output());
            String last = "tasks unknown";
            while (m.find()) {
                last = "active tasks " + m.group(1);
            }
            return last;
        }

        private String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new AssertionError("cannot read " + log, e);
            }
        }

        private static HttpResponse<String> get(int port, String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("GET " + path + " on port " + port + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The predictions as written, committed or not, from their current end on. */
    private static KafkaConsumer<byte[], byte[]> readUncommitted(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(java.util.Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}

package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.ImageHeaders;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Labelled MNIST images into the classifier's input topic, and what must come out: one prediction per image, each
 * the digit the model gives offline for the same image. Image {@code i} has the event id {@link #id(int) mnist-i}.
 */
final class MnistTraffic {

    static final Path MODEL = Path.of("../models/digits-cnn.onnx");

    private MnistTraffic() {
    }

    static String id(int index) {
        return "mnist-" + index;
    }

    static Set<String> ids(int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(id(i));
        }
        return ids;
    }

    /** An idempotent producer that waits for every replica. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return producer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The same with connection settings such as TLS and SASL. */
    static KafkaProducer<byte[], byte[]> producer(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Image {@code index} as 784 raw bytes, keyed by its id, its digit as text in the {@code label} header. */
    static ProducerRecord<byte[], byte[]> labelledImage(String topic, MnistDataset mnist, int index) {
        int n = mnist.pixelsPerImage();
        byte[] pixels = Arrays.copyOfRange(mnist.images(), index * n, (index + 1) * n);
        return new ProducerRecord<>(topic, null, utf8(id(index)), pixels,
                new RecordHeaders().add(ImageHeaders.LABEL, utf8(Integer.toString(mnist.label(index)))));
    }

    /**
     * Sends images {@code from} (inclusive) to {@code to} (exclusive) and waits until the broker has them all; a send
     * that failed fails the test here, rather than as missing images later.
     */
    static void produceLabelled(String bootstrapServers, String topic, MnistDataset mnist, int from, int to) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (int i = from; i < to; i++) {
                producer.send(labelledImage(topic, mnist, i), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new AssertionError("sending images " + from + "-" + to + " to " + topic + " failed", failed.get());
        }
    }

    /** The digit the model predicts for each image, offline, from the images scaled as the trainer scales them. */
    /** {@code images} distinct events cycling through the shipped 500-image sample, and the model's digit for each. */
    record RepeatedSample(MnistDataset images, int[] offline) {
    }

    /** The 500 shipped test images over and over, {@code count} in all, classified offline once per sample image. */
    static RepeatedSample repeatedSample(int count) throws IOException {
        MnistDataset sample = MnistSamples.test500();
        int[] copies = new int[count];
        for (int i = 0; i < count; i++) {
            copies[i] = i % sample.size();
        }
        int[] sampleDigits = offlineDigits(sample);
        int[] offline = new int[count];
        for (int i = 0; i < count; i++) {
            offline[i] = sampleDigits[copies[i]];
        }
        return new RepeatedSample(sample.select(copies), offline);
    }

    static int[] offlineDigits(MnistDataset mnist) throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(MODEL)) {
            int[] digits = new int[mnist.size()];
            for (int i = 0; i < mnist.size(); i++) {
                digits[i] = model.predict(mnist.normalizedImage(i)).digit();
            }
            return digits;
        }
    }

    /** How many of {@code mnist}'s images the shipped model rejects as not-a-digit at its own threshold, offline. */
    static long offlineRejected(MnistDataset mnist) throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(MODEL)) {
            double threshold = model.metadata().oodThreshold();
            long rejected = 0;
            for (int i = 0; i < mnist.size(); i++) {
                if (model.predict(mnist.normalizedImage(i)).rejectedAt(threshold)) {
                    rejected++;
                }
            }
            return rejected;
        }
    }

    static long correct(int[] digits, MnistDataset mnist) {
        long correct = 0;
        for (int i = 0; i < digits.length; i++) {
            if (digits[i] == mnist.label(i)) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * Asserts that {@code predictions} hold exactly one prediction per image, none missing and none duplicated,
     * each with the image's label and the digit the model gives offline, so the stream's accuracy is the offline one.
     *
     * @return how many predictions are correct
     */
    /** Where the copies of the first duplicated id are and when each was classified: written twice, or made twice. */
    private static String firstDuplicate(List<ConsumerRecord<byte[], byte[]>> predictions) {
        java.util.Map<String, List<ConsumerRecord<byte[], byte[]>>> byId = new java.util.LinkedHashMap<>();
        predictions.forEach(r -> byId.computeIfAbsent(utf8(r.key()), k -> new java.util.ArrayList<>()).add(r));
        return byId.values().stream().filter(copies -> copies.size() > 1).findFirst()
                .map(copies -> copies.stream().map(r -> r.topic() + "-" + r.partition() + "@" + r.offset()
                        + " classifiedAt " + PredictionEvent.fromJson(r.value()).classifiedAt()).toList()
                        .toString())
                .orElse("none");
    }

    static long assertEachImageClassifiedOnceAsOffline(List<ConsumerRecord<byte[], byte[]>> predictions,
                                                       MnistDataset mnist, int[] offlineDigits) {
        List<String> keys = predictions.stream().map(r -> utf8(r.key())).toList();
        assertThat(keys).as("prediction ids (first duplicate: %s)", firstDuplicate(predictions))
                .doesNotHaveDuplicates();
        assertThat(new HashSet<>(keys)).as("prediction ids").isEqualTo(ids(mnist.size()));

        long correct = 0;
        for (ConsumerRecord<byte[], byte[]> r : predictions) {
            PredictionEvent p = PredictionEvent.fromJson(r.value());
            int index = Integer.parseInt(p.id().substring("mnist-".length()));
            assertThat(p.label()).as("label of " + p.id()).isEqualTo(mnist.label(index));
            assertThat(p.digit()).as("digit of " + p.id() + " (offline: the model's own answer)")
                    .isEqualTo(offlineDigits[index]);
            if (Boolean.TRUE.equals(p.correct())) {
                correct++;
            }
        }
        long offline = correct(offlineDigits, mnist);
        System.out.printf("stream accuracy %d/%d, offline %d/%d%n", correct, mnist.size(), offline, mnist.size());
        assertThat(correct).as("correct predictions in the stream").isEqualTo(offline);
        return correct;
    }

    /**
     * The last cumulative accuracy record of {@code version} once it counts {@code total} labelled predictions, those
     * in its matrix and those rejected as not-a-digit together.
     */
    static AccuracyReport awaitCumulativeAccuracy(String bootstrapServers, ClassifierConfig config, String version,
                                                  long total, Duration timeout) {
        try (CommittedRecords accuracy = new CommittedRecords(bootstrapServers, config.topicPartitions(),
                config.accuracyTopic())) {
            accuracy.awaitUntil("the cumulative accuracy of " + version + " to count " + total, timeout, () -> {
                AccuracyReport last = lastCumulative(accuracy.of(config.accuracyTopic()), version);
                return last != null && last.total() + last.rejected() >= total;
            });
            return lastCumulative(accuracy.of(config.accuracyTopic()), version);
        }
    }

    private static AccuracyReport lastCumulative(List<ConsumerRecord<byte[], byte[]>> records, String version) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (version.equals(utf8(records.get(i).key()))) {
                return AccuracyReport.fromJson(records.get(i).value());
            }
        }
        return null;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

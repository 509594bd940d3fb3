package io.digitstream.benchmarks;

import io.digitstream.contract.ImageHeaders;
import io.digitstream.core.mnist.MnistDataset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes MNIST images to the input topic as the contract describes them: value = the 784 raw bytes, key = a unique
 * event id ({@code <prefix>-<n>}; the images repeat, the ids do not), timestamp = when it was sent, and when asked the
 * image's digit in the {@code label} header. Idempotent, so a retry cannot count an image twice. Not the producer
 * tools' ImagePublisher: it sends images one at a time when the benchmark's schedule says so, with one request in
 * flight, which the benchmark's numbers were measured with.
 */
final class BenchmarkImageSender implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final byte[][] images;
    /** Per image, the {@code label} header's value; null when the images go unlabelled. */
    private final byte[][] labels;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param lingerMs the producer's batching delay: a few ms for throughput, 0 for latency
     * @param labelled whether each image carries its digit
     */
    BenchmarkImageSender(String bootstrapServers, String topic, MnistDataset dataset, int lingerMs, boolean labelled) {
        this.topic = topic;
        this.images = new byte[dataset.size()][];
        this.labels = labelled ? new byte[dataset.size()][] : null;
        int pixels = dataset.pixelsPerImage();
        for (int i = 0; i < images.length; i++) {
            images[i] = Arrays.copyOfRange(dataset.images(), i * pixels, (i + 1) * pixels);
            if (labelled) {
                labels[i] = Integer.toString(dataset.label(i)).getBytes(StandardCharsets.US_ASCII);
            }
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                // one request in flight: a first batch refused by a partition created a moment ago is retried
                // before the next is sent, instead of the broker taking the next and refusing the retry as out of
                // sequence (seen here once, then 120 s of expiring batches)
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-publisher-" + topic),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code count} images as fast as the producer takes them, then flushes. */
    void sendAsFastAsPossible(String idPrefix, int count) {
        for (int n = 0; n < count; n++) {
            send(idPrefix, n);
        }
        flush();
    }

    /** Sends image {@code <idPrefix>-<n>} (the {@code n}th image, the test set repeated), without waiting. */
    void send(String idPrefix, int n) {
        byte[] key = (idPrefix + "-" + n).getBytes(StandardCharsets.UTF_8);
        int image = n % images.length;
        Headers headers = labels == null ? null : new RecordHeaders().add(ImageHeaders.LABEL, labels[image]);
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, images[image], headers),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    /** Waits until every image sent has been acknowledged. */
    void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Throws if the broker refused an image sent so far. */
    void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("publishing images to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}

package io.digitstream.benchmarks;

import io.digitstream.contract.ImageHeaders;
import io.digitstream.core.mnist.MnistDataset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The soak's traffic, at a fixed rate on the calling thread: labelled MNIST images (key {@code img-<n>}, the digit
 * in the {@code label} header) and, in {@code hostileShare} of the slots spread evenly, the next record of the
 * {@link HostileRecords.Mix}. Remembers what it sent and what the broker refused, for the accounting. Idempotent,
 * so a retry cannot send a record twice.
 */
final class SoakTraffic implements AutoCloseable {

    static final String IMAGE_ID_PREFIX = "img-";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Above the largest hostile record (9 MiB) and below the record limit the classifier's topics take. */
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String imagesTopic;
    private final byte[][] images;
    private final byte[][] labels;
    private final HostileRecords hostile;
    private final HostileRecords.Mix mix;
    private final double hostileShare;
    private final AtomicLong imagesSent = new AtomicLong();
    private final Set<Long> imagesFailed = ConcurrentHashMap.newKeySet();
    private final AtomicLong hostileSequence = new AtomicLong();
    private final Map<Long, HostileRecords.Kind> hostileSent = new ConcurrentHashMap<>();
    private final Map<Long, HostileRecords.Kind> hostileFailed = new ConcurrentHashMap<>();
    private final AtomicLong hostileBytes = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    SoakTraffic(String bootstrapServers, String imagesTopic, String labelsTopic, MnistDataset dataset,
                double hostileShare, long hostileBytesPerSecond) {
        if (hostileShare < 0 || hostileShare >= 1) {
            throw new IllegalArgumentException("the hostile share must be in [0, 1): " + hostileShare);
        }
        this.imagesTopic = imagesTopic;
        this.hostileShare = hostileShare;
        int pixels = dataset.pixelsPerImage();
        images = new byte[dataset.size()][];
        labels = new byte[dataset.size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = Arrays.copyOfRange(dataset.images(), i * pixels, (i + 1) * pixels);
            labels[i] = Integer.toString(dataset.label(i)).getBytes(StandardCharsets.US_ASCII);
        }
        hostile = new HostileRecords(imagesTopic, labelsTopic, images[0]);
        mix = new HostileRecords.Mix(hostile.kinds(), hostileBytesPerSecond);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
                // as the benchmark's sender: a batch refused by a partition just created is retried before the next
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.CLIENT_ID_CONFIG, "soak-traffic-" + imagesTopic),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Offers {@code perSecond} records for {@code duration}, each at its scheduled time, then flushes. Stops early
     * when {@code keepGoing} turns false (the classifier died).
     */
    void run(Duration duration, int perSecond, BooleanSupplier keepGoing) {
        long slots = duration.toMillis() * perSecond / 1000;
        long start = System.nanoTime();
        for (long n = 0; n < slots && keepGoing.getAsBoolean(); n++) {
            long offset = (long) (n * 1e9 / perSecond);
            long wait;
            while ((wait = start + offset - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (isHostileSlot(n)) {
                // the scheduled time, not the clock: the same run sends the same mix however loaded the machine is
                sendHostile(mix.next(offset));
            } else {
                sendImage();
            }
        }
        producer.flush();
    }

    /** Slot {@code n} is hostile when it crosses the next multiple of 1 / share: evenly spread, none at first. */
    private boolean isHostileSlot(long n) {
        return Math.floor((n + 1) * hostileShare) > Math.floor(n * hostileShare);
    }

    private void sendImage() {
        long n = imagesSent.getAndIncrement();
        int i = (int) (n % images.length);
        RecordHeaders headers = new RecordHeaders();
        headers.add(ImageHeaders.LABEL, labels[i]);
        byte[] key = (IMAGE_ID_PREFIX + n).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(imagesTopic, null, System.currentTimeMillis(), key, images[i], headers),
                failure(() -> imagesFailed.add(n)));
    }

    private void sendHostile(HostileRecords.Kind kind) {
        long sequence = hostileSequence.getAndIncrement();
        hostileSent.put(sequence, kind);
        hostileBytes.addAndGet(kind.bytes());
        producer.send(hostile.record(kind, sequence), failure(() -> hostileFailed.put(sequence, kind)));
    }

    private Callback failure(Runnable note) {
        return (metadata, e) -> {
            if (e != null) {
                note.run();
                firstFailure.compareAndSet(null, e);
            }
        };
    }

    /** The hostile record kinds, in the mix's order. */
    List<HostileRecords.Kind> kinds() {
        return hostile.kinds();
    }

    long imagesSent() {
        return imagesSent.get();
    }

    /** Ids ({@code n} of {@code img-<n>}) the broker did not take. */
    Set<Long> imagesFailed() {
        return Collections.unmodifiableSet(imagesFailed);
    }

    long hostileSentCount() {
        return hostileSequence.get();
    }

    /** Every hostile record sent, by sequence number (those the broker refused included). */
    Map<Long, HostileRecords.Kind> hostileSent() {
        return Collections.unmodifiableMap(hostileSent);
    }

    Map<Long, HostileRecords.Kind> hostileFailed() {
        return Collections.unmodifiableMap(hostileFailed);
    }

    long hostileBytes() {
        return hostileBytes.get();
    }

    /** The first send the broker refused, for the report; null when none was. */
    Exception firstFailure() {
        return firstFailure.get();
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}

package io.digitstream.producer;

import io.digitstream.contract.ImageHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes images to the classifier's input topic with an idempotent producer: at a pace or as fast as possible,
 * for a count or a duration, with labels as headers or withheld and sent later to the labels topic. Every image
 * ends up counted as sent or as failed with its reason.
 */
public final class ImagePublisher implements AutoCloseable {

    /** Told after each image: how many were sent and failed so far. Called from the publishing thread. */
    public interface Progress {
        void update(long attempted, long sent, long failed);
    }

    private static final int MAX_DISTINCT_ERRORS = 10;

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong labelsSent = new AtomicLong();
    private final AtomicLong labelsFailed = new AtomicLong();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private volatile boolean stopRequested;

    /** @param clientProperties connection settings (bootstrap servers, security); serializers are set here */
    public ImagePublisher(Map<String, Object> clientProperties) {
        Map<String, Object> props = new LinkedHashMap<>(clientProperties);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    /** Asks a running {@link #publish} to stop after the current image (Ctrl-C); it still flushes and reports. */
    public void stop() {
        stopRequested = true;
    }

    public PublishSummary publish(ImageSource source, PublishPlan plan, Progress progress)
            throws InterruptedException {
        Pace pace = plan.imagesPerSecond() > 0 ? new Pace(plan.imagesPerSecond()) : null;
        ScheduledExecutorService labelSender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "withheld-labels");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        long deadline = plan.maxDuration().isZero() ? Long.MAX_VALUE : started + plan.maxDuration().toNanos();
        long attempted = 0;
        int round = 0;
        try {
            Iterator<OutgoingImage> images = source.iterator();
            while (!stopRequested && (plan.maxImages() == 0 || attempted < plan.maxImages())
                    && System.nanoTime() < deadline) {
                if (!images.hasNext()) {
                    if (!plan.repeat() || attempted == 0) {
                        break;
                    }
                    round++;
                    images = source.iterator();
                    continue;
                }
                if (pace != null) {
                    pace.await();
                }
                attempted++;
                OutgoingImage image;
                try {
                    image = images.next();
                } catch (ImageReadException e) {
                    fail(e.getMessage());
                    progress.update(attempted, sent.get(), failed.get());
                    continue;
                }
                String id = round == 0 ? image.id() : image.id() + "#" + round;
                send(plan, image, id, labelSender);
                progress.update(attempted, sent.get(), failed.get());
            }
            producer.flush();
            labelSender.shutdown();
            // a label is sent labelDelay after its image: wait for the last ones, then for their acknowledgements
            if (!labelSender.awaitTermination(plan.labelDelay().toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
                labelSender.shutdownNow().forEach(r -> labelsFailed.incrementAndGet());
                fail("withheld labels not sent in time");
            }
            producer.flush();
        } finally {
            labelSender.shutdownNow();
        }
        progress.update(attempted, sent.get(), failed.get());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        synchronized (errors) {
            return new PublishSummary(sent.get(), failed.get(), labelsSent.get(), labelsFailed.get(), elapsed,
                    errors);
        }
    }

    private void send(PublishPlan plan, OutgoingImage image, String id, ScheduledExecutorService labelSender) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        if (image.label() != null && !plan.withholdLabels()) {
            headers.add(ImageHeaders.LABEL, utf8(image.label().toString()));
        }
        if (image.contentType() != null) {
            headers.add(ImageHeaders.CONTENT_TYPE, utf8(image.contentType()));
        }
        Callback counted = (metadata, e) -> {
            if (e == null) {
                sent.incrementAndGet();
            } else {
                failed.incrementAndGet();
                record(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        };
        try {
            producer.send(new ProducerRecord<>(plan.imagesTopic(), null, key, image.value(), headers), counted);
        } catch (RuntimeException e) {
            // refused before it left: too large for max.request.size, producer closed, ...
            fail(id + ": " + e.getMessage());
            return;
        }
        if (image.label() != null && plan.withholdLabels()) {
            byte[] label = utf8(image.label().toString());
            labelSender.schedule(() -> sendLabel(plan.labelsTopic(), key, label),
                    plan.labelDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sendLabel(String topic, byte[] key, byte[] label) {
        try {
            producer.send(new ProducerRecord<>(topic, key, label), (metadata, e) -> {
                if (e == null) {
                    labelsSent.incrementAndGet();
                } else {
                    labelsFailed.incrementAndGet();
                    record("label: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            labelsFailed.incrementAndGet();
            record("label: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void fail(String message) {
        failed.incrementAndGet();
        record(message);
    }

    /** Keeps the first few distinct reasons with a count each: enough to act on, bounded however many fail. */
    private void record(String reason) {
        synchronized (errors) {
            if (errors.containsKey(reason) || errors.size() < MAX_DISTINCT_ERRORS) {
                errors.merge(reason, 1L, Long::sum);
            } else {
                errors.merge("(other errors)", 1L, Long::sum);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

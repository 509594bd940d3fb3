package io.digitstream.classifier.observe;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.PredictionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The classifier's own meters (prefix {@code digits_} in Prometheus; times in seconds), as a binder: they show in every
 * registry it is {@link #bindTo bound to}. The JVM's meters are bound beside them where the application is assembled
 * ({@code ClassifierApplication}). Every meter has a description, which {@code promtool check metrics} requires.
 */
public final class ClassifierMetrics implements MeterBinder {

    public static final String RELOAD_LOADED = "loaded";
    public static final String RELOAD_REJECTED = "rejected";
    /** The reason of {@code digits_rejected_total} for an image judged to be no digit. */
    public static final String REJECTED_NOT_A_DIGIT = PredictionEvent.NOT_A_DIGIT;

    // the meters live here from the start, so that a model can be loaded before there is a registry to bind to; a
    // registry added to a composite gets every meter the composite has and will have
    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final Meter.MeterProvider<Counter> predictions;
    private final Meter.MeterProvider<Counter> invalidEvents;
    private final Meter.MeterProvider<Counter> rejected;
    private final Counter lowConfidence;
    private final Counter duplicateLabels;
    private final Counter threadReplacements;
    private final Timer inference;
    private final Timer endToEnd;
    private final DistributionSummary batchImages;
    private final List<Meter> modelMeters = new ArrayList<>();
    private final AccuracyGauges accuracy;
    private volatile PredictionCounters lastPredictionCounters;

    public ClassifierMetrics() {
        predictions = Counter.builder("digits.predictions")
                .description("Images classified, by predicted digit and model version")
                .withRegistry(registry);
        invalidEvents = Counter.builder("digits.invalid.events")
                .description("Input records sent to the dead-letter topic, by reason code")
                .withRegistry(registry);
        rejected = Counter.builder("digits.rejected")
                .description("Images classified but rejected, by reason (not-a-digit: OOD score above the threshold); "
                        + "their predictions say accepted=false and go to review too")
                .withRegistry(registry);
        lowConfidence = Counter.builder("digits.low.confidence")
                .description("Predictions below the review threshold, also sent to the review topic")
                .register(registry);
        duplicateLabels = Counter.builder("digits.duplicate.labels")
                .description("Late labels for a prediction already counted within the join window, not counted again")
                .register(registry);
        threadReplacements = Counter.builder("digits.stream.thread.replacements")
                .description("Stream threads that failed (a broker outage, an aborted commit) and were replaced")
                .register(registry);
        inference = Timer.builder("digits.inference")
                .description("Time to preprocess and classify one image")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        endToEnd = Timer.builder("digits.end.to.end.latency")
                .description("Time from the input event's timestamp to its classification")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        batchImages = DistributionSummary.builder("digits.model.batch.images")
                .description("Images per model call: classify.batch.size at full load, fewer when the batch linger "
                        + "ends it first")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry);
        // both results exist from the start, at zero, so that a panel or an increase() has a series to show
        reloads(RELOAD_LOADED);
        reloads(RELOAD_REJECTED);
        rejected.withTags("reason", REJECTED_NOT_A_DIGIT);
        accuracy = new AccuracyGauges(registry);
    }

    /**
     * Adds every meter, and every one to come, to {@code target}. What counters and timers record from then on goes to
     * it; gauges show their current value.
     */
    @Override
    public void bindTo(MeterRegistry target) {
        registry.add(Objects.requireNonNull(target, "target"));
    }

    /** One classified image; {@code endToEndMillis} is negative when the event carried no usable timestamp. */
    public void recordPrediction(int digit, String modelVersion, boolean belowThreshold, long inferenceNanos,
                                 long endToEndMillis) {
        predictionCounters(modelVersion).byDigit[digit].increment();
        if (belowThreshold) {
            lowConfidence.increment();
        }
        inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
        if (endToEndMillis >= 0) {
            endToEnd.record(endToEndMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The prediction counters of the model version last seen: looking a counter up by its tags for every image cost
     * more than the increment. A reload makes one new set; threads that race here each make the same counters.
     */
    private PredictionCounters predictionCounters(String modelVersion) {
        PredictionCounters counters = lastPredictionCounters;
        if (counters == null || !counters.modelVersion.equals(modelVersion)) {
            Counter[] byDigit = new Counter[10];
            for (int digit = 0; digit < byDigit.length; digit++) {
                byDigit[digit] = predictions.withTags("digit", Integer.toString(digit), "model_version", modelVersion);
            }
            counters = new PredictionCounters(modelVersion, byDigit);
            lastPredictionCounters = counters;
        }
        return counters;
    }

    private record PredictionCounters(String modelVersion, Counter[] byDigit) {
    }

    /** One model call classified {@code images} images. */
    public void recordBatch(int images) {
        batchImages.record(images);
    }

    /** One classified image was rejected for {@code reason}, such as {@value #REJECTED_NOT_A_DIGIT}. */
    public void recordRejected(String reason) {
        rejected.withTags("reason", reason).increment();
    }

    /**
     * The cumulative counts of {@code modelVersion} changed (state, so exact after restarts): the confusion matrix of
     * its accepted labelled predictions and how many labelled ones it rejected.
     */
    public void cumulativeAccuracy(String modelVersion, ConfusionMatrix counts, long rejectedLabelled) {
        accuracy.cumulative(modelVersion, counts, rejectedLabelled);
    }

    /** The counts of one tumbling window changed; the gauges follow the newest window. */
    public void windowAccuracy(String modelVersion, long windowStartMillis, ConfusionMatrix counts,
                               long rejectedLabelled) {
        accuracy.window(modelVersion, windowStartMillis, counts, rejectedLabelled);
    }

    /** This instance no longer holds the accuracy state of {@code modelVersion}: its gauges go. */
    public void accuracyReleased(String modelVersion) {
        accuracy.release(modelVersion);
    }

    public void streamThreadReplaced() {
        threadReplacements.increment();
    }

    public void recordDuplicateLabel() {
        duplicateLabels.increment();
    }

    public void recordInvalid(String reason) {
        invalidEvents.withTags("reason", reason).increment();
    }

    /** Replaces the model-info meters: one model serves at a time. */
    public synchronized void modelLoaded(String version, String sha256, Instant loadedAt) {
        modelMeters.forEach(registry::remove);
        modelMeters.clear();
        Tags tags = Tags.of("model_version", version, "sha256", sha256);
        modelMeters.add(Gauge.builder("digits.model.info", () -> 1)
                .description("The model being served (always 1; its identity is in the labels)")
                .tags(tags).register(registry));
        double loadedAtSeconds = loadedAt.toEpochMilli() / 1000.0;
        modelMeters.add(Gauge.builder("digits.model.loaded.timestamp", () -> loadedAtSeconds)
                .description("When the served model was loaded, seconds since the epoch")
                .baseUnit("seconds").tags(tags).register(registry));
    }

    /** One attempt to replace the served model; {@code result} is {@code loaded} or {@code rejected}. */
    public void modelReloaded(String result) {
        reloads(result).increment();
    }

    private Counter reloads(String result) {
        return Counter.builder("digits.model.reloads")
                .description("Model reload attempts, by result: loaded (swapped in) or rejected (old model kept)")
                .tag("result", result)
                .register(registry);
    }
}

package io.digitstream.classifier;

import io.digitstream.classifier.observe.ClassifierMetrics;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The stream classifier's topology: every record of the input topic becomes either a prediction (also sent to review
 * when its confidence is below the threshold) or a dead letter. Keys and values stay bytes end to end, so nothing the
 * producer sent is lost on the way to the DLQ.
 */
public final class ClassifierTopology {

    public static final String SOURCE = "images";
    public static final String CLASSIFY = "classify";
    public static final String PREDICTIONS_SINK = "predictions";
    public static final String REVIEW_SINK = "review";
    public static final String DLQ_SINK = "dlq";

    private ClassifierTopology() {
    }

    public static Topology build(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics) {
        return build(config, classifier, metrics, Clock.systemUTC());
    }

    /** @param clock stamps {@code classifiedAt}; tests pass a fixed one */
    public static Topology build(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics,
                                 Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();
        return new Topology()
                .addSource(SOURCE, bytesIn, bytesIn, config.inputTopic())
                .addProcessor(CLASSIFY, () -> new ClassifyProcessor(config, classifier, metrics, clock), SOURCE)
                .addSink(PREDICTIONS_SINK, config.predictionsTopic(), bytesOut, bytesOut, CLASSIFY)
                .addSink(REVIEW_SINK, config.reviewTopic(), bytesOut, bytesOut, CLASSIFY)
                .addSink(DLQ_SINK, config.dlqTopic(), bytesOut, bytesOut, CLASSIFY);
    }
}

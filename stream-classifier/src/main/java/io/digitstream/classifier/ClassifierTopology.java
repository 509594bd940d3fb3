package io.digitstream.classifier;

import io.digitstream.classifier.ClassificationOutcome.Predicted;
import io.digitstream.classifier.LabelOutcome.ValidLabel;
import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyCountsSerde;
import io.digitstream.classifier.event.PredictionEventSerde;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The stream classifier's topology: every record of the input topic becomes either a prediction (also sent to review
 * when its confidence is below the threshold or it was rejected as not-a-digit) or a dead letter ({@link ClassificationOutcome}), and every label a digit
 * or a dead letter ({@link LabelOutcome}); {@code split()} routes each kind to its topic. Keys and values stay bytes on
 * the way to the predictions, review and DLQ topics, so nothing the producer sent is lost.
 *
 * <p>Predictions whose truth is known, because it came with the image or because a label with the same id arrived
 * within {@code label.join.window}, feed a confusion matrix per model version (those rejected as not-a-digit are counted
 * apart, {@link AccuracyCounts}), kept in state stores (with changelogs) both cumulatively and per tumbling
 * {@code accuracy.window}, and published to the accuracy topic on every change.
 */
public final class ClassifierTopology {

    public static final String SOURCE = "images";
    public static final String CLASSIFY = "classify";
    public static final String PREDICTIONS_SINK = "predictions";
    public static final String REVIEW_SINK = "review";
    public static final String DLQ_SINK = "dlq";
    public static final String PREDICTIONS_BY_ID = "predictions-by-id";
    public static final String LABELS_SOURCE = "labels";
    public static final String CHECK_LABELS = "check-labels";
    public static final String LABEL_DIGIT = "label-digit";
    public static final String LABELS_DLQ_SINK = "labels-dlq";
    public static final String LABEL_JOIN = "label-join";
    public static final String LABELS_BY_ID = "labels-by-id";
    public static final String COUNTED_LABELS_STORE = "counted-late-labels";
    public static final String BY_MODEL_VERSION = "by-model-version";
    public static final String ACCURACY_STORE = "accuracy";
    public static final String WINDOWED_ACCURACY_STORE = "accuracy-windowed";
    // the split()s, whose branches are named prefix + branch: classified-predicted, checked-label-dead-lettered...
    private static final String CLASSIFIED = "classified-";
    private static final String CHECKED_LABEL = "checked-label-";
    private static final String PREDICTED = "predicted";
    private static final String VALID = "valid";
    private static final String DEAD_LETTERED = "dead-lettered";

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
        Serde<byte[]> bytes = Serdes.ByteArray();
        Serde<PredictionEvent> predictionSerde = new PredictionEventSerde();
        StreamsBuilder builder = new StreamsBuilder();

        // ClassifyProcessor writes each prediction's JSON once; the predictions, review and accuracy branches share it
        Map<String, KStream<byte[], ClassificationOutcome>> classified = builder
                .stream(config.inputTopic(), Consumed.with(bytes, bytes).withName(SOURCE))
                .process(() -> new ClassifyProcessor(config, classifier, metrics, clock), Named.as(CLASSIFY))
                .split(Named.as(CLASSIFIED))
                .branch((key, outcome) -> outcome instanceof Predicted, Branched.as(PREDICTED))
                .defaultBranch(Branched.withConsumer(
                        deadLetters -> toDeadLetterTopic(deadLetters, config.dlqTopic(), DLQ_SINK), DEAD_LETTERED));
        KStream<byte[], Predicted> predicted = classified.get(CLASSIFIED + PREDICTED)
                .mapValues(Predicted.class::cast, Named.as("prediction-outcome"));
        predicted.mapValues(Predicted::json, Named.as("prediction-json"))
                .to(config.predictionsTopic(), Produced.with(bytes, bytes).withName(PREDICTIONS_SINK));
        predicted.filter((key, p) -> p.forReview(), Named.as("for-review"))
                .mapValues(Predicted::json, Named.as("review-json"))
                .to(config.reviewTopic(), Produced.with(bytes, bytes).withName(REVIEW_SINK));
        // the accuracy branch meets the labels by event id, their key: each prediction goes there as the JSON written
        // above, repartitioned by that id as bytes and parsed once, on the far side
        KStream<byte[], PredictionEvent> byId = predicted
                .map((key, p) -> KeyValue.pair(p.event().id().getBytes(StandardCharsets.UTF_8), p.json()),
                        Named.as("by-event-id"))
                .repartition(Repartitioned.with(bytes, bytes).withName(PREDICTIONS_BY_ID))
                .mapValues(PredictionEvent::fromJson, Named.as("prediction"));

        Map<String, KStream<byte[], LabelOutcome>> checkedLabels = builder
                .stream(config.labelsTopic(), Consumed.with(bytes, bytes).withName(LABELS_SOURCE))
                .process(() -> new LabelProcessor(config, metrics), Named.as(CHECK_LABELS))
                .split(Named.as(CHECKED_LABEL))
                .branch((id, outcome) -> outcome instanceof ValidLabel, Branched.as(VALID))
                .defaultBranch(Branched.withConsumer(
                        deadLetters -> toDeadLetterTopic(deadLetters, config.dlqTopic(), LABELS_DLQ_SINK),
                        DEAD_LETTERED));
        // a window store keeps each counted id as long as a label could still join its prediction
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(COUNTED_LABELS_STORE,
                config.labelJoinWindow().multipliedBy(3), config.labelJoinWindow().multipliedBy(2), false),
                bytes, Serdes.Long()));
        // the labels' producers may partition by any hash (librdkafka's default, used by kcat and the Python and Go
        // clients, is not Java's), so they are repartitioned with Streams' own to meet their predictions
        KStream<byte[], Integer> labels = checkedLabels.get(CHECKED_LABEL + VALID)
                .mapValues(label -> ((ValidLabel) label).digit(), Named.as(LABEL_DIGIT))
                .repartition(Repartitioned.with(bytes, Serdes.Integer()).withName(LABELS_BY_ID));

        // a prediction that came with its truth is counted at once and never waits for (or joins) a late label
        KStream<byte[], PredictionEvent> lateLabelled = byId
                .filter((id, p) -> p.label() == null, Named.as("awaiting-label"))
                .join(labels, (p, label) -> p.withLabel(label),
                        JoinWindows.ofTimeDifferenceWithNoGrace(config.labelJoinWindow()),
                        StreamJoined.with(bytes, predictionSerde, Serdes.Integer())
                                .withName(LABEL_JOIN).withStoreName(LABEL_JOIN))
                .processValues(() -> new LateLabelDeduplicator(COUNTED_LABELS_STORE, config.labelJoinWindow(),
                        metrics), Named.as(COUNTED_LABELS_STORE), COUNTED_LABELS_STORE);
        KGroupedStream<String, PredictionEvent> byModel = byId
                .filter((id, p) -> p.label() != null, Named.as("labelled"))
                .merge(lateLabelled, Named.as("with-truth"))
                .groupBy((id, p) -> p.modelVersion(),
                        Grouped.with(BY_MODEL_VERSION, Serdes.String(), predictionSerde));

        // a prediction rejected as not-a-digit is counted apart from the confusion matrix (AccuracyCounts)
        Aggregator<String, PredictionEvent, AccuracyCounts> count = (version, p, counts) -> counts.add(p);
        Serde<AccuracyCounts> countsSerde = new AccuracyCountsSerde();
        Serde<AccuracyReport> reportSerde = Serdes.serdeFrom((topic, r) -> AccuracyReport.toJson(r),
                (topic, json) -> AccuracyReport.fromJson(json));
        KTable<String, AccuracyCounts> cumulative = byModel.aggregate(AccuracyCounts::empty, count,
                Named.as("count-cumulative"),
                Materialized.<String, AccuracyCounts, KeyValueStore<Bytes, byte[]>>as(ACCURACY_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(countsSerde));
        // a late label makes its prediction count late, so a window stays open as long as a label may arrive
        byModel.windowedBy(TimeWindows.ofSizeAndGrace(config.accuracyWindow(), config.labelJoinWindow()))
                .aggregate(AccuracyCounts::empty, count, Named.as("count-windowed"),
                        Materialized.<String, AccuracyCounts, WindowStore<Bytes, byte[]>>as(WINDOWED_ACCURACY_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(countsSerde))
                .toStream(Named.as("windowed-changes"))
                .peek((window, counts) -> metrics.windowAccuracy(window.key(), window.window().start(),
                        counts.matrix(), counts.rejected()), Named.as("windowed-gauges"))
                .map((window, counts) -> KeyValue.pair(window.key() + "@" + window.window().start(),
                        counts.report(window.key(), window.window().start(), window.window().end())),
                        Named.as("windowed-report"))
                .to(config.accuracyTopic(), Produced.with(Serdes.String(), reportSerde)
                        .withName("windowed-accuracy"));
        // the gauges of both scopes live and go with the task that holds these stores
        cumulative.toStream(Named.as("cumulative-changes"))
                .processValues(() -> new TaskAccuracyGauges(ACCURACY_STORE, WINDOWED_ACCURACY_STORE, metrics),
                        Named.as("cumulative-gauges"), ACCURACY_STORE, WINDOWED_ACCURACY_STORE)
                .mapValues((version, counts) -> counts.report(version, null, null),
                        Named.as("cumulative-report"))
                .to(config.accuracyTopic(), Produced.with(Serdes.String(), reportSerde).withName("accuracy"));
        return builder.build();
    }

    /** Writes a branch of {@link DeadLettered} outcomes: the value it holds, under the record's key and headers. */
    private static <V> void toDeadLetterTopic(KStream<byte[], V> deadLetters, String topic, String sinkName) {
        deadLetters.mapValues(outcome -> ((DeadLettered) outcome).value(), Named.as(sinkName + "-value"))
                .to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(sinkName));
    }
}

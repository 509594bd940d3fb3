package io.digitstream.classifier;

import io.digitstream.classifier.ClassificationOutcome.Predicted;
import io.digitstream.classifier.LabelOutcome.ValidLabel;
import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyCountsSerde;
import io.digitstream.classifier.event.AccuracyDelta;
import io.digitstream.classifier.event.AccuracyDeltaSerde;
import io.digitstream.classifier.event.AccuracyScope;
import io.digitstream.classifier.event.AccuracyScopeSerde;
import io.digitstream.classifier.event.PredictionEventSerde;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * The stream classifier's topology: every record of the input topic becomes either a prediction (also sent to review
 * when its confidence is below the threshold or it was rejected as not-a-digit) or a dead letter ({@link ClassificationOutcome}), and every label a digit
 * or a dead letter ({@link LabelOutcome}); {@code split()} routes each kind to its topic. Keys and values stay bytes on
 * the way to the predictions, review and DLQ topics, so nothing the producer sent is lost.
 *
 * <p>Predictions whose truth is known, because it came with the image or because a label with the same id arrived
 * within {@code label.join.window} (unless {@code label.join.enabled} is false, which leaves the labels topic unread and
 * the join out), feed a confusion matrix per model version (those rejected as not-a-digit are counted
 * apart, {@link AccuracyCounts}), both cumulatively and per tumbling {@code accuracy.window}, in two stages: the task
 * that sees the truth counts it into partial counts and sends them on once per commit interval
 * ({@link AccuracyDeltaCounter}), and the task of the model version's partition adds those deltas up into the state
 * stores the accuracy topic and gauges come from ({@link AccuracyDeltaMerger}). So a labelled prediction costs no
 * record of its own on an internal topic, and the counting spreads over every instance.
 */
public final class ClassifierTopology {

    public static final String SOURCE = "images";
    public static final String CLASSIFY = "classify";
    public static final String CLASSIFY_BATCH_STORE = "classify-batch";
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
    public static final String PARTIAL_ACCURACY_STORE = "partial-accuracy";
    public static final String LATE_PARTIAL_ACCURACY_STORE = "late-partial-accuracy";
    public static final String ACCURACY_DELTAS = "accuracy-deltas";
    public static final String MERGE_DELTAS = "merge-accuracy-deltas";
    public static final String ACCURACY_STORE = "accuracy";
    public static final String WINDOWED_ACCURACY_STORE = "accuracy-windowed";
    // the split()s, whose branches are named prefix + branch: classified-predicted, checked-label-dead-lettered...
    private static final String CLASSIFIED = "classified-";
    private static final String CHECKED_LABEL = "checked-label-";
    private static final String PREDICTED = "predicted";
    private static final String VALID = "valid";
    private static final String DEAD_LETTERED = "dead-lettered";
    private static final String BY_ID = "by-id-";
    private static final String DELTA = "delta";
    private static final String PREDICTION = "prediction";
    private static final String UNLABELLED = "unlabelled-";
    private static final String IN_PLACE = "in-place";
    private static final String ELSEWHERE = "elsewhere";

    private ClassifierTopology() {
    }

    /**
     * @param inputPartitions the input topic's partitions (0 if unknown): with them, the predictions of images keyed by
     *                        their id and partitioned as Kafka's Java producer does join their labels without
     *                        crossing {@code predictions-by-id} ({@link ByIdPartitions})
     */
    public static Topology build(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics,
                                 int inputPartitions) {
        return build(config, classifier, metrics, Clock.systemUTC(), new ByIdPartitions(inputPartitions));
    }

    /** The topology with every prediction that awaits a label crossing {@code predictions-by-id}; tests. */
    public static Topology build(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics) {
        return build(config, classifier, metrics, Clock.systemUTC(), ByIdPartitions.UNKNOWN);
    }

    /** @param clock stamps {@code classifiedAt}; tests pass a fixed one */
    public static Topology build(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics,
                                 Clock clock) {
        return build(config, classifier, metrics, clock, ByIdPartitions.UNKNOWN);
    }

    static Topology build(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics,
                          Clock clock, ByIdPartitions byIdPartitions) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        Serde<byte[]> bytes = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();

        // the images a task holds for one model call (ImageBatch), written to the changelog only if still held at a
        // commit; an in-memory store restores its whole changelog at start, so the changelog's segments roll every
        // minute for compaction to bring it down to the few places of a batch
        builder.addStateStore(HeldRecordStore.builder(CLASSIFY_BATCH_STORE, Map.of(
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(1).toMillis()))));
        // ClassifyProcessor writes each prediction's JSON once; the predictions, review and accuracy branches share it
        Map<String, KStream<byte[], ClassificationOutcome>> classified = builder
                .stream(config.inputTopic(), Consumed.with(bytes, bytes).withName(SOURCE))
                // processValues: the predictions keep their input key, so the join below knows which are in place
                .processValues(() -> new KeyKeepingProcessor<>(
                        new ClassifyProcessor(config, classifier, metrics, clock, CLASSIFY_BATCH_STORE)),
                        Named.as(CLASSIFY), CLASSIFY_BATCH_STORE)
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
        // a prediction that came with its truth is counted here, in its own task (stage one: partial counts sent as a
        // delta per model version every commit interval, AccuracyDeltaCounter)
        Serde<AccuracyCounts> countsSerde = new AccuracyCountsSerde();
        builder.addStateStore(partialCounts(PARTIAL_ACCURACY_STORE, countsSerde));
        KStream<String, AccuracyDelta> labelledDeltas = predicted
                .filter((key, p) -> p.event().label() != null, Named.as("labelled"))
                .mapValues(Predicted::event, Named.as("labelled-prediction"))
                .process(() -> new AccuracyDeltaCounter<byte[]>(PARTIAL_ACCURACY_STORE, config.accuracyWindow(),
                        config.labelJoinWindow()), Named.as(PARTIAL_ACCURACY_STORE), PARTIAL_ACCURACY_STORE);
        KStream<String, AccuracyDelta> deltas = config.labelJoinEnabled()
                ? withLateLabels(builder, config, metrics, predicted, labelledDeltas, countsSerde, byIdPartitions)
                : labelledDeltas;

        // stage two: the deltas, keyed by model version, meet in the task that holds that version's running counts
        // (the stores keep the names and value format of the aggregations they replace, so an upgrade keeps its counts)
        Duration window = config.accuracyWindow();
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(ACCURACY_STORE), Serdes.String(), countsSerde));
        builder.addStateStore(Stores.timestampedWindowStoreBuilder(
                Stores.persistentTimestampedWindowStore(WINDOWED_ACCURACY_STORE,
                        window.plus(config.labelJoinWindow()), window, false), Serdes.String(), countsSerde));
        Serde<AccuracyReport> reportSerde = Serdes.serdeFrom((topic, r) -> AccuracyReport.toJson(r),
                (topic, json) -> AccuracyReport.fromJson(json));
        deltas.repartition(Repartitioned.with(Serdes.String(), new AccuracyDeltaSerde()).withName(ACCURACY_DELTAS))
                .process(() -> new AccuracyDeltaMerger(ACCURACY_STORE, WINDOWED_ACCURACY_STORE, window.toMillis(),
                        metrics), Named.as(MERGE_DELTAS), ACCURACY_STORE, WINDOWED_ACCURACY_STORE)
                .to(config.accuracyTopic(), Produced.with(Serdes.String(), reportSerde).withName("accuracy"));
        return builder.build();
    }

    /**
     * Late labels: the predictions that came without their truth meet the labels by event id, their key, in the task
     * of the partition that id hashes to. The input topic is part of the join (so Kafka Streams gives the by-id topics
     * its partition count), and a prediction whose image was read from that partition under its id joins in the task
     * that classified it ({@link ByIdPartitions}). Any other crosses {@code predictions-by-id} as the JSON the classify
     * step wrote, parsed once on the far side. Classifiers before the in-place join also sent the labelled
     * predictions' deltas over that topic ({@link AccuracyDeltaSerde} tells them apart); an upgrade still counts what
     * they left there.
     *
     * @return the deltas of the labelled predictions and of the late-labelled ones, keyed by model version
     */
    private static KStream<String, AccuracyDelta> withLateLabels(StreamsBuilder builder, ClassifierConfig config,
            ClassifierMetrics metrics, KStream<byte[], Predicted> predicted,
            KStream<String, AccuracyDelta> labelledDeltas, Serde<AccuracyCounts> countsSerde,
            ByIdPartitions byIdPartitions) {
        Serde<byte[]> bytes = Serdes.ByteArray();
        Serde<AccuracyDelta> deltaSerde = new AccuracyDeltaSerde();
        Map<String, KStream<byte[], Predicted>> unlabelled = predicted
                .filter((key, p) -> p.event().label() == null, Named.as("unlabelled"))
                .split(Named.as(UNLABELLED))
                .branch((key, p) -> byIdPartitions.joinsWhereRead(key, p.event().id(), p.sourcePartition()),
                        Branched.as(IN_PLACE))
                .defaultBranch(Branched.as(ELSEWHERE));
        Map<String, KStream<byte[], byte[]>> byIdRecords = unlabelled.get(UNLABELLED + ELSEWHERE)
                .map((key, p) -> KeyValue.pair(p.event().id().getBytes(StandardCharsets.UTF_8), p.json()),
                        Named.as("by-event-id"))
                .repartition(Repartitioned.with(bytes, bytes).withName(PREDICTIONS_BY_ID))
                .split(Named.as(BY_ID))
                .branch((key, value) -> AccuracyDeltaSerde.isDelta(value), Branched.as(DELTA))
                .defaultBranch(Branched.as(PREDICTION));
        KStream<String, AccuracyDelta> upgradeDeltas = byIdRecords.get(BY_ID + DELTA)
                .map((key, value) -> {
                    AccuracyDelta delta = deltaSerde.deserializer().deserialize(null, value);
                    return KeyValue.pair(delta.scope().modelVersion(), delta);
                }, Named.as("labelled-delta"));
        // the join's task is the input partition's: a prediction already there joins without the round trip
        KStream<byte[], PredictionEvent> byId = byIdRecords.get(BY_ID + PREDICTION)
                .mapValues(PredictionEvent::fromJson, Named.as("prediction"))
                .merge(unlabelled.get(UNLABELLED + IN_PLACE).mapValues(Predicted::event, Named.as("in-place-event")),
                        Named.as("awaiting-by-id"));

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

        KStream<byte[], PredictionEvent> lateLabelled = byId
                .filter((id, p) -> p.label() == null, Named.as("awaiting-label"))
                .join(labels, (p, label) -> p.withLabel(label),
                        JoinWindows.ofTimeDifferenceWithNoGrace(config.labelJoinWindow()),
                        StreamJoined.with(bytes, new PredictionEventSerde(), Serdes.Integer())
                                .withName(LABEL_JOIN).withStoreName(LABEL_JOIN))
                .processValues(() -> new LateLabelDeduplicator(COUNTED_LABELS_STORE, config.labelJoinWindow(),
                        metrics), Named.as(COUNTED_LABELS_STORE), COUNTED_LABELS_STORE);
        // the late-labelled predictions are counted in the join's task the same way; so are labelled predictions that
        // a classifier from before the deltas left on the by-id repartition (an upgrade)
        builder.addStateStore(partialCounts(LATE_PARTIAL_ACCURACY_STORE, countsSerde));
        KStream<String, AccuracyDelta> lateCounts = byId
                .filter((id, p) -> p.label() != null, Named.as("labelled-before-deltas"))
                .merge(lateLabelled, Named.as("with-truth"))
                .process(() -> new AccuracyDeltaCounter<byte[]>(LATE_PARTIAL_ACCURACY_STORE, config.accuracyWindow(),
                        config.labelJoinWindow()), Named.as(LATE_PARTIAL_ACCURACY_STORE), LATE_PARTIAL_ACCURACY_STORE);
        return labelledDeltas.merge(upgradeDeltas, Named.as("labelled-deltas"))
                .merge(lateCounts, Named.as("deltas"));
    }

    /** A task's partial counts: cached, so a commit writes each changed scope once to the changelog. */
    private static StoreBuilder<TimestampedKeyValueStore<AccuracyScope, AccuracyCounts>> partialCounts(
            String name, Serde<AccuracyCounts> countsSerde) {
        return Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(name),
                new AccuracyScopeSerde(), countsSerde).withCachingEnabled();
    }

    /** Writes a branch of {@link DeadLettered} outcomes: the value it holds, under the record's key and headers. */
    private static <V> void toDeadLetterTopic(KStream<byte[], V> deadLetters, String topic, String sinkName) {
        deadLetters.mapValues(outcome -> ((DeadLettered) outcome).value(), Named.as(sinkName + "-value"))
                .to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(sinkName));
    }
}

package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyCountsSerde;
import io.digitstream.classifier.event.AccuracyDelta;
import io.digitstream.classifier.event.AccuracyScope;
import io.digitstream.classifier.event.AccuracyScopeSerde;
import io.digitstream.contract.PredictionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stage one of the accuracy on its own: partial counts in a store, sent as deltas by a wall-clock punctuation. A
 * restart is a new counter on the store as its changelog restores it: it sends what was pending, once.
 */
class AccuracyDeltaCounterTest {

    private static final String STORE = "partial";
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final long T0 = 1_690_000_020_000L; // a window start

    private TimestampedKeyValueStore<AccuracyScope, AccuracyCounts> store;
    private MockProcessorContext<String, AccuracyDelta> context;
    private AccuracyDeltaCounter<byte[]> counter;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        context = new MockProcessorContext<>(config);
        context.setCurrentStreamTimeMs(0);
        store = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), new AccuracyScopeSerde(),
                new AccuracyCountsSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        counter = startCounter();
    }

    @Test
    void punctuatesEveryCommitIntervalOnTheWallClock() {
        MockProcessorContext.CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);

        assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(punctuator.getInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void sendsOneDeltaPerScopeAndClearsIt() {
        count(7, 7, "v1", T0, false);
        count(7, 1, "v1", T0 + 1, false);
        count(4, 4, "v1", T0 + WINDOW.toMillis(), true);
        count(3, 3, "v2", T0, false);

        List<Record<String, AccuracyDelta>> sent = punctuate();

        assertThat(sent).extracting(Record::key).containsExactlyInAnyOrder("v1", "v1", "v1", "v2", "v2");
        assertThat(delta(sent, AccuracyScope.cumulative("v1")).matrix().total()).isEqualTo(2);
        assertThat(delta(sent, AccuracyScope.cumulative("v1")).rejected()).isEqualTo(1);
        assertThat(delta(sent, AccuracyScope.window("v1", T0)).matrix().count(7, 1)).isEqualTo(1);
        assertThat(delta(sent, AccuracyScope.window("v1", T0 + WINDOW.toMillis())).rejected()).isEqualTo(1);
        assertThat(sent.stream().filter(r -> r.value().scope().equals(AccuracyScope.window("v1", T0))).findFirst()
                .orElseThrow().timestamp()).as("the latest time counted").isEqualTo(T0 + 1);
        assertThat(punctuate()).as("cleared: nothing twice").isEmpty();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void aWindowClosedByStreamTimePastItsGraceCountsOnlyCumulatively() {
        context.setCurrentStreamTimeMs(T0 + WINDOW.toMillis() + GRACE.toMillis());
        count(1, 1, "v1", T0, false);

        List<Record<String, AccuracyDelta>> sent = punctuate();

        assertThat(sent).extracting(r -> r.value().scope()).containsExactly(AccuracyScope.cumulative("v1"));
    }

    @Test
    void aRestartedCounterSendsWhatWasPendingOnce() {
        count(7, 7, "v1", T0, false);
        punctuate();
        count(2, 2, "v1", T0, false);
        count(2, 3, "v1", T0, true);
        // stopped before its punctuation; the store, as its changelog restores it, still holds the partial counts
        counter.close();
        context.resetForwards();
        counter = startCounter();
        count(5, 5, "v1", T0, false);

        List<Record<String, AccuracyDelta>> sent = punctuate();

        AccuracyCounts cumulative = delta(sent, AccuracyScope.cumulative("v1"));
        assertThat(cumulative.matrix().total()).as("2->2 before the restart, 5->5 after; 7->7 was sent").isEqualTo(2);
        assertThat(cumulative.matrix().count(7, 7)).isZero();
        assertThat(cumulative.rejected()).isEqualTo(1);
        assertThat(punctuate()).isEmpty();
    }

    private AccuracyDeltaCounter<byte[]> startCounter() {
        AccuracyDeltaCounter<byte[]> started = new AccuracyDeltaCounter<>(STORE, WINDOW, GRACE);
        started.init(context);
        return started;
    }

    private void count(int label, int digit, String version, long time, boolean rejected) {
        PredictionEvent p = new PredictionEvent("id", digit, 0.9f, new float[10], version, label, label == digit,
                time, time);
        context.setCurrentStreamTimeMs(Math.max(context.currentStreamTimeMs(), time));
        counter.process(new Record<>(new byte[0], rejected ? p.rejected(PredictionEvent.NOT_A_DIGIT, 1) : p, time));
    }

    private List<Record<String, AccuracyDelta>> punctuate() {
        context.resetForwards();
        // the punctuator of the counter started last (the mock keeps those of a closed one)
        List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(0);
        return context.forwarded().stream()
                .map(f -> new Record<String, AccuracyDelta>(f.record().key(), f.record().value(),
                        f.record().timestamp()))
                .toList();
    }

    private static AccuracyCounts delta(List<Record<String, AccuracyDelta>> sent, AccuracyScope scope) {
        return sent.stream().filter(r -> r.value().scope().equals(scope)).findFirst().orElseThrow().value().counts();
    }
}

package io.digitstream.classifier;

import io.digitstream.contract.AccuracyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** What every TopologyTestDriver test needs the same way. */
final class TopologyTestSupport {

    private TopologyTestSupport() {
    }

    /**
     * The config's Streams properties with state stores in {@code stateDir}: the driver keeps them on disk, and the
     * default, /tmp/kafka-streams/&lt;application id&gt;, is shared with anything else on the machine of that id.
     */
    static Properties streamsProperties(ClassifierConfig config, Path stateDir) {
        return config.with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString())
                .toStreamsProperties();
    }

    /**
     * Lets the wall clock pass the default {@code classify.batch.linger.ms}, so that the images piped in so far, held
     * for a batch, are classified and their outputs can be read.
     */
    static void classifyHeld(TopologyTestDriver driver) {
        driver.advanceWallClockTime(ClassifierConfig.defaults().classifyBatchLinger());
    }

    /**
     * Lets the wall clock pass a commit interval (30 s at most, at-least-once's default), so that the tasks' wall-clock
     * punctuation sends their accuracy deltas on: the accuracy records and gauges then show every labelled prediction
     * piped in so far.
     */
    static void sendAccuracyDeltas(TopologyTestDriver driver) {
        driver.advanceWallClockTime(Duration.ofMinutes(1));
    }

    /** Sends the accuracy deltas on, then reads the accuracy topic: the last record per key. */
    static Map<String, AccuracyReport> latestAccuracy(TopologyTestDriver driver,
                                                      TestOutputTopic<String, byte[]> accuracy) {
        sendAccuracyDeltas(driver);
        Map<String, AccuracyReport> byKey = new LinkedHashMap<>();
        accuracy.readRecordsToList().forEach(r -> byKey.put(r.key(), AccuracyReport.fromJson(r.value())));
        return byKey;
    }
}

package io.digitstream.classifier;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

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
}

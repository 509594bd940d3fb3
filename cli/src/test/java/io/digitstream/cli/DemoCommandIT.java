package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.core.PrintedOutput;
import io.digitstream.core.mnist.MnistDataCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./digits demo} end to end on a small count, on free ports. */
class DemoCommandIT {

    private static final Pattern BROKER_LOG = Pattern.compile("The broker's log goes to (\\S+) \\(kept after the run\\)");

    @Test
    void demoRunsEndToEndAndMatchesTheOfflineAccuracy() throws IOException {
        assumeTrue(new MnistDataCache().isComplete(), "MNIST not cached: run ./digits fetch-data to check this");

        CommandRun run;
        String printed;
        try (PrintedOutput output = PrintedOutput.capture()) {
            run = CommandRun.execute("demo", "--count", "400", "--rate", "0", "--port", "0", "--metrics-port", "0",
                    "--model", ShippedModel.FILE.toString());
            printed = output.text();
        }

        assertThat(run.exitCode()).as(run.out() + "\n" + run.err()).isZero();
        assertThat(run.out()).contains("Sent 400 images (0 failed); 400 predictions and 0 dead letters")
                .contains("the same model on the same images: equal")
                .contains("Confusion matrix").contains("precision").contains("/metrics");
        // the broker's log is in its file, named once, and nowhere in what the demo printed
        Matcher named = BROKER_LOG.matcher(run.out());
        assertThat(named.find()).as(run.out()).isTrue();
        assertThat(run.out()).containsOnlyOnce("The broker's log");
        Path log = Path.of(named.group(1));
        try {
            assertThat(Files.readString(log)).contains("INFO kafka.server.");
            assertThat(run.out() + run.err() + printed).doesNotContain("kafka.server").doesNotContain("ReplicaManager")
                    .doesNotContain("org.apache.kafka.server").doesNotContain("org.apache.kafka.controller");
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(log.getParent());
        }
    }
}

package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.core.mnist.MnistDataCache;
import org.junit.jupiter.api.Test;

/** {@code ./digits demo} end to end on a small count, on free ports. */
class DemoCommandIT {

    @Test
    void demoRunsEndToEndAndMatchesTheOfflineAccuracy() {
        assumeTrue(new MnistDataCache().isComplete(), "MNIST not cached: run ./digits fetch-data to check this");

        CommandRun run = CommandRun.execute("demo", "--count", "400", "--rate", "0", "--port", "0", "--metrics-port", "0",
                "--model", ShippedModel.FILE.toString());

        assertThat(run.exitCode()).as(run.out() + "\n" + run.err()).isZero();
        assertThat(run.out()).contains("Sent 400 images (0 failed); 400 predictions and 0 dead letters")
                .contains("the same model on the same images: equal")
                .contains("Confusion matrix").contains("precision").contains("/metrics");
    }
}

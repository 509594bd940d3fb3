package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.core.mnist.MnistDataCache;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code ./digits demo} end to end on a small count, on free ports. */
class DemoCommandTest {

    @Test
    void demoRunsEndToEndAndMatchesTheOfflineAccuracy() {
        assumeTrue(new MnistDataCache().isComplete(), "MNIST not cached: run ./digits fetch-data to check this");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = DigitsCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("demo", "--count", "400", "--rate", "0", "--port", "0", "--metrics-port", "0",
                "--model", ShippedModel.FILE.toString());

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("Sent 400 images (0 failed); 400 predictions and 0 dead letters")
                .contains("the same model on the same images: equal")
                .contains("Confusion matrix").contains("precision").contains("/metrics");
    }
}

package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./digits serve} refuses bad settings and models up front; serving itself is ClassifierApplicationTest's. */
class ServeCommandTest {

    /** Nothing listens there: each case must fail before it would connect. */
    private static final String NO_BROKER = "127.0.0.1:1";

    @TempDir
    Path dir;

    @Test
    void refusesAMissingModelBeforeTouchingKafka() {
        Path missing = dir.resolve("missing.onnx");
        String err = executeFailing("serve", "--bootstrap-servers", NO_BROKER, "--metrics-port", "0",
                "--model", missing.toString());

        assertThat(err).contains("digits serve:").contains("missing.onnx");
    }

    @Test
    void refusesZeroPartitions() {
        String err = executeFailing("serve", "--bootstrap-servers", NO_BROKER, "--partitions", "0");

        assertThat(err).contains("topic.partitions must be positive: 0");
    }

    private static String executeFailing(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = DigitsCommand.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(code).as(err.toString()).isNotZero();
        return err.toString();
    }
}

package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.ClassifierConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./digits serve} refuses bad settings and models up front, and starts no broker unless asked; serving itself is
 * ClassifierApplicationIT's.
 */
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
    void exitsNonZeroWithOneLineWhenNoBrokerAnswersWithinTheWaitTimeout() throws Exception {
        Path file = dir.resolve("classifier.properties");
        Files.writeString(file, "broker.wait.timeout=PT3S\n");
        CommandRun run = CommandRun.execute("serve", "--bootstrap-servers", NO_BROKER, "--metrics-port", "0",
                "--config", file.toString(), "--model", ShippedModel.FILE.toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("digits serve: no Kafka broker answered at " + NO_BROKER + " within PT3S")
                .contains("bootstrap.servers");
    }

    @Test
    void withoutBrokersNamedItJoinsTheDefaultAddressAndSaysHowToRunABrokerThere() {
        CommandRun run = CommandRun.execute("serve", "--metrics-port", "0",
                "--model", dir.resolve("missing.onnx").toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.out()).contains("joining Kafka at " + ClassifierConfig.BOOTSTRAP_SERVERS)
                .contains("./digits kafka").contains("--local-broker")
                .doesNotContain("Started a local Kafka broker");
    }

    @Test
    void refusesALocalBrokerBesideNamedBrokers() {
        String err = executeFailing("serve", "--local-broker", "--bootstrap-servers", NO_BROKER);

        assertThat(err).contains("--local-broker").contains("bootstrap.servers");
    }

    @Test
    void refusesZeroPartitions() {
        String err = executeFailing("serve", "--bootstrap-servers", NO_BROKER, "--partitions", "0");

        assertThat(err).contains("Invalid value 0 for configuration topic.partitions: Value must be at least 1");
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheConfigFile() throws Exception {
        Path file = dir.resolve("classifier.properties");
        Files.writeString(file, "review.threshold=0.5\nsecurity.protocol=SSL\nbootstrap.servers=file:1\n"
                + "streams.num.stream.threads=2\n");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--config", file.toString(), "--review-threshold", "0.7",
                "--not-digit-threshold", "-7.5");

        ClassifierConfig config = ClassifierConfig.fromMap(serve.settings(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_BOOTSTRAP_SERVERS", "env:1")));

        assertThat(config.reviewThreshold()).isEqualTo(0.7);
        assertThat(config.notDigitThreshold(Double.NaN)).isEqualTo(-7.5);
        assertThat(config.bootstrapServers()).isEqualTo("env:1");
        assertThat(config.kafkaClient()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.streamsOverrides()).containsEntry("num.stream.threads", "2");
    }

    @Test
    void adminTokenComesFromTheEnvironmentOverTheConfigFile() throws Exception {
        Path file = dir.resolve("classifier.properties");
        Files.writeString(file, "admin.token=token-from-the-file-0123\n");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--config", file.toString());

        assertThat(ClassifierConfig.fromMap(serve.settings(Map.of(ServeCommand.ADMIN_TOKEN_ENV,
                "token-from-the-environment-0123"))).adminToken()).isEqualTo("token-from-the-environment-0123");
        // Compose passes ${DIGITS_ADMIN_TOKEN:-} as an empty variable when it is not set
        assertThat(ClassifierConfig.fromMap(serve.settings(Map.of(ServeCommand.ADMIN_TOKEN_ENV, "")))
                .adminToken()).isEqualTo("token-from-the-file-0123");
        assertThat(ClassifierConfig.fromMap(serve.settings(Map.of())).adminToken())
                .isEqualTo("token-from-the-file-0123");
    }

    @Test
    void withoutAnAdminTokenTheReloadEndpointIsOff() throws Exception {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();

        assertThat(ClassifierConfig.fromMap(serve.settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:1"))).adminToken())
                .isEmpty();
    }

    @Test
    void refusesAShortAdminTokenWithoutPrintingIt() throws Exception {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        Map<String, String> settings = serve.settings(Map.of(ServeCommand.ADMIN_TOKEN_ENV, "letmein"));

        assertThatThrownBy(() -> ClassifierConfig.fromMap(settings))
                .hasMessageContaining("admin.token: must be at least 16").hasMessageNotContaining("letmein");
    }

    @Test
    void refusesATypoInTheConfigFile() throws Exception {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "reveiw.threshold=0.5\n");

        String err = executeFailing("serve", "--config", file.toString());

        assertThat(err).contains("unknown setting 'reveiw.threshold'");
    }

    private static String executeFailing(String... args) {
        CommandRun run = CommandRun.execute(args);
        assertThat(run.exitCode()).as(run.err()).isNotZero();
        return run.err();
    }
}

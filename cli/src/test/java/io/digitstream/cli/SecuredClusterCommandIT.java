package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.KafkaClientSettings;
import io.digitstream.core.PrintedOutput;
import io.digitstream.localbroker.SecuredKafkaFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce}, {@code tail}, {@code demo} and {@code serve} as users run them against a broker that requires
 * TLS and SASL/SCRAM-SHA-512, configured by {@code --config client.properties} or {@code KAFKA_*} variables alone.
 */
class SecuredClusterCommandIT {

    @RegisterExtension
    static final SecuredKafkaFixture KAFKA = new SecuredKafkaFixture();

    /** A refused login must fail well before the admin client's 60 s timeout; generous for a loaded machine. */
    private static final Duration FAST = Duration.ofSeconds(30);

    @TempDir
    static Path shared;

    /** The MNIST samples shipped with core's tests (500 test images), laid out as the data cache. */
    private static Path mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void sampleMnistCache() throws IOException {
        mnist = MnistSampleCache.createIn(shared);
    }

    @Test
    void produceThenTailThePredictionsThroughAClientPropertiesFile() throws IOException {
        Path config = clientProperties(KAFKA.clientSettings(), "pt");
        ClassifierConfig classifier = ClassifierConfig.fromMap(KafkaClientSettings.readPropertiesFile(config))
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, "secured-cli")
                .with(ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, "PT0S")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());

        try (ClassifierApplication app = ClassifierApplication.start(classifier, ShippedModel.FILE, 0)) {
            CommandRun produce = CommandRun.execute("produce", "--count", "40", "--no-progress", "--data-dir",
                    mnist.toString(), "--bootstrap-servers", KAFKA.bootstrapServers(), "--config", config.toString());
            CommandRun tail = CommandRun.execute("tail", "--from-beginning", "--count", "40", "--summary",
                    "--idle-timeout", "3m", "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--config", config.toString());

            assertThat(produce.exitCode()).as(produce.err()).isZero();
            assertThat(produce.out()).contains("Sent 40 image(s), 0 failed");
            assertThat(tail.exitCode()).as(tail.err()).isZero();
            assertThat(tail.out()).contains("predictions 40, labelled 40").contains("Confusion matrix");
            assertThat(tail.out().lines().filter(line -> line.startsWith("mnist-test-"))).hasSize(40);
        }
    }

    @Test
    void demoRunsOnTheSecuredClusterAndMatchesTheOfflineAccuracy() throws IOException {
        Path config = clientProperties(KAFKA.clientSettings(), "demo");

        CommandRun run = CommandRun.execute("demo", "--count", "200", "--rate", "0", "--metrics-port", "0",
                "--data-dir", mnist.toString(), "--model", ShippedModel.FILE.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--config", config.toString());

        assertThat(run.exitCode()).as(run.out() + "\n" + run.err()).isZero();
        assertThat(run.out()).contains("Starting on Kafka at " + KAFKA.bootstrapServers())
                .contains("Sent 200 images (0 failed); 200 predictions and 0 dead letters")
                .contains("the same model on the same images: equal");
    }

    @Test
    void theKafkaEnvironmentVariablesAloneConnect() throws IOException {
        Map<String, String> environment = new HashMap<>();
        KAFKA.clientSettings().forEach((key, value) -> environment.put(variable(key), value));
        environment.put("KAFKA_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
        ClassifierConfig config = ClassifierConfig.fromMap(new KafkaConnectionOptions().settings(environment));

        BrokerCheck.requireReachable(config.clientProperties(), Duration.ofSeconds(30));

        environment.put("KAFKA_SASL_JAAS_CONFIG", KAFKA.clientSettingsWithWrongPassword().get("sasl.jaas.config"));
        ClassifierConfig wrong = ClassifierConfig.fromMap(new KafkaConnectionOptions().settings(environment));
        assertThatThrownBy(() -> BrokerCheck.requireReachable(wrong.clientProperties(), Duration.ofSeconds(30)))
                .hasMessageContaining("sasl.jaas.config");
    }

    @Test
    void aWrongPasswordFailsServeProduceAndTailWithinSecondsNamingSaslJaasConfig() throws IOException {
        String config = clientProperties(KAFKA.clientSettingsWithWrongPassword(), "wrong").toString();
        String[][] commands = {
            {"serve", "--metrics-port", "0", "--model", ShippedModel.FILE.toString()},
            {"produce", "--count", "5", "--no-progress", "--data-dir", mnist.toString()},
            {"tail", "--count", "1"},
        };

        for (String[] command : commands) {
            CommandRun run;
            long started = System.nanoTime();
            try (PrintedOutput printed = PrintedOutput.capture()) {
                run = CommandRun.execute(withConnection(command, config));
                assertThat(printed.text()).as("logs of " + command[0])
                        .doesNotContain(SecuredKafkaFixture.WRONG_PASSWORD)
                        .doesNotContain(SecuredKafkaFixture.PASSWORD);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(run.exitCode()).as(command[0] + ": " + run.err()).isNotZero();
            assertThat(run.err()).as(command[0])
                    .containsOnlyOnce("digits " + command[0] + ": ")
                    .contains(KAFKA.bootstrapServers())
                    .contains("refused the login")
                    .contains("check the user name and password in sasl.jaas.config")
                    .doesNotContain(SecuredKafkaFixture.WRONG_PASSWORD)
                    .doesNotContain(SecuredKafkaFixture.PASSWORD);
            assertThat(run.out()).doesNotContain(SecuredKafkaFixture.WRONG_PASSWORD);
            assertThat(took).as(command[0] + " took").isLessThan(FAST);
        }
    }

    @Test
    void anUntrustedBrokerCertificateNamesTheTrustStore() throws IOException {
        String config = clientProperties(KAFKA.clientSettingsTrustingAnotherCertificate(), "untrusted").toString();

        CommandRun run = CommandRun.execute(withConnection(new String[] {"tail", "--count", "1"}, config));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("digits tail: cannot connect to Kafka at " + KAFKA.bootstrapServers())
                .contains("TLS handshake failed").contains("check ssl.truststore.location");
    }

    @Test
    void settingsTheClientCannotBeCreatedWithAreNamedRatherThanFailedToCreateAClient() throws IOException {
        Map<String, String> noSemicolon = new HashMap<>(KAFKA.clientSettings());
        noSemicolon.put("sasl.jaas.config", noSemicolon.get("sasl.jaas.config").replace(";", ""));
        Map<String, String> noTrustStore = new HashMap<>(KAFKA.clientSettings());
        noTrustStore.put("ssl.truststore.location", dir.resolve("missing-truststore.p12").toString());

        CommandRun jaas = CommandRun.execute(withConnection(new String[] {"produce", "--no-progress", "--count", "1",
                "--data-dir", mnist.toString()}, clientProperties(noSemicolon, "jaas").toString()));
        CommandRun trust = CommandRun.execute(withConnection(new String[] {"tail", "--count", "1"},
                clientProperties(noTrustStore, "trust").toString()));

        assertThat(jaas.exitCode()).isNotZero();
        assertThat(jaas.err()).contains("digits produce: cannot connect to Kafka at " + KAFKA.bootstrapServers())
                .contains("not terminated by semi-colon").contains("sasl.jaas.config")
                .doesNotContain(SecuredKafkaFixture.PASSWORD);
        assertThat(trust.exitCode()).isNotZero();
        assertThat(trust.err()).contains("digits tail: cannot connect to Kafka at " + KAFKA.bootstrapServers())
                .contains("missing-truststore.p12").contains("ssl.*");
    }

    private String[] withConnection(String[] command, String config) {
        String[] args = Arrays.copyOf(command, command.length + 4);
        args[command.length] = "--bootstrap-servers";
        args[command.length + 1] = KAFKA.bootstrapServers();
        args[command.length + 2] = "--config";
        args[command.length + 3] = config;
        return args;
    }

    /** The connection settings and this test's own topic names, as a user's client.properties. */
    private Path clientProperties(Map<String, String> settings, String prefix) throws IOException {
        Map<String, String> topics = new HashMap<>();
        for (String topic : new String[] {"input", "predictions", "review", "dlq", "labels", "accuracy"}) {
            topics.put(topic + ".topic", prefix + "." + topic);
        }
        return SecuredKafkaFixture.writeProperties(dir.resolve(prefix + ".properties"), settings, topics);
    }

    /** {@code sasl.jaas.config} is {@code KAFKA_SASL_JAAS_CONFIG}. */
    private static String variable(String setting) {
        return "KAFKA_" + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }
}

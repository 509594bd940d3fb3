package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.core.PrintedOutput;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.SecuredKafkaFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The classifier against a broker that requires TLS and SASL/SCRAM-SHA-512, set up by client settings alone. */
class SecuredClusterIT {

    @RegisterExtension
    static final SecuredKafkaFixture KAFKA = new SecuredKafkaFixture();

    /** Generous bound on waiting for predictions; the test fails, never hangs, past it. */
    private static final Duration WAIT = Duration.ofMinutes(3);
    /** A refused login must fail well before the admin client's 60 s timeout; generous for a loaded machine. */
    private static final Duration FAST = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    @Test
    void classifiesImagesSentOverSaslSslExactlyOnce() throws Exception {
        MnistDataset mnist = MnistSamples.test500().head(100);
        ClassifierConfig config = config(KAFKA.clientSettings(), "secured");

        try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
             CommittedRecords out = new CommittedRecords(KAFKA.clientProperties(KAFKA.clientSettings()),
                     config.topicPartitions(), config.predictionsTopic());
             KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(
                     KAFKA.clientProperties(KAFKA.clientSettings()))) {
            for (int i = 0; i < mnist.size(); i++) {
                producer.send(MnistTraffic.labelledImage(config.inputTopic(), mnist, i));
            }
            producer.flush();

            out.awaitCount(config.predictionsTopic(), mnist.size(), WAIT);
            out.drain(WAIT); // so that a duplicate would show up too
            List<ConsumerRecord<byte[], byte[]>> predictions = out.of(config.predictionsTopic());

            MnistTraffic.assertEachImageClassifiedOnceAsOffline(predictions, mnist, MnistTraffic.offlineDigits(mnist));
            // ready, though not necessarily at this instant: a stream thread that joins late rebalances once more
            out.awaitUntil(() -> "the classifier ready (" + app.notReadyReason().orElse("ready") + ")", WAIT,
                    app::isReady);
        }
    }

    @Test
    void aWrongPasswordFailsAtStartWithinSecondsNamingSaslJaasConfig() {
        ClassifierConfig config = config(KAFKA.clientSettingsWithWrongPassword(), "wrong-password");
        long started = System.nanoTime();

        try (PrintedOutput printed = PrintedOutput.capture()) {
            assertThatThrownBy(() -> ClassifierApplication.start(config, MnistTraffic.MODEL, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(KAFKA.bootstrapServers())
                    .hasMessageContaining("refused the login")
                    .hasMessageContaining("check the user name and password in sasl.jaas.config")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
                            .doesNotContain(SecuredKafkaFixture.WRONG_PASSWORD)
                            .doesNotContain(SecuredKafkaFixture.PASSWORD));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
            assertThat(printed.text()).doesNotContain(SecuredKafkaFixture.WRONG_PASSWORD)
                    .doesNotContain(SecuredKafkaFixture.PASSWORD);
        }
    }

    @Test
    void anUntrustedBrokerCertificateFailsNamingTheTrustStore() {
        ClassifierConfig config = config(KAFKA.clientSettingsTrustingAnotherCertificate(), "untrusted");
        long started = System.nanoTime();

        assertThatThrownBy(() -> ClassifierApplication.createMissingTopics(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS handshake failed")
                .hasMessageContaining("check ssl.truststore.location")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    }

    @Test
    void aTrustStoreThatCannotBeOpenedIsNamedAtStart() {
        Map<String, String> settings = new HashMap<>(KAFKA.clientSettings());
        settings.put("ssl.truststore.password", "not-the-store-password");
        ClassifierConfig config = config(settings, "bad-store");

        assertThatThrownBy(() -> ClassifierApplication.createMissingTopics(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot connect to Kafka at " + KAFKA.bootstrapServers())
                .hasMessageContaining("the ssl.* settings (trust store location and password)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
                        .doesNotContain("not-the-store-password")
                        .doesNotContain("Failed to create new KafkaAdminClient"))
                .hasMessageContaining("keystore password was incorrect");
    }

    private ClassifierConfig config(Map<String, String> clientSettings, String name) {
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-" + name)
                .with(ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, "PT0S")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        for (var setting : clientSettings.entrySet()) {
            config = config.with(setting.getKey(), setting.getValue());
        }
        return config;
    }
}

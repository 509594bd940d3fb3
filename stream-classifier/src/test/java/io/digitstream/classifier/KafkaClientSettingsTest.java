package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    @TempDir
    Path dir;

    @Test
    void secretsAreHiddenWhereverTheSettingsArePrinted() {
        ClassifierConfig config = ClassifierConfig.fromMap(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"digits\" password=\"jaas-s3cret\";",
                "ssl.truststore.password", "store-s3cret",
                "streams.producer.ssl.key.password", "key-s3cret"));

        assertThat(config.toString()).doesNotContain("s3cret")
                .contains("sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]",
                        "streams.producer.ssl.key.password=[hidden]", "security.protocol=SASL_SSL");
        assertThat(KafkaClientSettings.isSecret("ssl.truststore.location")).isFalse();
    }

    @Test
    void environmentVariablesBecomeClientSettings() {
        Map<String, String> settings = KafkaClientSettings.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "x required;",
                "HOME", "/root"));

        assertThat(settings).containsOnly(Map.entry("bootstrap.servers", "kafka:9093"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.jaas.config", "x required;"));
    }

    @Test
    void kafkaScriptVariablesAreNotClientSettings() {
        assertThat(KafkaClientSettings.fromEnvironment(Map.of("KAFKA_HEAP_OPTS", "-Xmx1g", "KAFKA_OPTS", "-Dx=1")))
                .isEmpty();
    }

    @Test
    void propertiesFileIsReadAsUtf8() throws IOException {
        Path file = dir.resolve("classifier.properties");
        Files.writeString(file, "# comment\nreview.threshold = 0.95\nssl.keystore.password=pässword\n");

        assertThat(KafkaClientSettings.readPropertiesFile(file)).containsOnly(Map.entry("review.threshold", "0.95"),
                Map.entry("ssl.keystore.password", "pässword"));
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> KafkaClientSettings.readPropertiesFile(dir.resolve("nope.properties")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope.properties");
    }

    @Test
    void streamsSettingsAreStreamsOwnClientsOrPrefixedForOneClient() {
        assertThat(KafkaClientSettings.isStreamsSetting("num.stream.threads")).isTrue();
        assertThat(KafkaClientSettings.isStreamsSetting("linger.ms")).isTrue();
        assertThat(KafkaClientSettings.isStreamsSetting("producer.linger.ms")).isTrue();
        assertThat(KafkaClientSettings.isStreamsSetting("main.consumer.max.poll.records")).isTrue();
        assertThat(KafkaClientSettings.isStreamsSetting("admin.retries")).isTrue();
        assertThat(KafkaClientSettings.isStreamsSetting("topic.cleanup.policy")).isTrue();
        assertThat(KafkaClientSettings.isStreamsSetting("client.tag.zone")).isTrue();

        assertThat(KafkaClientSettings.isStreamsSetting("num.stream.thread")).isFalse();
        assertThat(KafkaClientSettings.isStreamsSetting("producer.max.poll.records")).isFalse();
        assertThat(KafkaClientSettings.isStreamsSetting("admin.linger.ms")).isFalse();
        assertThat(KafkaClientSettings.isStreamsSetting("topic.linger.ms")).isFalse();
        assertThat(KafkaClientSettings.isStreamsSetting("client.tag.")).isFalse();
    }
}

package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ClassifierConfigTest {

    @Test
    void defaultsFollowTheContract() {
        ClassifierConfig config = ClassifierConfig.defaults();

        assertThat(config.inputTopic()).isEqualTo("digits.images");
        assertThat(config.predictionsTopic()).isEqualTo("digits.predictions");
        assertThat(config.reviewTopic()).isEqualTo("digits.review");
        assertThat(config.dlqTopic()).isEqualTo("digits.dlq");
        assertThat(config.reviewThreshold()).isEqualTo(0.90);
        assertThat(config.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void overridesReplaceDefaults() {
        ClassifierConfig config = ClassifierConfig.fromMap(Map.of("input.topic", "in", "review.threshold", "0.5"));

        assertThat(config.inputTopic()).isEqualTo("in");
        assertThat(config.reviewThreshold()).isEqualTo(0.5);
    }

    @Test
    void streamsPropertiesCarryIdentityGuaranteeAndPrefixedSettings() {
        Properties props = ClassifierConfig.fromMap(Map.of("application.id", "app", "bootstrap.servers", "h:1",
                "streams.num.stream.threads", "2")).toStreamsProperties();

        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "h:1")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    }

    @Test
    void unknownSettingIsRejected() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("inptu.topic", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inptu.topic");
    }

    @Test
    void nonNumericThresholdIsRejected() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("review.threshold", "high")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("review.threshold");
    }

    @Test
    void theNotADigitThresholdIsTheServedModelsUnlessSet() {
        assertThat(ClassifierConfig.defaults().notDigitThreshold(-4.5)).isEqualTo(-4.5);
        assertThat(ClassifierConfig.defaults().notDigitThreshold(Double.NaN)).isNaN();
        ClassifierConfig set = ClassifierConfig.fromMap(Map.of("not.digit.threshold", " -7.25 "));
        assertThat(set.notDigitThreshold(-4.5)).isEqualTo(-7.25);
        assertThat(set.notDigitThreshold(Double.NaN)).isEqualTo(-7.25);
        assertThat(ClassifierConfig.fromMap(Map.of("not.digit.threshold", "none")).notDigitThreshold(-4.5)).isNaN();
        assertThat(ClassifierConfig.fromMap(set.toMap())).isEqualTo(set);
    }

    @Test
    void aNotADigitThresholdIsAFiniteNumberOrNone() {
        for (String bad : new String[] {"high", "NaN", "Infinity", "off"}) {
            assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("not.digit.threshold", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not.digit.threshold")
                    .hasMessageContaining("finite number");
        }
    }

    @Test
    void labelsAndAccuracyHaveDefaultsAndAreCreatedWithTheOtherTopics() {
        ClassifierConfig config = ClassifierConfig.defaults();
        assertThat(config.labelJoinWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.accuracyWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.topics()).contains("digits.labels", "digits.accuracy");
    }

    @Test
    void windowsAreIsoDurations() {
        ClassifierConfig config = ClassifierConfig.fromMap(Map.of("label.join.window", "PT30S",
                "accuracy.window", "PT5M"));
        assertThat(config.labelJoinWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.accuracyWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ClassifierConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("accuracy.window", "1m")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accuracy.window");
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("label.join.window", "PT0S")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void sharedTopicNamesAreRejected() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("review.topic", "digits.predictions")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
    }

    @Test
    void topicsAreCreatedWithThreePartitionsUnlessConfigured() {
        assertThat(ClassifierConfig.defaults().topicPartitions()).isEqualTo(3);
        assertThat(ClassifierConfig.fromMap(Map.of("topic.partitions", "6")).topicPartitions()).isEqualTo(6);
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("topic.partitions", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic.partitions");
    }

    @Test
    void toMapRoundTrips() {
        ClassifierConfig config = ClassifierConfig.fromMap(Map.of("dlq.topic", "dead",
                "streams.commit.interval.ms", "250", "admin.token", "0123456789abcdef-token"));

        assertThat(ClassifierConfig.fromMap(config.toMap())).isEqualTo(config);
    }

    @Test
    void kafkaClientSettingsGoToStreamsAndEveryOtherClient() {
        ClassifierConfig config = ClassifierConfig.fromMap(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN", "bootstrap.servers", "h:1"));

        assertThat(config.toStreamsProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
        assertThat(config.clientProperties()).containsOnly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "PLAIN"), Map.entry("bootstrap.servers", "h:1"));
        assertThat(ClassifierConfig.fromMap(config.toMap())).isEqualTo(config);
    }

    @Test
    void unknownSettingIsAnErrorNotIgnored() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("securty.protocol", "SSL")))
                .hasMessageContaining("unknown setting 'securty.protocol'");
    }

    @Test
    void modelReloadCanBeTurnedOffButNotNegative() {
        assertThat(ClassifierConfig.defaults().modelReloadInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ClassifierConfig.fromMap(Map.of("model.reload.interval", "PT0S")).modelReloadInterval())
                .isZero();
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("model.reload.interval", "-PT1S")))
                .hasMessageContaining("model.reload.interval: must be >= 0");
    }

    @Test
    void metricsListenOnLoopback8080UnlessTold() {
        ClassifierConfig config = ClassifierConfig.defaults();

        assertThat(config.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(config.metricsPort()).isEqualTo(8080);
        assertThatThrownBy(() -> config.with("metrics.port", "70000")).hasMessageContaining("metrics.port");
    }

    @Test
    void streamsDefaultsAreTunedButOverridable() {
        Properties tuned = ClassifierConfig.defaults().toStreamsProperties();
        Properties overridden = ClassifierConfig.fromMap(Map.of("streams.producer.linger.ms", "50",
                "streams.num.stream.threads", "1")).toStreamsProperties();

        assertThat(tuned).containsEntry("producer.linger.ms", "5").containsEntry("producer.batch.size", "131072")
                .containsEntry("num.stream.threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(overridden).containsEntry("producer.linger.ms", "50").containsEntry("num.stream.threads", "1");
    }

    @Test
    void rocksDbMemoryIsBoundedForAllStoresTogether() {
        assertThat(ClassifierConfig.defaults().toStreamsProperties())
                .containsEntry("rocksdb.config.setter", BoundedRocksDbMemory.class.getName());
    }

    @Test
    void imagesAreClassifiedInBatchesOf64UnlessOneByOneIsAskedFor() {
        ClassifierConfig config = ClassifierConfig.defaults();

        assertThat(config.classifyBatchSize()).isEqualTo(64);
        assertThat(config.with("classify.batch.size", "1").classifyBatchSize()).isEqualTo(1);
        assertThat(config.classifyBatchLinger()).isEqualTo(Duration.ofMillis(2));
        assertThatThrownBy(() -> config.with("classify.batch.size", "0")).hasMessageContaining("classify.batch.size");
        assertThatThrownBy(() -> config.with("classify.batch.size", "1025")).hasMessageContaining("classify.batch.size");
        assertThatThrownBy(() -> config.with("classify.batch.linger.ms", "0"))
                .hasMessageContaining("classify.batch.linger.ms");
    }

    @Test
    void aDeadInstanceIsGivenUpAfterSixSeconds() {
        // measured in ClassifierFailoverIT: the takeover bound of 15 s needs both
        assertThat(ClassifierConfig.defaults().toStreamsProperties())
                .containsEntry("consumer.session.timeout.ms", "6000")
                .containsEntry("consumer.heartbeat.interval.ms", "1500")
                .containsEntry("producer.transaction.timeout.ms", "6000");
    }

    @Test
    void replicationIsTheBrokersDefaultUnlessSet() {
        assertThat(ClassifierConfig.defaults().topicReplication()).isEqualTo(-1);
        assertThat(ClassifierConfig.fromMap(Map.of("topic.replication.factor", "3")).topicReplication()).isEqualTo(3);
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("topic.replication.factor", "0")))
                .hasMessageContaining("topic.replication.factor: must be positive, or -1");
    }

    @Test
    void adminTokenIsOffUnlessSetAndThenLongEnough() {
        assertThat(ClassifierConfig.defaults().adminToken()).isEmpty();
        assertThat(ClassifierConfig.fromMap(Map.of("admin.token", "  ")).adminToken()).isEmpty();
        String token = "0123456789abcdef-token";
        ClassifierConfig config = ClassifierConfig.fromMap(Map.of("admin.token", " " + token + "\n"));

        assertThat(config.adminToken()).isEqualTo(token);
        assertThat(ClassifierConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("admin.token", "short-secret")))
                .hasMessageContaining("admin.token: must be at least 16").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("admin.token", "long enough but spaced")))
                .hasMessageContaining("without spaces").hasMessageNotContaining("spaced");
    }

    @Test
    void toStringHidesTheAdminTokenAndEveryKafkaPassword() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "admin.token", "admin-token-value-0123456789",
                "sasl.jaas.config", "ScramLoginModule required username=\"digits\" password=\"jaas-secret\";",
                "ssl.key.password", "key-password-value",
                "ssl.keystore.password", "keystore-password-value",
                "ssl.truststore.password", "truststore-password-value",
                "streams.producer.ssl.key.password", "streams-producer-password-value",
                "streams.main.consumer.sasl.jaas.config", "main-consumer-jaas-value",
                "security.protocol", "SASL_SSL",
                "bootstrap.servers", "broker1:9093"));

        String shown = ClassifierConfig.fromMap(settings).toString();

        assertThat(shown).contains("security.protocol=SASL_SSL", "bootstrap.servers=broker1:9093",
                "admin.token=[hidden]", "sasl.jaas.config=[hidden]", "streams.producer.ssl.key.password=[hidden]");
        settings.forEach((key, value) -> {
            if (!key.equals("security.protocol") && !key.equals("bootstrap.servers")) {
                assertThat(shown).as(key).doesNotContain(value);
            }
        });
    }

    @Test
    void everyPasswordTypedKafkaSettingIsHidden() {
        Map<String, String> settings = new HashMap<>();
        for (ConfigDef def : List.of(AdminClientConfig.configDef(), ProducerConfig.configDef(),
                ConsumerConfig.configDef())) {
            def.configKeys().values().stream().filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .forEach(key -> settings.put(key.name, "value-of-" + key.name));
        }
        assertThat(settings).containsKeys("sasl.jaas.config", "ssl.key.password", "ssl.keystore.key");

        ClassifierConfig config = ClassifierConfig.fromMap(settings);

        assertThat(config.kafkaClient()).containsAllEntriesOf(settings);
        assertThat(config.toString()).doesNotContain("value-of-");
        assertThat(settings.keySet()).allSatisfy(key -> assertThat(ClassifierConfig.isSecret(key)).as(key).isTrue());
        assertThat(ClassifierConfig.isSecret("bootstrap.servers")).isFalse();
        assertThat(ClassifierConfig.isSecret("ssl.truststore.location")).isFalse();
    }

    @Test
    void aTypoInAStreamsSettingFailsNamingIt() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("streams.num.stream.thread", "2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'streams.num.stream.thread'");
        // a consumer setting behind the producer's prefix goes nowhere
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("streams.producer.max.poll.records", "10")))
                .hasMessageContaining("streams.producer.max.poll.records");
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("streams.topic.retention.msec", "10")))
                .hasMessageContaining("streams.topic.retention.msec");
    }

    @Test
    void everyFormOfStreamsSettingKafkaStreamsTakesPassesThrough() {
        Map<String, String> settings = Map.of(
                "streams.commit.interval.ms", "250",
                "streams.producer.linger.ms", "20",
                "streams.main.consumer.max.poll.records", "100",
                "streams.restore.consumer.max.poll.records", "1000",
                "streams.global.consumer.client.rack", "a",
                "streams.consumer.fetch.max.wait.ms", "200",
                "streams.admin.retries", "3",
                "streams.topic.retention.ms", "86400000",
                "streams.client.tag.zone", "eu-1",
                "streams.security.protocol", "SSL");

        Properties props = ClassifierConfig.fromMap(settings).toStreamsProperties();

        settings.forEach((key, value) -> assertThat(props).containsEntry(key.substring("streams.".length()), value));
    }

    @Test
    void streamsValuesAreCheckedAtStartToo() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("streams.num.stream.threads", "two")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num.stream.threads");
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("streams.commit.interval.ms", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit.interval.ms");
    }

    @Test
    void streamsThreadsAndStateDirectoryHaveOneDefaultForEveryCaller() {
        ClassifierConfig config = ClassifierConfig.defaults();
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "digit-stream", "streams");

        assertThat(config.streamThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.stateDirectory()).isEqualTo(cache);
        assertThat(config.toStreamsProperties()).containsEntry("state.dir", cache.toString())
                .containsEntry("num.stream.threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        ClassifierConfig own = config.with(ClassifierConfig.KEY_STATE_DIR, "/tmp/elsewhere")
                .with(ClassifierConfig.KEY_STREAM_THREADS, "1");
        assertThat(own.toStreamsProperties()).containsEntry("state.dir", "/tmp/elsewhere")
                .containsEntry("num.stream.threads", "1");
        assertThat(own.streamsOverrides()).containsOnly(Map.entry("state.dir", "/tmp/elsewhere"),
                Map.entry("num.stream.threads", "1"));
        assertThatThrownBy(() -> config.with(ClassifierConfig.KEY_STREAM_THREADS, "0"))
                .hasMessageContaining("streams.num.stream.threads");
    }

    @Test
    void withDerivesTheRecordLimitAnewFromTheImageLimit() {
        ClassifierConfig small = ClassifierConfig.defaults().with(ClassifierConfig.KEY_MAX_IMAGE_BYTES, "1000");

        assertThat(ClassifierConfig.defaults().recordMaxBytes()).isEqualTo(11_315_886);
        assertThat(small.recordMaxBytes()).isEqualTo(1024 * 1024);
        assertThat(small.with(ClassifierConfig.KEY_RECORD_MAX_BYTES, "65536").recordMaxBytes()).isEqualTo(65536);
        assertThatThrownBy(() -> small.with(ClassifierConfig.KEY_RECORD_MAX_BYTES, "1000"))
                .hasMessageContaining("record.max.bytes");
    }

    @Test
    void guaranteesAndTopicNamesKafkaWouldRefuseAreRefusedAtStart() {
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("processing.guarantee", "exactly_once")))
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("input.topic", "digits images")))
                .hasMessageContaining("input.topic");
        assertThatThrownBy(() -> ClassifierConfig.fromMap(Map.of("dlq.topic", " ")))
                .hasMessageContaining("dlq.topic");
    }

    @Test
    void anUnsetAdminTokenIsShownAsEmptyAndASetOneHidden() {
        assertThat(ClassifierConfig.defaults().toString()).contains("admin.token=,");
        assertThat(ClassifierConfig.fromMap(Map.of("admin.token", "0123456789abcdef-token")).toString())
                .contains("admin.token=[hidden]").doesNotContain("0123456789abcdef-token");
        assertThat(ClassifierConfig.configDef().configKeys().get("admin.token").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        // settings not yet read, as the demo prints them
        assertThat(ClassifierConfig.redacted(Map.of("admin.token", "0123456789abcdef-token",
                "streams.producer.ssl.key.password", "key-password", "bootstrap.servers", "h:1")))
                .containsExactly(Map.entry("admin.token", "[hidden]"), Map.entry("bootstrap.servers", "h:1"),
                        Map.entry("streams.producer.ssl.key.password", "[hidden]"));
    }
}

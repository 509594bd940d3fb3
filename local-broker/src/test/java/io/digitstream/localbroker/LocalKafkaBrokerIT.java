package io.digitstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerIT {

    /** These tests are about the embedded broker, so never a container. */
    @RegisterExtension
    static final KafkaFixture KAFKA = KafkaFixture.embedded();

    @Test
    void idempotentProducerRecordsAreAllReadBackCommitted() throws Exception {
        KAFKA.createTopics(Map.of("numbers", 3));
        KAFKA.createTopics(Map.of("numbers", 3)); // idempotent: the second call is a no-op

        try (Admin admin = admin(KAFKA.bootstrapServers())) {
            assertThat(admin.describeTopics(List.of("numbers")).allTopicNames().get().get("numbers").partitions())
                    .hasSize(3);
        }
        try (KafkaProducer<String, String> producer = producer(KAFKA.bootstrapServers(), Optional.empty())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("numbers", "k" + i, "v" + i));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, String>> records = readCommitted(KAFKA.bootstrapServers(), "numbers", 100);

        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2).contains(0, 1, 2);
    }

    @Test
    void committedTransactionsAreVisibleAndAbortedOnesAreNot() {
        KAFKA.createTopics(Map.of("transactions", 3));

        try (KafkaProducer<String, String> producer = producer(KAFKA.bootstrapServers(), Optional.of("tx-test"))) {
            producer.initTransactions();
            sendInTransaction(producer, "committed-before", 10);
            producer.commitTransaction();
            sendInTransaction(producer, "aborted", 10);
            producer.abortTransaction();
            // a later commit proves the abort markers are already written when we read past them
            sendInTransaction(producer, "committed-after", 10);
            producer.commitTransaction();
        }

        List<String> values = readCommitted(KAFKA.bootstrapServers(), "transactions", 20).stream()
                .map(ConsumerRecord::value).toList();

        assertThat(values).hasSize(20).noneMatch(v -> v.startsWith("aborted"));
        assertThat(values).filteredOn(v -> v.startsWith("committed-before")).hasSize(10);
        assertThat(values).filteredOn(v -> v.startsWith("committed-after")).hasSize(10);
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsRecords(@TempDir Path dataDirectory) {
        LocalKafkaBroker.Settings settings = LocalKafkaBroker.Settings.of(dataDirectory).withPort(0);
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(settings)) {
            broker.createTopics(Map.of("durable", 2));
            try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), Optional.empty())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("durable", "k" + i, "v" + i));
                }
                producer.flush();
            }
        }

        try (LocalKafkaBroker restarted = LocalKafkaBroker.start(settings)) {
            restarted.createTopics(Map.of("durable", 2)); // must not recreate (and empty) the topic
            assertThat(readCommitted(restarted.bootstrapServers(), "durable", 10))
                    .extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).mapToObj(i -> "v" + i).toList());
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        // tests send traffic to loopback only, so the check is on what the broker binds and advertises
        try (Admin admin = admin(KAFKA.bootstrapServers())) {
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::host).containsExactly("127.0.0.1");
        }
        Properties config = LocalKafkaBroker.brokerProperties(Path.of("unused"), 9092, 9093);
        assertThat(config.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(config.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
    }

    @Test
    void aSecuredListenerIsASecondLoopbackListenerWithTlsAndScram() {
        LocalKafkaBroker.SecuredListener secured = new LocalKafkaBroker.SecuredListener(0, Path.of("broker.p12"),
                "store-secret", Map.of("digits", "user-secret"));

        Properties config = LocalKafkaBroker.brokerProperties(Path.of("unused"), 9092, 9094, Optional.of(secured),
                OptionalInt.of(9093));

        assertThat(config.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9093,CONTROLLER://127.0.0.1:9094");
        assertThat(config.getProperty("advertised.listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9093");
        assertThat(config.getProperty("listener.security.protocol.map"))
                .isEqualTo("PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        assertThat(config.getProperty("inter.broker.listener.name")).isEqualTo("PLAINTEXT");
        assertThat(config.getProperty("listener.name.sasl_ssl.sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
        assertThat(config.getProperty("listener.name.sasl_ssl.ssl.keystore.location")).endsWith("broker.p12");
        assertThat(secured.toString()).contains("digits").doesNotContain("secret");
    }

    @Test
    void scramUsersThatTheFormatToolWouldMisreadAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> new LocalKafkaBroker.SecuredListener(0, Path.of("broker.p12"), "store-secret",
                Map.of("digits", "pass,word=secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'digits'")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aTakenPortIsReportedByNumber(@TempDir Path dataDirectory) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dataDirectory).withPort(port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("taken");
        }
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String prefix, int count) {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>("transactions", prefix + i, prefix + i));
        }
        producer.flush();
    }

    private static KafkaProducer<String, String> producer(String bootstrap, Optional<String> transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        transactionalId.ifPresent(id -> p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Reads a topic from the beginning with read_committed until {@code expected} records arrived and every
     * partition is drained to its last stable offset, so records that should be hidden would have shown up.
     */
    private static List<ConsumerRecord<String, String>> readCommitted(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // a guard against hanging forever, not a timing assertion
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected || !drained(consumer, partitions)) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("read only " + records.size() + " of " + expected + " records from " + topic);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean drained(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // the LSO under read_committed
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
    }
}

package io.digitstream.classifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.localbroker.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Against a real broker: an application's group with one member named as Kafka Streams names a stream thread's
 * consumer, and two open transactions named as Kafka Streams names a stream thread's producer, one of the member's
 * process and one of a process that is not in the group (as after a SIGKILL). Without a fence the dead one would hold
 * back {@code read_committed} readers for the producer's transaction timeout (60 s here).
 */
class DeadTransactionFencerIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theOpenTransactionOfAProcessNotInTheGroupIsAbortedAndTheMembersIsNot() throws Exception {
        App app = App.create();
        try (KafkaConsumer<byte[], byte[]> member = joinGroup(app, app.consumerClientId(app.live()));
             KafkaProducer<byte[], byte[]> deadProducer = transactional(app.transactionalId(app.dead()));
             KafkaProducer<byte[], byte[]> liveProducer = transactional(app.transactionalId(app.live()));
             DeadTransactionFencer fencer = DeadTransactionFencer.create(clientProperties(), app.id())) {
            assertThat(member.assignment()).as("the live process's consumer holds the group's partition").isNotEmpty();
            send(deadProducer, app.topic(), "dead");
            send(liveProducer, app.topic(), "live");

            assertThat(fencer.fenceDeadInstances(app.consumerClientId(app.live())))
                    .containsExactly(app.transactionalId(app.dead()));

            liveProducer.commitTransaction();
            assertThatThrownBy(deadProducer::commitTransaction).as("the dead process's producer is fenced")
                    .isInstanceOf(KafkaException.class);
            // the dead transaction came first: its abort is what lets a read_committed reader see the live record
            assertThat(readCommitted(app.topic(), 1)).containsExactly("live");
            assertThat(fencer.fenceDeadInstances(app.consumerClientId(app.live()))).as("nothing left to fence")
                    .isEmpty();
        }
    }

    @Test
    void nothingIsFencedWhenAMemberHasAClientIdOfItsOwnOrThisInstanceIsNotInTheGroup() throws Exception {
        App app = App.create();
        try (KafkaConsumer<byte[], byte[]> member = joinGroup(app, "my-own-client-id");
             KafkaProducer<byte[], byte[]> deadProducer = transactional(app.transactionalId(app.dead()));
             DeadTransactionFencer fencer = DeadTransactionFencer.create(clientProperties(), app.id())) {
            assertThat(member.assignment()).as("the member with a client id of its own holds the partition")
                    .isNotEmpty();
            send(deadProducer, app.topic(), "not known to be dead");

            assertThat(fencer.fenceDeadInstances(app.consumerClientId(app.live()))).as("a member it cannot place")
                    .isEmpty();
            assertThat(fencer.fenceDeadInstances(app.consumerClientId(app.dead())))
                    .as("asked as an instance that is not in the group").isEmpty();

            deadProducer.commitTransaction();
            assertThat(readCommitted(app.topic(), 1)).containsExactly("not known to be dead");
        }
    }

    /**
     * An application id with its one-partition topic, and two Kafka Streams process ids: one that will be in the group
     * and one that will not. The ids are named as Kafka Streams names a stream thread's consumer and producer.
     */
    private record App(String id, String topic, String live, String dead) {

        static App create() {
            String id = "fencer-" + UUID.randomUUID();
            String topic = id + "-out";
            KAFKA.createTopics(Map.of(topic, 1));
            return new App(id, topic, UUID.randomUUID().toString(), UUID.randomUUID().toString());
        }

        String consumerClientId(String process) {
            return id + "-" + process + "-StreamThread-1-consumer";
        }

        String transactionalId(String process) {
            return id + "-" + process + "-1";
        }
    }

    private static Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return props;
    }

    /** A consumer of the application's group, in it once it has an assignment. */
    private static KafkaConsumer<byte[], byte[]> joinGroup(App app, String clientId) {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, app.id());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(app.topic()));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (consumer.assignment().isEmpty()) {
            assertThat(System.nanoTime()).as("joined the group within " + WAIT).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }

    private static KafkaProducer<byte[], byte[]> transactional(String transactionalId) {
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    /** Begins a transaction and writes one record in it, left open. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String value) throws Exception {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static List<String> readCommitted(String topic, int expected) {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}

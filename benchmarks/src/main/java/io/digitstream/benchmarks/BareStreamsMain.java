package io.digitstream.benchmarks;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The stream benchmark's ceiling, in a child JVM of its own: a Kafka Streams application that copies each input record
 * unchanged (an identity {@code mapValues}) from the classifier's input topic to its predictions topic, with the
 * Kafka Streams settings the classifier would run with (application id, guarantee, stream threads, linger, commit
 * interval: {@link ClassifierConfig#toStreamsProperties()} of the same properties file). What Kafka Streams itself
 * costs here, so the product's topology can be measured against it.
 * {@code BareStreamsMain <properties file>}, the properties with the keys of {@code serve --config}. Exits 1 when
 * Kafka Streams fails, 0 on SIGTERM.
 */
public final class BareStreamsMain {

    private BareStreamsMain() {
    }

    /** {@code input} to {@code output}, keys, values and timestamps as they are. */
    static Topology topology(String input, String output) {
        Serde<byte[]> bytes = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(bytes, bytes).withName("images"))
                .mapValues(value -> value, Named.as("identity"))
                .to(output, Produced.with(bytes, bytes).withName("copies"));
        return builder.build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BareStreamsMain <classifier properties file>");
            System.exit(2);
        }
        ClassifierConfig config = ClassifierConfig.fromMap(KafkaClientSettings.readPropertiesFile(Path.of(args[0])));
        KafkaStreams streams = new KafkaStreams(topology(config.inputTopic(), config.predictionsTopic()),
                config.toStreamsProperties());
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        // a failure ends the run (the benchmark sees the JVM exit) instead of a replaced thread skewing it
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(15)),
                "bare-streams-shutdown"));
        streams.start();
        System.out.println("bare Kafka Streams: " + config.inputTopic() + " -> " + config.predictionsTopic() + ", "
                + config.processingGuarantee() + ", " + config.streamThreads() + " stream threads");
        while (!stopped.await(1, TimeUnit.HOURS)) {
            // copying until SIGTERM or a failure
        }
        System.exit(streams.state() == KafkaStreams.State.ERROR ? 1 : 0);
    }
}

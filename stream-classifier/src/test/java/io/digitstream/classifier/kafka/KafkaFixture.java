package io.digitstream.classifier.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded Kafka broker per test class, on a free loopback port and a throw-away data directory.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaFixture KAFKA = new KafkaFixture();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 */
public final class KafkaFixture implements BeforeAllCallback, AfterAllCallback {

    private Path dataDirectory;
    private LocalKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        // Testcontainers plugs in here once Docker is available: start a KafkaContainer instead (e.g. when
        // -Dkafka.fixture=container) and return its getBootstrapServers() below; tests only see the address.
        dataDirectory = Files.createTempDirectory("kafka-fixture-");
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dataDirectory).withPort(0));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
        }
        if (dataDirectory != null) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(KafkaFixture::delete);
            }
        }
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public void createTopics(Map<String, Integer> partitions) {
        broker().createTopics(partitions);
    }

    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("KafkaFixture is not started; register it as a static @RegisterExtension");
        }
        return broker;
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

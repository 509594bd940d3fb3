package io.digitstream.localbroker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker per test class: an {@code apache/kafka} container where Docker is available, else the
 * embedded {@link LocalKafkaBroker} on a free loopback port and a throw-away data directory. Tests see only the
 * address, so they run the same against either.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaFixture KAFKA = new KafkaFixture();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 */
public final class KafkaFixture implements BeforeAllCallback, AfterAllCallback {

    public static final String KAFKA_IMAGE = "apache/kafka:4.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);

    private final boolean containerAllowed;
    private KafkaContainer container;
    private Path dataDirectory;
    private LocalKafkaBroker broker;

    /** A container where Docker is available, else the embedded broker. */
    public KafkaFixture() {
        this(true);
    }

    private KafkaFixture(boolean containerAllowed) {
        this.containerAllowed = containerAllowed;
    }

    /** Always the embedded broker: for tests of {@link LocalKafkaBroker} itself. */
    public static KafkaFixture embedded() {
        return new KafkaFixture(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String testClass = context.getRequiredTestClass().getSimpleName();
        if (containerAllowed && DockerClientFactory.instance().isDockerAvailable()) {
            container = new KafkaContainer(KAFKA_IMAGE).withCreateContainerCmdModifier(KafkaFixture::publishOnLoopback);
            container.start();
            LOG.info("{}: Kafka in a container ({}) at {}", testClass, KAFKA_IMAGE, container.getBootstrapServers());
            return;
        }
        dataDirectory = Files.createTempDirectory("kafka-fixture-");
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dataDirectory).withPort(0));
        LOG.info("{}: embedded Kafka broker at {} ({})", testClass, broker.bootstrapServers(),
                containerAllowed ? "no Docker" : "embedded by request");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (container != null) {
            container.stop();
        }
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
        if (container != null) {
            return container.getBootstrapServers();
        }
        return broker().bootstrapServers();
    }

    /** Creates each missing topic with the given partition count; existing ones are left as they are. */
    public void createTopics(Map<String, Integer> partitions) {
        if (container == null) {
            broker().createTopics(partitions);
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            LocalKafkaBroker.createMissingTopics(admin, partitions);
        }
    }

    /** The embedded broker, for tests that need it rather than any broker; see {@link #embedded()}. */
    public LocalKafkaBroker broker() {
        if (container != null) {
            throw new IllegalStateException("this KafkaFixture runs Kafka in a container; use KafkaFixture.embedded()"
                    + " for a test that needs the embedded broker");
        }
        if (broker == null) {
            throw new IllegalStateException("KafkaFixture is not started; register it as a static @RegisterExtension");
        }
        return broker;
    }

    /** Docker publishes on every interface by default; the broker's port goes to loopback only, like the embedded one. */
    private static void publishOnLoopback(CreateContainerCmd cmd) {
        Ports ports = cmd.getHostConfig().getPortBindings();
        if (ports == null) {
            return;
        }
        Ports loopback = new Ports();
        ports.getBindings().forEach((exposed, bindings) -> {
            for (Ports.Binding binding : bindings == null ? new Ports.Binding[] {Ports.Binding.empty()} : bindings) {
                loopback.bind(exposed, new Ports.Binding(LocalKafkaBroker.HOST, binding.getHostPortSpec()));
            }
        });
        cmd.getHostConfig().withPortBindings(loopback);
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.digitstream.classifier.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running in this JVM.
 * Both listeners bind 127.0.0.1 only. The data directory is formatted on first use and reused as is
 * afterwards, so records survive a restart on the same directory.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    /** How often the broker aborts timed-out transactions: 1 s here, 10 s by Kafka's default. */
    public static final String TRANSACTION_ABORT_SCAN_MS_CONFIG =
            "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final int TRANSACTION_ABORT_SCAN_MS = 1_000;
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /**
     * @param dataDirectory where logs and metadata live; kept across restarts
     * @param port          the client (PLAINTEXT) port, 0 picks a free one
     * @param startTimeout  how long {@link #start} waits for the broker to answer
     */
    public record Settings(Path dataDirectory, int port, Duration startTimeout) {
        public Settings {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        public static Settings of(Path dataDirectory) {
            return new Settings(dataDirectory, DEFAULT_PORT, Duration.ofSeconds(60));
        }

        public Settings withPort(int newPort) {
            return new Settings(dataDirectory, newPort, startTimeout);
        }

        public Settings withStartTimeout(Duration timeout) {
            return new Settings(dataDirectory, port, timeout);
        }
    }

    private final KafkaRaftServer server;
    private final int port;
    private final Admin admin;

    private LocalKafkaBroker(KafkaRaftServer server, int port, Admin admin) {
        this.server = server;
        this.port = port;
        this.admin = admin;
    }

    /** Formats the data directory if needed, starts the broker and waits until it answers. */
    public static LocalKafkaBroker start(Settings settings) {
        int port = settings.port() == 0 ? freePort() : requireFree(settings.port(), "client");
        // The static quorum needs the controller port up front, so it is picked here rather than bound as 0.
        int controllerPort = freePort();
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(settings.dataDirectory(), port, controllerPort), false);
        formatIfNeeded(settings.dataDirectory());

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Admin admin = null;
        try {
            server.startup();
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
            awaitReady(admin, port, settings.startTimeout());
            return new LocalKafkaBroker(server, port, admin);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            stop(server);
            if (isBindFailure(e)) {
                throw new IllegalStateException("Kafka could not bind " + HOST + ":" + port
                        + " (or controller port " + controllerPort + "); is the port taken?", e);
            }
            throw e;
        }
    }

    /** The address clients use, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(HOST, port);
    }

    /** Creates each missing topic with the given partition count (replication factor 1); existing ones are left as they are. */
    public void createTopics(Map<String, Integer> partitions) {
        MissingTopics.create(admin, partitions, Optional.of((short) 1), Duration.ofSeconds(30));
    }

    /** Shuts the broker down and waits until its threads have stopped. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        stop(server);
    }

    static Properties brokerProperties(Path dataDirectory, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDirectory.toAbsolutePath().toString());
        // one node: every internal topic has exactly one replica, so exactly-once works
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a dead classifier's open transaction is aborted within a second of timing out, not ten (the default): until
        // then, read_committed consumers and the instance taking over its tasks wait (docs/operations.md, failover)
        p.put(TRANSACTION_ABORT_SCAN_MS_CONFIG, String.valueOf(TRANSACTION_ABORT_SCAN_MS));
        // small files: a laptop broker holds little data
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata once; a formatted directory is never touched again. */
    private static void formatIfNeeded(Path dataDirectory) {
        if (Files.exists(dataDirectory.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(dataDirectory);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dataDirectory.toAbsolutePath().toString())
                    .addDirectory(dataDirectory.toAbsolutePath().toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka data directory " + dataDirectory, e);
        }
    }

    private static void awaitReady(Admin admin, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka on port " + port, e);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("Kafka on " + HOST + ":" + port + " did not answer within " + timeout, last);
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static int requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("Kafka " + what + " port " + HOST + ":" + port + " is taken", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}

package io.digitstream.localbroker;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running in this JVM.
 * Every listener binds 127.0.0.1 only. The data directory is formatted on first use and reused as is
 * afterwards, so records survive a restart on the same directory. Optionally a second client listener requires
 * TLS and SASL/SCRAM ({@link SecuredListener}), to try clients against a secured cluster.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Pattern NOT_IN_SCRAM_ARGUMENT = Pattern.compile("[,\"\\[\\]]");

    /**
     * @param dataDirectory   where logs and metadata live; kept across restarts
     * @param port            the client (PLAINTEXT) port, 0 picks a free one
     * @param startTimeout    how long {@link #start} waits for the broker to answer
     * @param securedListener a second client listener that requires TLS and SASL/SCRAM, if any
     * @param autoCreateTopics whether a client that writes to a missing topic creates it (Kafka's default, which
     *                         {@code ./digits produce} before {@code serve} relies on); many clusters turn it off
     */
    public record Settings(Path dataDirectory, int port, Duration startTimeout,
                           Optional<SecuredListener> securedListener, boolean autoCreateTopics) {
        public Settings {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(securedListener, "securedListener");
            requirePort(port, "port");
        }

        /** Without a secured listener. */
        public Settings(Path dataDirectory, int port, Duration startTimeout) {
            this(dataDirectory, port, startTimeout, Optional.empty(), true);
        }

        public static Settings of(Path dataDirectory) {
            return new Settings(dataDirectory, DEFAULT_PORT, Duration.ofSeconds(60));
        }

        public Settings withPort(int newPort) {
            return new Settings(dataDirectory, newPort, startTimeout, securedListener, autoCreateTopics);
        }

        public Settings withStartTimeout(Duration timeout) {
            return new Settings(dataDirectory, port, timeout, securedListener, autoCreateTopics);
        }

        public Settings withSecuredListener(SecuredListener listener) {
            return new Settings(dataDirectory, port, startTimeout, Optional.of(listener), autoCreateTopics);
        }

        public Settings withAutoCreateTopics(boolean enabled) {
            return new Settings(dataDirectory, port, startTimeout, securedListener, enabled);
        }
    }

    /**
     * A client listener with security protocol {@value #PROTOCOL} and mechanism {@value #MECHANISM}: clients need a
     * truststore holding the broker's certificate (or its CA) and one of {@code scramUsers}. The PLAINTEXT listener
     * stays, on loopback, for the broker itself (inter-broker traffic and its own admin client).
     *
     * @param port             0 picks a free one
     * @param keyStore         PKCS12 file with the broker's key and certificate, which must name 127.0.0.1 (a
     *                         subject alternative name {@code IP:127.0.0.1}) for clients' host name check
     * @param keyStorePassword password of the key store and of the key in it
     * @param scramUsers       user name to password; the credentials are written when the data directory is
     *                         formatted, so a directory formatted before keeps the users it had
     */
    public record SecuredListener(int port, Path keyStore, String keyStorePassword, Map<String, String> scramUsers) {
        public static final String PROTOCOL = "SASL_SSL";
        public static final String MECHANISM = "SCRAM-SHA-512";

        public SecuredListener {
            requirePort(port, "secured listener port");
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
            scramUsers = Map.copyOf(scramUsers);
            // the format tool reads "[name=...,password=...]" split at commas, with optional quotes
            scramUsers.forEach((user, password) -> {
                if (user.isEmpty() || password.isEmpty() || NOT_IN_SCRAM_ARGUMENT.matcher(user + password).find()) {
                    throw new IllegalArgumentException("SCRAM user '" + NOT_IN_SCRAM_ARGUMENT.matcher(user)
                            .replaceAll("?") + "': user names and passwords must be non-empty, without commas, "
                            + "quotes or brackets");
                }
            });
        }

        /** Without the passwords. */
        @Override
        public String toString() {
            return "SecuredListener[port=" + port + ", keyStore=" + keyStore + ", scramUsers="
                    + new TreeSet<>(scramUsers.keySet()) + "]";
        }
    }

    private final KafkaRaftServer server;
    private final int port;
    private final OptionalInt securedPort;
    private final Admin admin;

    private LocalKafkaBroker(KafkaRaftServer server, int port, OptionalInt securedPort, Admin admin) {
        this.server = server;
        this.port = port;
        this.securedPort = securedPort;
        this.admin = admin;
    }

    /** Formats the data directory if needed, starts the broker and waits until it answers. */
    public static LocalKafkaBroker start(Settings settings) {
        int port = settings.port() == 0 ? freePort() : requireFree(settings.port(), "client");
        OptionalInt securedPort = settings.securedListener().map(secured -> OptionalInt.of(
                secured.port() == 0 ? freePort() : requireFree(secured.port(), "secured client")))
                .orElse(OptionalInt.empty());
        // The static quorum needs the controller port up front, so it is picked here rather than bound as 0.
        int controllerPort = freePort();
        Properties properties = brokerProperties(settings.dataDirectory(), port, controllerPort,
                settings.securedListener(), securedPort);
        properties.put("auto.create.topics.enable", Boolean.toString(settings.autoCreateTopics()));
        KafkaConfig config = KafkaConfig.fromProps(properties, false);
        formatIfNeeded(settings.dataDirectory(), settings.securedListener());

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Admin admin = null;
        try {
            server.startup();
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
            awaitReady(admin, port, settings.startTimeout());
            return new LocalKafkaBroker(server, port, securedPort, admin);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            stop(server);
            if (isBindFailure(e)) {
                throw new IllegalStateException("Kafka could not bind " + HOST + ":" + port
                        + (securedPort.isPresent() ? " (or secured port " + securedPort.getAsInt() + ")" : "")
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

    /** The address of the {@link SecuredListener}, when there is one: e.g. {@code 127.0.0.1:9093}. */
    public Optional<String> securedBootstrapServers() {
        return securedPort.isPresent() ? Optional.of(HOST + ":" + securedPort.getAsInt()) : Optional.empty();
    }

    /** Creates each missing topic with the given partition count (replication factor 1); existing ones are left as they are. */
    public void createTopics(Map<String, Integer> partitions) {
        createMissingTopics(admin, partitions);
    }

    /** As {@link #createTopics}, on the broker {@code admin} talks to (the test fixture's container, say). */
    static void createMissingTopics(Admin admin, Map<String, Integer> partitions) {
        long timeoutMillis = 30_000;
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = partitions.entrySet().stream()
                    .filter(topic -> !existing.contains(topic.getKey()))
                    .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1))
                    .toList();
            for (KafkaFuture<Void> created : admin.createTopics(missing).values().values()) {
                try {
                    created.get(timeoutMillis, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // another client created it meanwhile: just as good
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + partitions.keySet() + " on the local broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + partitions.keySet(), e);
        }
    }

    /** Shuts the broker down and waits until its threads have stopped. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        stop(server);
    }

    static Properties brokerProperties(Path dataDirectory, int port, int controllerPort) {
        return brokerProperties(dataDirectory, port, controllerPort, Optional.empty(), OptionalInt.empty());
    }

    static Properties brokerProperties(Path dataDirectory, int port, int controllerPort,
                                       Optional<SecuredListener> secured, OptionalInt securedPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        String clientListeners = "PLAINTEXT://" + HOST + ":" + port;
        String protocols = "PLAINTEXT:PLAINTEXT";
        if (secured.isPresent()) {
            clientListeners += "," + SecuredListener.PROTOCOL + "://" + HOST + ":" + securedPort.orElseThrow();
            protocols += "," + SecuredListener.PROTOCOL + ":" + SecuredListener.PROTOCOL;
            putSecuredListener(p, secured.get());
        }
        p.put("listeners", clientListeners + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", clientListeners);
        p.put("listener.security.protocol.map", protocols + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
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
        // Kafka's 10 s scan for timed-out transactions is kept on purpose: at 1 s (faster failover) BrokerOutageIT
        // saw a restarted broker abort classifier transactions whose commit was in flight, and the reprocessed images
        // committed twice (4 runs of 4; 0 of 4 at 10 s). docs/operations.md, Failover
        // small files: a laptop broker holds little data
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    /** TLS with the broker's key store, and SCRAM against the credentials in the cluster metadata. */
    private static void putSecuredListener(Properties p, SecuredListener secured) {
        String prefix = "listener.name." + SecuredListener.PROTOCOL.toLowerCase(Locale.ROOT) + ".";
        p.put(prefix + "sasl.enabled.mechanisms", SecuredListener.MECHANISM);
        p.put(prefix + SecuredListener.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                ScramLoginModule.class.getName() + " required;");
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", secured.keyStore().toAbsolutePath().toString());
        p.put(prefix + "ssl.keystore.password", secured.keyStorePassword());
        p.put(prefix + "ssl.key.password", secured.keyStorePassword());
    }

    /**
     * Writes meta.properties and the bootstrap metadata (with the SCRAM users of a secured listener) once; a
     * formatted directory is never touched again.
     */
    private static void formatIfNeeded(Path dataDirectory, Optional<SecuredListener> secured) {
        if (Files.exists(dataDirectory.resolve("meta.properties"))) {
            return;
        }
        List<String> scramUsers = new ArrayList<>();
        secured.ifPresent(listener -> listener.scramUsers().forEach((user, password) -> scramUsers.add(
                SecuredListener.MECHANISM + "=[name=" + user + ",password=" + password + "]")));
        try {
            Files.createDirectories(dataDirectory);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dataDirectory.toAbsolutePath().toString())
                    .addDirectory(dataDirectory.toAbsolutePath().toString())
                    .setScramArguments(scramUsers)
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

    private static void requirePort(int port, String what) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " out of range: " + port);
        }
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

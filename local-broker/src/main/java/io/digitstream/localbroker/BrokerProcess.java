package io.digitstream.localbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local broker ({@link LocalKafkaBroker}) in a child JVM ({@link BrokerProcessMain}): all it prints, Kafka's own
 * log included, goes to a file instead of this process's console. The demo and {@code serve --local-broker} run their
 * broker so; tests run it to stop it or kill it (SIGKILL) and start it again on the same storage, as an operator's
 * broker restarts. The child stops when this process closes it or exits, whichever comes first.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Kafka's log at INFO, with time and thread, as Kafka's own server.log has it. These are slf4j-simple's settings
     * (the binding of the CLI and the tests); as system properties they override a simplelogger.properties on the
     * class path, which keeps Kafka quiet on consoles.
     */
    private static final List<String> LOG_SETTINGS = List.of(
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.log.kafka=info",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
            // every partition's state change at INFO: thousands of lines for little
            "-Dorg.slf4j.simpleLogger.log.state.change.logger=warn",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.showThreadName=true");

    private final Path dataDirectory;
    private final int port;
    private final Path logFile;
    private Process process;
    private int starts;

    /**
     * @param dataDirectory where the broker keeps its data, across restarts
     * @param port          the client port on {@value LocalKafkaBroker#HOST}; 0 picks a free one now
     * @param logFile       where the broker's output goes: replaced by the first start, appended to by restarts
     */
    public BrokerProcess(Path dataDirectory, int port, Path logFile) {
        this.dataDirectory = dataDirectory;
        this.port = port == 0 ? freePort() : port;
        this.logFile = logFile;
    }

    /** On a free port, with its data in {@code kafka-data} and its log in {@code broker.log} under {@code directory}. */
    public static BrokerProcess in(Path directory) {
        return new BrokerProcess(directory.resolve("kafka-data"), 0, directory.resolve("broker.log"));
    }

    public String bootstrapServers() {
        return LocalKafkaBroker.HOST + ":" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Starts the broker and waits until it answers.
     *
     * @throws IllegalStateException when it fails (a taken port, say: the message gives the reason and the log) or
     *                               does not answer within {@code timeout}
     */
    public void start(Duration timeout) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker at " + bootstrapServers() + " is running already");
        }
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        if (starts++ == 0) {
            Files.deleteIfExists(logFile);
        }
        long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(LOG_SETTINGS);
        command.addAll(List.of(BrokerProcessMain.class.getName(), dataDirectory.toString(), Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // this JVM's class path, through the environment: a long one (./digits expands lib/*) stays off the command line
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> printed = linesFrom(logStart);
            if (printed.stream().anyMatch(line -> line.startsWith(BrokerProcessMain.READY))) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(printed.stream().filter(line -> line.startsWith(BrokerProcessMain.FAILED))
                        .map(line -> "the local Kafka broker failed to start: "
                                + line.substring(BrokerProcessMain.FAILED.length()))
                        .findFirst().orElse("the local Kafka broker exited with " + process.exitValue())
                        + " (its log: " + logFile + ")");
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("the local Kafka broker did not start within " + timeout
                        + " (its log: " + logFile + ")");
            }
            Thread.sleep(100);
        }
    }

    /**
     * A controlled shutdown (logs flushed, leadership and transactions handed over), as an operator's restart does.
     *
     * @throws IllegalStateException when it takes longer than a minute; the broker is then killed
     */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the pipe is gone: so is the child, or it will see end of stream just the same
        }
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("the local Kafka broker did not stop within " + STOP_TIMEOUT
                    + " and was killed (its log: " + logFile + ")");
        }
    }

    /** SIGKILL: no clean shutdown, as when a machine or a container dies. */
    public void kill() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the local Kafka broker (pid " + process.pid() + ") did not die within 30 s");
        }
    }

    /** Stops the broker if it runs. */
    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The child's process id, for tests that signal it. */
    long pid() {
        if (process == null) {
            throw new IllegalStateException("the broker was never started");
        }
        return process.pid();
    }

    /** The lines of the log from byte {@code offset} on. */
    private List<String> linesFrom(long offset) throws IOException {
        if (!Files.exists(logFile)) {
            return List.of();
        }
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            channel.position(offset);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(LocalKafkaBroker.HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

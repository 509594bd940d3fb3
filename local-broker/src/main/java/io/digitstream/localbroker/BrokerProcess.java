package io.digitstream.localbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real broker in a child JVM ({@link BrokerProcessMain}) on a fixed loopback port and data directory, so that a
 * test can kill it with SIGKILL and start it again on the same storage, as an operator's broker restarts.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private final Path logFile;
    private Process process;
    private int starts;

    public BrokerProcess(Path workDirectory) {
        this.dataDirectory = workDirectory.resolve("kafka-data");
        this.logFile = workDirectory.resolve("broker.log");
        this.port = freePort();
    }

    public String bootstrapServers() {
        return LocalKafkaBroker.HOST + ":" + port;
    }

    /** Starts the broker and waits until it answers. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        starts++;
        Path log = logFile.resolveSibling("broker-" + starts + ".log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BrokerProcessMain.class.getName(), dataDirectory.toString(), Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log).contains(BrokerProcessMain.READY)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start within " + timeout + ":\n"
                        + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM: a controlled shutdown (logs flushed, leadership and transactions handed over), as a restart does. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not stop within 60 s");
        }
    }

    /** SIGKILL: no clean shutdown, as when a machine or a container dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not die within 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
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

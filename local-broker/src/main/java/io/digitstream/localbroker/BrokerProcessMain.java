package io.digitstream.localbroker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The local broker in a JVM of its own, as {@link BrokerProcess} starts it:
 * {@code BrokerProcessMain <data directory> <port>}. It prints {@value #READY} once it answers, or {@value #FAILED}
 * and the reason. It stops when its standard input closes: its parent closes it to stop it, and a parent that dies
 * closes it too, so it never outlives the parent. A signal (Ctrl-C reaches every process of the terminal) stops it
 * only after that, so the parent can still drain and commit through it while it shuts down itself.
 */
public final class BrokerProcessMain {

    public static final String READY = "broker ready";
    public static final String FAILED = "broker failed: ";

    private BrokerProcessMain() {
    }

    public static void main(String[] args) {
        LocalKafkaBroker broker;
        try {
            broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(Path.of(args[0]))
                    .withPort(Integer.parseInt(args[1])).withStartTimeout(Duration.ofSeconds(90)));
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.out.println(FAILED + e.getMessage());
            System.out.flush();
            System.exit(1);
            return;
        }
        CountDownLatch parentDone = new CountDownLatch(1);
        // a controlled shutdown (logs flushed, leadership and transactions handed over), once the parent lets go
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitUninterruptibly(parentDone);
            broker.close();
        }, "broker-shutdown"));
        System.out.println(READY + " at " + broker.bootstrapServers());
        System.out.flush();
        try {
            while (System.in.read() != -1) {
                // nothing is sent; end of stream means the parent is done or gone
            }
        } catch (IOException e) {
            // a broken pipe: the parent is gone just the same
        }
        parentDone.countDown();
        System.exit(0);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the broker's shutdown must not be skipped; keep waiting for the parent
            }
        }
    }
}

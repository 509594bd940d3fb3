package io.digitstream.classifier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The classifier in a process of its own, for tests that kill it:
 * {@code ClassifierProcessMain <model.onnx> key=value...}, with keys as {@link ClassifierConfig#fromMap} reads them.
 * It runs until it is killed, until Kafka Streams stops (exit 2), or until its standard input closes (exit 3): the
 * test holds that pipe open, so the process never outlives the JVM that started it.
 */
public final class ClassifierProcessMain {

    static final int STREAMS_STOPPED = 2;
    static final int PARENT_GONE = 3;

    private ClassifierProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ClassifierProcessMain <model.onnx> [key=value...]");
            System.exit(1);
        }
        Map<String, String> settings = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value: " + args[i]);
            }
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Thread parentWatch = new Thread(() -> exitWhenClosed(System.in), "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();

        ClassifierApplication app = ClassifierApplication.start(ClassifierConfig.fromMap(settings), Path.of(args[0]), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "classifier-close"));
        System.out.println("classifier started, metrics on 127.0.0.1:" + app.metricsPort());
        while (!app.awaitTermination(Duration.ofMinutes(10))) {
            // runs until killed
        }
        System.out.println("Kafka Streams stopped: " + app.state());
        System.exit(STREAMS_STOPPED);
    }

    private static void exitWhenClosed(InputStream in) {
        try {
            while (in.read() != -1) {
                // nothing is sent; end of stream means the parent is gone
            }
        } catch (IOException e) {
            // the same: nobody is there any more
        }
        System.exit(PARENT_GONE);
    }
}

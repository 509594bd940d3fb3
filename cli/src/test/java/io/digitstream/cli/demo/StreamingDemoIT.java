package io.digitstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.mnist.MnistSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The demo's pipeline on the shipped test samples: its own broker, the real classifier, every image back once. */
class StreamingDemoIT {

    @Test
    void everyImageComesBackClassifiedAsOffline() throws Exception {
        AtomicLong updates = new AtomicLong();
        DemoResult result;
        Path brokerLog;
        try (StreamingDemo demo = new StreamingDemo(new StreamingDemo.Settings(Path.of("../models/digits-cnn.onnx"),
                MnistSamples.test500(), 300, 0, 0, 0, Duration.ofMinutes(2)))) {
            brokerLog = demo.brokerLog().orElseThrow();
            result = demo.run((sent, predictions, deadLetters, labelled) -> updates.incrementAndGet());
        }

        assertThat(result.sent()).isEqualTo(300);
        assertThat(result.predictions()).isEqualTo(300);
        assertThat(result.deadLetters()).isZero();
        assertThat(result.streamCorrect()).isEqualTo(result.offlineCorrect());
        assertThat(result.matchesOffline()).isTrue();
        assertThat(result.confusion().total()).isEqualTo(300);
        assertThat(result.metricsUrl()).startsWith("http://127.0.0.1:");
        assertThat(updates.get()).isPositive();
        // the broker's data and the classifier's state are gone; its log stays, and is Kafka's
        try (Stream<Path> left = Files.list(brokerLog.getParent())) {
            assertThat(left).containsExactly(brokerLog);
        }
        assertThat(Files.readString(brokerLog)).contains("INFO kafka.server.");
        Files.delete(brokerLog);
        Files.delete(brokerLog.getParent());
    }

    @Test
    void stoppedEarlyItReportsWhatWasSentAndAllOfItComesBack() throws Exception {
        DemoResult result;
        Path brokerLog;
        try (StreamingDemo demo = new StreamingDemo(new StreamingDemo.Settings(Path.of("../models/digits-cnn.onnx"),
                MnistSamples.test500(), 500, 100, 0, 0, Duration.ofMinutes(2)))) {
            brokerLog = demo.brokerLog().orElseThrow();
            // what Ctrl-C does: stop() from another thread while images are still being sent (500 at 100/s)
            AtomicLong sentSoFar = new AtomicLong();
            Thread ctrlC = new Thread(() -> {
                while (sentSoFar.get() < 50) {
                    Thread.onSpinWait();
                }
                demo.stop();
            });
            ctrlC.setDaemon(true);
            ctrlC.start();
            result = demo.run((sent, predictions, deadLetters, labelled) -> sentSoFar.set(sent));
            ctrlC.join(10_000);
        }

        assertThat(result.interrupted()).isTrue();
        assertThat(result.sent()).isBetween(50L, 499L);
        assertThat(result.predictions()).isEqualTo(result.sent());
        assertThat(result.matchesOffline()).isTrue();
        Files.delete(brokerLog);
        Files.delete(brokerLog.getParent());
    }
}

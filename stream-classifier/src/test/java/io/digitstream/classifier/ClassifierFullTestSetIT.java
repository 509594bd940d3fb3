package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataCache;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.localbroker.KafkaFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** All 10,000 MNIST test images through the running application and a real broker, under exactly-once. */
class ClassifierFullTestSetIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    /** Bounds on each wait; the test fails past them, it never hangs. */
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path stateDir;

    /** Runs where the full MNIST test set is cached (CI fetches it first); skipped, and says so, elsewhere. */
    @Test
    void classifiesAllTenThousandTestImagesExactlyOnceWithTheOfflineAccuracy() throws Exception {
        MnistDataCache cache = new MnistDataCache();
        assumeTrue(cache.isComplete(), "MNIST not in " + cache.directory() + ": run ./digits fetch-data to check this");
        MnistDataset mnist = cache.load(MnistSplit.TEST);
        assertThat(mnist.size()).isEqualTo(10_000);
        int[] offline = MnistTraffic.offlineDigits(mnist);
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-10k")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        long started = System.nanoTime();
        try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
             CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                     config.predictionsTopic())) {
            MnistTraffic.produceLabelled(KAFKA.bootstrapServers(), config.inputTopic(), mnist, 0, mnist.size());
            out.awaitCount(config.predictionsTopic(), mnist.size(), WAIT);
            out.drain(WAIT);
            System.out.printf("%d images classified in %d ms%n", mnist.size(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());

            List<ConsumerRecord<byte[], byte[]>> predictions = out.of(config.predictionsTopic());
            long correct = MnistTraffic.assertEachImageClassifiedOnceAsOffline(predictions, mnist, offline);
            String version = PredictionEvent.fromJson(predictions.get(0).value()).modelVersion();
            AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config, version,
                    mnist.size(), WAIT);
            // the shipped model rejects some test digits as not-a-digit, exactly those it rejects offline: they are
            // counted apart, and the matrix holds the others
            long rejected = predictions.stream().filter(r -> !PredictionEvent.fromJson(r.value()).accepted()).count();
            long correctAccepted = predictions.stream().map(r -> PredictionEvent.fromJson(r.value()))
                    .filter(p -> p.accepted() && Boolean.TRUE.equals(p.correct())).count();
            assertThat(rejected).as("rejected in the stream").isEqualTo(MnistTraffic.offlineRejected(mnist));
            assertThat(accuracy.rejected()).isEqualTo(rejected);
            assertThat(accuracy.total()).isEqualTo(mnist.size() - rejected);
            assertThat(accuracy.correct()).isEqualTo(correctAccepted);
            assertThat(correctAccepted).isLessThanOrEqualTo(correct);
            assertThat(app.isReady()).as("still serving").isTrue();
        }
    }
}

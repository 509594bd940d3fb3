package io.digitstream.classifier;

import static io.digitstream.classifier.MnistTraffic.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.KafkaFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late labels join their predictions whatever partition their producer chose: kcat and the librdkafka-based clients
 * hash keys differently from Java's producer, so a label may sit in another partition than Streams would pick.
 */
class LateLabelPartitioningIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    @TempDir
    Path stateDir;

    @Test
    void labelsInOtherPartitionsThanJavasHashStillJoin() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, "late-label-partitions")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        int partitions = config.topicPartitions();
        int images = 6;
        try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
             KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(KAFKA.bootstrapServers())) {
            for (int i = 0; i < images; i++) {
                byte[] id = utf8("late-" + i);
                producer.send(new ProducerRecord<>(config.inputTopic(), id,
                        Arrays.copyOfRange(mnist.images(), i * 784, (i + 1) * 784)));
                // one partition past the one Java's partitioner (murmur2) would choose
                int javas = Utils.toPositive(Utils.murmur2(id)) % partitions;
                producer.send(new ProducerRecord<>(config.labelsTopic(), (javas + 1) % partitions, id,
                        utf8(Integer.toString(mnist.label(i)))));
            }
            producer.flush();

            AccuracyReport cumulative = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config,
                    app.servedModel().modelVersion(), images, Duration.ofMinutes(2));

            // every label joined its prediction, accepted or rejected as not-a-digit (counted apart)
            assertThat(cumulative.total() + cumulative.rejected()).isEqualTo(images);
        }
    }
}

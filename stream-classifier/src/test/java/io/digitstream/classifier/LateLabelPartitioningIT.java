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
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late labels join their predictions whatever partition their producers chose: kcat and the librdkafka-based clients
 * hash keys differently from Java's producer, so a label, or an image, may sit in another partition than Streams
 * would pick. An image in the partition Java's producer picks for its id is joined where it was classified, without a
 * record on {@code predictions-by-id}; any other crosses that topic to its join partition.
 */
class LateLabelPartitioningIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final int IMAGES = 6;

    @TempDir
    Path stateDir;

    @Test
    void labelsInOtherPartitionsThanJavasHashStillJoin() throws Exception {
        ClassifierConfig config = config("late-label-partitions");
        long written = imagesAndLabels(config, 0, 0, 1);

        // every image was in the partition Java's producer picks: all joined where they were classified
        assertThat(written).isZero();
    }

    @Test
    void imagesInOtherPartitionsThanJavasHashCrossToTheirJoinPartition() throws Exception {
        ClassifierConfig config = config("late-image-partitions");
        long written = imagesAndLabels(config, 1, 2, 0);

        // each prediction crossed predictions-by-id once (the end offsets also count transaction markers)
        assertThat(written).isGreaterThanOrEqualTo(IMAGES);
    }

    private ClassifierConfig config(String applicationId) {
        return ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, applicationId)
                .with(ClassifierConfig.KEY_INPUT_TOPIC, applicationId + ".images")
                .with(ClassifierConfig.KEY_LABELS_TOPIC, applicationId + ".labels")
                .with(ClassifierConfig.KEY_ACCURACY_TOPIC, applicationId + ".accuracy")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    }

    /**
     * Sends {@link #IMAGES} unlabelled images and their labels, each this many partitions past the one Java's
     * partitioner (murmur2) picks for its id (the even images {@code evenShift}, the odd ones {@code oddShift});
     * checks that every label joined its prediction and returns the records
     * written to {@code predictions-by-id} (its end offsets).
     */
    private long imagesAndLabels(ClassifierConfig config, int evenShift, int oddShift, int labelShift)
            throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        int partitions = config.topicPartitions();
        try (ClassifierApplication app = ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
             KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(KAFKA.bootstrapServers());
             Admin admin = Admin.create(config.clientProperties())) {
            for (int i = 0; i < IMAGES; i++) {
                byte[] id = utf8("late-" + i);
                int javas = Utils.toPositive(Utils.murmur2(id)) % partitions;
                int imageShift = i % 2 == 0 ? evenShift : oddShift;
                producer.send(new ProducerRecord<>(config.inputTopic(), (javas + imageShift) % partitions, id,
                        Arrays.copyOfRange(mnist.images(), i * 784, (i + 1) * 784)));
                producer.send(new ProducerRecord<>(config.labelsTopic(), (javas + labelShift) % partitions, id,
                        utf8(Integer.toString(mnist.label(i)))));
            }
            producer.flush();

            AccuracyReport cumulative = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config,
                    app.servedModel().modelVersion(), IMAGES, Duration.ofMinutes(2));

            // every label joined its prediction, accepted or rejected as not-a-digit (counted apart)
            assertThat(cumulative.total() + cumulative.rejected()).isEqualTo(IMAGES);
            String byId = config.applicationId() + "-" + ClassifierTopology.PREDICTIONS_BY_ID + "-repartition";
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(new TopicPartition(byId, p), OffsetSpec.latest());
            }
            return admin.listOffsets(ends).all().get().values().stream().mapToLong(ListOffsetsResultInfo::offset)
                    .sum();
        }
    }
}

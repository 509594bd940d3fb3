package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ByIdPartitionsTest {

    @Test
    void picksThePartitionKafkasProducerPicksForTheKey() {
        Random random = new Random(12);
        for (int partitions = 1; partitions <= 12; partitions++) {
            ByIdPartitions byId = new ByIdPartitions(partitions);
            for (int i = 0; i < 1_000; i++) {
                byte[] key = new byte[1 + random.nextInt(40)];
                random.nextBytes(key);
                assertThat(byId.partitionOf(key)).isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    @Test
    void aPredictionJoinsWhereItWasReadOnlyUnderItsIdInItsPartition() {
        ByIdPartitions three = new ByIdPartitions(3);
        String id = "scan-17";
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        int home = three.partitionOf(key);

        assertThat(three.joinsWhereRead(key, id, home)).isTrue();
        assertThat(three.joinsWhereRead(key, id, (home + 1) % 3)).isFalse();
        // the join is keyed by the id; a record keyed otherwise (or not at all) must cross to be re-keyed
        assertThat(three.joinsWhereRead(null, id, home)).isFalse();
        assertThat(three.joinsWhereRead(new byte[0], id, home)).isFalse();
        assertThat(three.joinsWhereRead("scan-18".getBytes(StandardCharsets.UTF_8), id, home)).isFalse();
        assertThat(ByIdPartitions.UNKNOWN.joinsWhereRead(key, id, 0)).isFalse();
    }

    @Test
    void aNonAsciiIdIsComparedAsUtf8() {
        ByIdPartitions three = new ByIdPartitions(3);
        String id = "scan-é-17";
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        int home = three.partitionOf(key);

        assertThat(three.joinsWhereRead(key, id, home)).isTrue();
        // as many bytes as the id has chars, but not its UTF-8
        byte[] latin1 = id.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(three.joinsWhereRead(latin1, id, three.partitionOf(latin1))).isFalse();
    }

    @Test
    void refusesANegativeCount() {
        assertThatThrownBy(() -> new ByIdPartitions(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

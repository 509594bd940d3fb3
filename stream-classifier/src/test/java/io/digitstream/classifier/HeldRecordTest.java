package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.HeldRecord.Source;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** A held record's form in the batch store: all of it comes back, and damage is said, not guessed around. */
class HeldRecordTest {

    @Test
    void everyPartComesBack() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        headers.add("trace", new byte[0]);
        HeldRecord held = new HeldRecord(new Record<>("id-é".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, -1},
                0L, headers), new Source("images", 5, 1L << 40));

        HeldRecord back = HeldRecord.fromBytes(held.toBytes());

        assertThat(back.source()).isEqualTo(held.source());
        assertThat(back.record().key()).isEqualTo(held.record().key());
        assertThat(back.record().value()).isEqualTo(held.record().value());
        assertThat(back.record().timestamp()).isZero();
        assertThat(back.record().headers().toArray()).containsExactly(headers.toArray());
    }

    @Test
    void aMissingKeyValueAndTopicStayMissing() {
        HeldRecord held = new HeldRecord(new Record<>(null, null, 7L, new RecordHeaders()), new Source(null, 0, 0));

        HeldRecord back = HeldRecord.fromBytes(held.toBytes());

        assertThat(back.record().key()).isNull();
        assertThat(back.record().value()).isNull();
        assertThat(back.source().topic()).isNull();
    }

    @Test
    void damagedBytesAreRefused() {
        byte[] bytes = new HeldRecord(new Record<>(new byte[] {1}, new byte[100], 7L,
                new RecordHeaders().add("h", new byte[] {2})), new Source("images", 0, 3)).toBytes();

        assertThatThrownBy(() -> HeldRecord.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("held record");
        assertThatThrownBy(() -> HeldRecord.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("too many");
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = 9;
        assertThatThrownBy(() -> HeldRecord.fromBytes(otherFormat)).hasMessageContaining("format 9");
        byte[] hugeValue = bytes.clone();
        // the value's length field: after format, timestamp, partition, offset, topic and key
        int valueLength = 1 + 8 + 4 + 8 + 4 + "images".length() + 4 + 1;
        ByteBuffer.wrap(hugeValue).putInt(valueLength, Integer.MAX_VALUE);
        assertThatThrownBy(() -> HeldRecord.fromBytes(hugeValue)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Integer.toString(Integer.MAX_VALUE));
        assertThatThrownBy(() -> HeldRecord.fromBytes(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void itsSizeCountsKeyValueAndHeaders() {
        HeldRecord held = new HeldRecord(new Record<>(new byte[3], new byte[100], 0L,
                new RecordHeaders().add("ab", new byte[10])), new Source("images", 0, 0));

        assertThat(held.size()).isEqualTo(3 + 100 + 2 + 10);
    }
}

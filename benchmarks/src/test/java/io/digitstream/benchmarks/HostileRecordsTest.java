package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class HostileRecordsTest {

    private static final long SECOND = 1_000_000_000L;

    private final HostileRecords corpus = new HostileRecords("images", "labels", new byte[784]);

    @Test
    void everyRecordCarriesItsSequenceNumberAndHasTheSizeItsKindSays() {
        for (HostileRecords.Kind kind : corpus.kinds()) {
            ProducerRecord<byte[], byte[]> record = corpus.record(kind, 12_345);

            assertThat(new String(record.headers().lastHeader(HostileRecords.SEQUENCE_HEADER).value(),
                    StandardCharsets.UTF_8)).isEqualTo("12345");
            assertThat(record.topic()).isEqualTo(kind.target() == HostileRecords.Target.IMAGES ? "images" : "labels");
            assertThat(record.key().length + record.value().length).as(kind.name())
                    .isBetween(kind.bytes() - 16, kind.bytes());
        }
    }

    @Test
    void everyKindComesOnceTheBudgetHasSavedUpForTheLargeOnes() {
        long budget = 256 * 1024;
        HostileRecords.Mix mix = new HostileRecords.Mix(corpus.kinds(), budget);
        long largeBytes = corpus.kinds().stream().filter(k -> !k.small()).mapToLong(HostileRecords.Kind::bytes).sum();
        Set<HostileRecords.Kind> seen = new HashSet<>();
        for (long t = 0; t <= (largeBytes / budget + 1) * SECOND; t += SECOND / 10) {
            seen.add(mix.next(t));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(corpus.kinds());
    }

    @Test
    void overAnHourTheLargeKindsSendTheBudgetAndTakeEqualTurns() {
        long budget = 256 * 1024;
        HostileRecords.Mix mix = new HostileRecords.Mix(corpus.kinds(), budget);
        long largeBytes = 0;
        List<HostileRecords.Kind> sent = new ArrayList<>();
        // 7.5 hostile records a second: 1.5% of 500
        for (long t = 0; t < 3600 * SECOND; t += SECOND * 2 / 15) {
            HostileRecords.Kind kind = mix.next(t);
            sent.add(kind);
            if (!kind.small()) {
                largeBytes += kind.bytes();
            }
        }
        assertThat(largeBytes).isBetween(budget * 3600 - 10 * 1024 * 1024, budget * 3600);
        long[] counts = corpus.kinds().stream().filter(k -> !k.small())
                .mapToLong(kind -> sent.stream().filter(kind::equals).count()).toArray();
        assertThat(Arrays.stream(counts).max().orElseThrow()
                - Arrays.stream(counts).min().orElseThrow()).isLessThanOrEqualTo(1);
        assertThat(counts[0]).isGreaterThan(50);
        for (HostileRecords.Kind kind : corpus.kinds()) {
            assertThat(sent).as(kind.name()).contains(kind);
        }
    }
}

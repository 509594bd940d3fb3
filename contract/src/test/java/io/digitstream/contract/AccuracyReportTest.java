package io.digitstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccuracyReportTest {

    /** Labels 0, 2, 7, 7 predicted 0, 2, 7, 1: docs/contract.md's example. */
    private static final ConfusionMatrix FOUR = ConfusionMatrix.emptyDigits().add(7, 7).add(7, 1).add(2, 2).add(0, 0);
    private static final String ZERO_ROW = "[0,0,0,0,0,0,0,0,0,0]";

    @Test
    void figuresComeFromTheMatrix() {
        AccuracyReport report = AccuracyReport.of("1.0.0", null, null, FOUR);

        assertThat(report.total()).isEqualTo(4);
        assertThat(report.correct()).isEqualTo(3);
        assertThat(report.accuracy()).isEqualTo(0.75);
        assertThat(report.confusion()).isDeepEqualTo(FOUR.toArray());
        assertThat(report.precision()).containsExactly(1, 0, 1, 0, 0, 0, 0, 1, 0, 0);
        assertThat(report.recall()).containsExactly(1, 0, 1, 0, 0, 0, 0, 0.5, 0, 0);
        assertThat(report.f1()[7]).isEqualTo(2 * 0.5 / 1.5);
    }

    /**
     * The bytes on digits.accuracy: field order, number formatting, windows left out of cumulative records;
     * {@code rejected} was added at the end in issue 11.
     */
    @Test
    void writesTheSameBytesAsEver() {
        String confusion = "\"confusion\":[[1,0,0,0,0,0,0,0,0,0]," + ZERO_ROW + ",[0,0,1,0,0,0,0,0,0,0],"
                + ZERO_ROW + "," + ZERO_ROW + "," + ZERO_ROW + "," + ZERO_ROW + ",[0,1,0,0,0,0,0,1,0,0]," + ZERO_ROW
                + "," + ZERO_ROW + "]";
        assertThat(utf8(AccuracyReport.toJson(AccuracyReport.of("1.0.0", 1764110040000L, 1764110100000L, FOUR))))
                .isEqualTo("{\"modelVersion\":\"1.0.0\",\"windowStart\":1764110040000,\"windowEnd\":1764110100000,"
                        + "\"total\":4,\"correct\":3,\"accuracy\":0.75," + confusion + ","
                        + "\"precision\":[1.0,0.0,1.0,0.0,0.0,0.0,0.0,1.0,0.0,0.0],"
                        + "\"recall\":[1.0,0.0,1.0,0.0,0.0,0.0,0.0,0.5,0.0,0.0],"
                        + "\"f1\":[1.0,0.0,1.0,0.0,0.0,0.0,0.0,0.6666666666666666,0.0,0.0],\"rejected\":0}");

        ConfusionMatrix seven = FOUR.add(3, 5).add(5, 3).add(5, 5);
        assertThat(utf8(AccuracyReport.toJson(AccuracyReport.of("1.0.0", null, null, seven))))
                .isEqualTo("{\"modelVersion\":\"1.0.0\",\"total\":7,\"correct\":4,\"accuracy\":0.5714285714285714,"
                        + "\"confusion\":[[1,0,0,0,0,0,0,0,0,0]," + ZERO_ROW + ",[0,0,1,0,0,0,0,0,0,0],"
                        + "[0,0,0,0,0,1,0,0,0,0]," + ZERO_ROW + ",[0,0,0,1,0,1,0,0,0,0]," + ZERO_ROW + ","
                        + "[0,1,0,0,0,0,0,1,0,0]," + ZERO_ROW + "," + ZERO_ROW + "],"
                        + "\"precision\":[1.0,0.0,1.0,0.0,0.0,0.5,0.0,1.0,0.0,0.0],"
                        + "\"recall\":[1.0,0.0,1.0,0.0,0.0,0.5,0.0,0.5,0.0,0.0],"
                        + "\"f1\":[1.0,0.0,1.0,0.0,0.0,0.5,0.0,0.6666666666666666,0.0,0.0],\"rejected\":0}");
        assertThat(utf8(AccuracyReport.toJson(AccuracyReport.of("1.0.0", null, null, FOUR, 2))))
                .startsWith("{\"modelVersion\":\"1.0.0\",\"total\":4,\"correct\":3,\"accuracy\":0.75,")
                .endsWith(",\"rejected\":2}");
    }

    @Test
    void rejectedPredictionsAreCountedApartFromTheFigures() {
        AccuracyReport report = AccuracyReport.of("1.0.0", null, null, FOUR, 5);

        assertThat(report.rejected()).isEqualTo(5);
        assertThat(report.total()).isEqualTo(4);
        assertThat(report.accuracy()).isEqualTo(0.75);
        assertThat(AccuracyReport.fromJson(AccuracyReport.toJson(report)).rejected()).isEqualTo(5);
        assertThatThrownBy(() -> AccuracyReport.of("1.0.0", null, null, FOUR, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordWrittenBeforeRejectionsExistedReadsAsNoneRejected() {
        byte[] old = ("{\"modelVersion\":\"1.0.0\",\"total\":0,\"correct\":0,\"accuracy\":0.0,"
                + "\"confusion\":[],\"precision\":[],\"recall\":[],\"f1\":[]}").getBytes(StandardCharsets.UTF_8);

        assertThat(AccuracyReport.fromJson(old).rejected()).isZero();
    }

    @Test
    void readsBackWhatItWrote() {
        AccuracyReport windowed = AccuracyReport.fromJson(AccuracyReport.toJson(
                AccuracyReport.of("1.0.0", 60_000L, 120_000L, FOUR)));

        assertThat(windowed.windowStart()).isEqualTo(60_000L);
        assertThat(windowed.windowEnd()).isEqualTo(120_000L);
        assertThat(ConfusionMatrix.fromCounts(windowed.confusion())).isEqualTo(FOUR);
        assertThat(AccuracyReport.fromJson(AccuracyReport.toJson(AccuracyReport.of("1.0.0", null, null, FOUR)))
                .windowStart()).isNull();
    }

    @Test
    void somethingElseIsNotAnAccuracyReport() {
        assertThatThrownBy(() -> AccuracyReport.fromJson("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an accuracy report");
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

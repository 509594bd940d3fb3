package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.PredictionEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code ./digits tail} prints per prediction and what {@code --summary} counts. */
class PredictionSummaryTest {

    private final PredictionSummary summary = new PredictionSummary();

    @Test
    void rejectedPredictionsAreCountedApartAndLeftOutOfTheAccuracy() {
        summary.add(prediction("a", 7, 7));
        summary.add(prediction("b", 1, 7));
        summary.add(prediction("c", 3, null));
        summary.add(prediction("d", 1, 4).rejected(PredictionEvent.NOT_A_DIGIT, 12.5));
        summary.add(prediction("e", 8, null).rejected(PredictionEvent.NOT_A_DIGIT, 3));

        assertThat(summary.runningLine())
                .isEqualTo("predictions 5, labelled 2, accuracy 50.00%, not-a-digit 2 (1 labelled)");
        String printed = printed();
        assertThat(printed).contains("Not a digit: 2 prediction(s), 1 of them labelled; left out of the confusion "
                + "matrix and the accuracy");
        // the confusion matrix holds the two accepted labelled predictions only: nothing in row 4
        assertThat(printed.lines().filter(line -> line.matches("\\s+4(\\s+0){10}"))).hasSize(1);
    }

    @Test
    void withoutRejectionsTheSummaryIsAsBeforeWithAZeroCount() {
        summary.add(prediction("a", 7, 7));

        assertThat(summary.runningLine()).isEqualTo("predictions 1, labelled 1, accuracy 100.00%, not-a-digit 0");
        assertThat(printed()).doesNotContain("Not a digit").contains("Confusion matrix");
    }

    @Test
    void aRejectedPredictionsLineSaysWhyAfterItsConfidence() {
        assertThat(TailCommand.PredictionLine.of(prediction("d", 1, 4).rejected(PredictionEvent.NOT_A_DIGIT, 12.5)))
                .isEqualTo("d  digit 1  confidence 0.9500  not-a-digit (score 12.5000)  label 4 WRONG  model 1.0.0");
        assertThat(TailCommand.PredictionLine.of(prediction("a", 7, 7)))
                .isEqualTo("a  digit 7  confidence 0.9500  label 7 correct  model 1.0.0");
    }

    private String printed() {
        StringWriter text = new StringWriter();
        summary.print(new PrintWriter(text, true));
        return text.toString();
    }

    private static PredictionEvent prediction(String id, int digit, Integer label) {
        float[] probabilities = new float[10];
        probabilities[digit] = 0.95f;
        probabilities[(digit + 1) % 10] = 0.05f;
        return new PredictionEvent(id, digit, 0.95f, probabilities, "1.0.0", label,
                label == null ? null : label == digit, 1_700_000_000_000L, 1_700_000_000_010L);
    }
}

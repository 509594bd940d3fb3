package io.digitstream.cli;

import io.digitstream.contract.ClassificationReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.PredictionEvent;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code tail --summary} counts of the predictions it reads. As the classifier's accuracy records do, predictions
 * rejected as not-a-digit are left out of the confusion matrix and the accuracy and counted apart.
 */
final class PredictionSummary {

    private long predictions;
    private long rejected;
    private long rejectedLabelled;
    private ConfusionMatrix labelled = ConfusionMatrix.emptyDigits();

    void add(PredictionEvent p) {
        predictions++;
        if (!p.accepted()) {
            rejected++;
            if (p.label() != null) {
                rejectedLabelled++;
            }
        } else if (p.label() != null) {
            labelled = labelled.add(p.label(), p.digit());
        }
    }

    /** {@code predictions 4, labelled 2, accuracy 50.00%, not-a-digit 2 (1 labelled)}. */
    String runningLine() {
        return String.format(Locale.ROOT, "predictions %,d, labelled %,d, accuracy %s, not-a-digit %,d%s", predictions,
                labelled.total(), labelled.total() == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%",
                        100 * labelled.accuracy()),
                rejected, rejectedLabelled == 0 ? "" : String.format(Locale.ROOT, " (%,d labelled)", rejectedLabelled));
    }

    /** The running line, then the confusion matrix and report of the accepted labelled predictions. */
    void print(PrintWriter out) {
        out.println();
        out.println(runningLine());
        if (rejected > 0) {
            out.printf(Locale.ROOT, "Not a digit: %,d prediction(s), %,d of them labelled; left out of the confusion "
                    + "matrix and the accuracy, as in the classifier's accuracy records.%n", rejected, rejectedLabelled);
        }
        if (labelled.total() > 0) {
            out.println();
            out.println("Confusion matrix (row = label, column = predicted):");
            out.println(labelled.toText());
            out.println(ClassificationReport.from(labelled).toText());
        }
    }
}

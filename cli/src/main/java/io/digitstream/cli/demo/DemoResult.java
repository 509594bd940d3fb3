package io.digitstream.cli.demo;

import io.digitstream.contract.ConfusionMatrix;
import java.time.Duration;

/**
 * What one demo run measured.
 *
 * @param sent             images the producer had acknowledged
 * @param failed           images the producer could not send
 * @param predictions      committed predictions read back
 * @param deadLetters      committed dead letters read back
 * @param streamCorrect    correct predictions among them (all demo images carry labels)
 * @param offlineCorrect   correct predictions of the same model on the same images, offline
 * @param confusion        the stream's confusion matrix of the labelled predictions, row = label, column = predicted
 * @param elapsed          from the first image sent to the last prediction read
 * @param metricsUrl       where the classifier served /metrics during the run
 * @param interrupted      stopped early (Ctrl-C): the figures cover the images sent until then
 */
public record DemoResult(long sent, long failed, long predictions, long deadLetters, long streamCorrect,
                         long offlineCorrect, ConfusionMatrix confusion, Duration elapsed, String metricsUrl,
                         boolean interrupted) {

    public double streamAccuracy() {
        return predictions == 0 ? Double.NaN : (double) streamCorrect / predictions;
    }

    public double offlineAccuracy() {
        return sent == 0 ? Double.NaN : (double) offlineCorrect / sent;
    }

    /** Every image came back exactly as classified offline: the stream adds no error of its own. */
    public boolean matchesOffline() {
        return failed == 0 && predictions == sent && streamCorrect == offlineCorrect;
    }
}

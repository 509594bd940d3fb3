package io.digitstream.trainer.report;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.Prediction;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.trainer.baseline.BaselineResult;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.search.SearchResult;
import io.digitstream.trainer.train.EpochMetrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one training run hands to {@link ReportWriter}. The test accuracy, confusion matrix and
 * classification report are derived here from {@code test} and {@code testProbabilities}, so they cannot disagree.
 *
 * @param title              heading of the page, e.g. "digit-stream model report"
 * @param hyperparameters    the configuration of the trained model
 * @param history            one entry per training epoch of the final model, in order
 * @param search             the hyperparameter search that chose {@code hyperparameters}, or null when none ran
 * @param test               the test images and labels
 * @param testProbabilities  for each test image the model's 10 class probabilities
 * @param validationAccuracy accuracy of the final model on the validation split, NaN when there was none
 * @param baselines          classical models measured on the same split, possibly none
 * @param timingsSeconds     wall time per phase in the order they ran, e.g. search, training, evaluation, export
 * @param model              the exported model file, or null when nothing was exported
 * @param notes              free-form facts shown and stored as given (data source, seed, machine, ...)
 */
public record ReportData(
        String title,
        Hyperparameters hyperparameters,
        List<EpochMetrics> history,
        SearchResult search,
        MnistDataset test,
        float[][] testProbabilities,
        double validationAccuracy,
        List<BaselineResult> baselines,
        Map<String, Double> timingsSeconds,
        ModelInfo model,
        Map<String, String> notes) {

    public ReportData {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        Objects.requireNonNull(test, "test");
        history = List.copyOf(history);
        baselines = List.copyOf(baselines);
        timingsSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(timingsSeconds));
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
        if (testProbabilities.length != test.size()) {
            throw new IllegalArgumentException(testProbabilities.length + " probability rows for "
                    + test.size() + " test images");
        }
        for (float[] row : testProbabilities) {
            if (row.length != DigitShape.CLASSES) {
                throw new IllegalArgumentException("each probability row needs " + DigitShape.CLASSES + " entries, got "
                        + row.length);
            }
        }
    }

    /** The most probable digit for each test image (the first one on a tie). */
    public int[] predictions() {
        int[] predicted = new int[testProbabilities.length];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = Prediction.mostProbableDigit(testProbabilities[i]);
        }
        return predicted;
    }

    public int[] labels() {
        int[] labels = new int[test.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = test.label(i);
        }
        return labels;
    }

    public ConfusionMatrix confusionMatrix() {
        return ConfusionMatrix.ofDigits(labels(), predictions());
    }

    public double testAccuracy() {
        return confusionMatrix().accuracy();
    }

    /** Seconds spent in the epochs of {@link #history}. */
    public double trainingSeconds() {
        return history.stream().mapToDouble(EpochMetrics::seconds).sum();
    }

}

package io.digitstream.benchmarks;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.Prediction;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the model says of each benchmark image offline, and so what the stream's accuracy must count for the images a
 * phase sent: the test set repeated, image {@code n} of a batch being image {@code n % size} (as
 * {@link BenchmarkImageSender} sends them), the raw bytes scaled as the classifier scales them, and rejected as
 * not-a-digit at the threshold the classifier applies (its setting, else the model's own).
 */
final class OfflineAccuracy {

    private final String modelVersion;
    private final int[] labels;
    private final int[] digits;
    private final boolean[] rejected;

    private OfflineAccuracy(String modelVersion, int[] labels, int[] digits, boolean[] rejected) {
        this.modelVersion = modelVersion;
        this.labels = labels;
        this.digits = digits;
        this.rejected = rejected;
    }

    /** Classifies every image of {@code images} once, as the classifier configured by {@code config} would. */
    static OfflineAccuracy of(Path modelFile, MnistDataset images, ClassifierConfig config) throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(modelFile, 1)) {
            double threshold = config.notDigitThreshold(model.metadata().oodThreshold());
            int[] labels = new int[images.size()];
            int[] digits = new int[images.size()];
            boolean[] rejected = new boolean[images.size()];
            for (int i = 0; i < images.size(); i++) {
                Prediction p = model.predict(images.normalizedImage(i));
                labels[i] = images.label(i);
                digits[i] = p.digit();
                rejected[i] = p.rejectedAt(threshold);
            }
            return new OfflineAccuracy(model.metadata().modelVersion(), labels, digits, rejected);
        }
    }

    /** For tests: the offline answers given. */
    static OfflineAccuracy of(String modelVersion, int[] labels, int[] digits, boolean[] rejected) {
        return new OfflineAccuracy(modelVersion, labels.clone(), digits.clone(), rejected.clone());
    }

    String modelVersion() {
        return modelVersion;
    }

    /** The counts of batches of {@code batchSizes[b]} images each, every batch starting at image 0. */
    Expected expected(int... batchSizes) {
        long[][] confusion = new long[DigitShape.CLASSES][DigitShape.CLASSES];
        long rejectedCount = 0;
        for (int size : batchSizes) {
            for (int i = 0; i < labels.length; i++) {
                // how often image i is sent in a batch of `size`: once per full round, once more in the last
                long copies = size / labels.length + (i < size % labels.length ? 1 : 0);
                if (rejected[i]) {
                    rejectedCount += copies;
                } else {
                    confusion[labels[i]][digits[i]] += copies;
                }
            }
        }
        return new Expected(ConfusionMatrix.fromCounts(confusion), rejectedCount);
    }

    /**
     * The accuracy counts a run of images must reach.
     *
     * @param accepted the accepted labelled predictions by label and digit
     * @param rejected the labelled predictions rejected as not-a-digit
     */
    record Expected(ConfusionMatrix accepted, long rejected) {

        /** Every labelled prediction, accepted or rejected. */
        long labelled() {
            return accepted.total() + rejected;
        }
    }
}

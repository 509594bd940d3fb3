package io.digitstream.trainer.robustness;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@link RobustnessBenchmark} measured. Shares are fractions 0..1; a rejected share is null when there was no
 * threshold to reject at.
 *
 * @param modelFile       the model file's name
 * @param modelVersion    the version in its metadata
 * @param modelSha256     SHA-256 of the file
 * @param scoreMethod     the not-a-digit score: {@code msp}, {@code energy} or {@code max-logit}
 * @param threshold       the threshold rejections were counted at, null for none
 * @param thresholdSource where it came from: the model's {@code ood.threshold}, the command line, or none
 *                        (the score and its threshold are core's: {@code OodScore}, {@code Prediction#rejectedAt})
 * @param seed            the seed every random choice derives from
 * @param conditions      one row per corruption, reference and control
 * @param fonts           the foreign-handwriting set, one row per font (empty when no font was found)
 * @param notDigit        the not-a-digit benchmark, null when Fashion-MNIST was not found
 * @param notes           what was skipped or limited, in words
 * @param seconds         wall time of the whole benchmark
 */
public record RobustnessReport(String modelFile, String modelVersion, String modelSha256, String scoreMethod,
                               Double threshold, String thresholdSource, long seed, List<ConditionResult> conditions,
                               List<FontResult> fonts, NotDigitResult notDigit, List<String> notes, double seconds) {

    /**
     * One condition over its images.
     *
     * @param unreadable       share that {@code DigitPreprocessor} refused (counted as wrong)
     * @param acceptedAccuracy accuracy over the images not rejected, null without a threshold or when all were
     */
    public record ConditionResult(String id, String kind, String description, int images, double accuracy,
                                  Double rejected, double unreadable, Double acceptedAccuracy, double seconds) {
    }

    /**
     * The digits of one font.
     *
     * @param missingDigits digits the font has no glyph for (left out)
     */
    public record FontResult(String font, String file, int images, List<Integer> missingDigits, double accuracy,
                             Double rejected) {
    }

    /**
     * The not-a-digit benchmark: MNIST test digits against Fashion-MNIST test images (never digits).
     *
     * @param auroc           how well the score ranks Fashion above MNIST, 1 = perfectly
     * @param fashionRejected share of Fashion-MNIST rejected at the threshold
     * @param mnistRejected   share of MNIST test digits rejected at the threshold
     */
    public record NotDigitResult(int fashionImages, int mnistImages, double auroc, Double fashionRejected,
                                 Double mnistRejected) {
    }

    public RobustnessReport {
        conditions = List.copyOf(conditions);
        fonts = List.copyOf(fonts);
        notes = List.copyOf(notes);
    }

    /** The rows of the corruption suite: the MNIST-C corruptions and the scan-like transforms. */
    public List<ConditionResult> suite() {
        return conditions.stream().filter(c -> isSuite(c.kind())).toList();
    }

    /** The mean accuracy over the suite's corruptions, each weighing the same; NaN for an empty suite. */
    public double suiteMeanAccuracy() {
        return mean(suite());
    }

    /** The mean accuracy over the conditions of one kind ({@code mnist-c}, {@code scan}). */
    public double meanAccuracy(String kind) {
        return mean(conditions.stream().filter(c -> c.kind().equals(kind)).toList());
    }

    /** The suite's corruption with the lowest accuracy. */
    public Optional<ConditionResult> worst() {
        return suite().stream().min(Comparator.comparingDouble(ConditionResult::accuracy));
    }

    public Optional<ConditionResult> condition(String id) {
        return conditions.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Accuracy over every font's digits together, NaN without fonts. */
    public double fontAccuracy() {
        int images = 0;
        double correct = 0;
        for (FontResult f : fonts) {
            images += f.images();
            correct += f.accuracy() * f.images();
        }
        return images == 0 ? Double.NaN : correct / images;
    }

    /** Share of every font's digits rejected, null without fonts or threshold. */
    public Double fontRejected() {
        int images = 0;
        double rejected = 0;
        for (FontResult f : fonts) {
            if (f.rejected() == null) {
                return null;
            }
            images += f.images();
            rejected += f.rejected() * f.images();
        }
        return images == 0 ? null : rejected / images;
    }

    private static boolean isSuite(String kind) {
        return kind.equals(Condition.Kind.MNIST_C.id()) || kind.equals(Condition.Kind.SCAN.id());
    }

    private static double mean(List<ConditionResult> rows) {
        return rows.stream().mapToDouble(ConditionResult::accuracy).average().orElse(Double.NaN);
    }
}

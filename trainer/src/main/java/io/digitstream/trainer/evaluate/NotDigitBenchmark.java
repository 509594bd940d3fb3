package io.digitstream.trainer.evaluate;

import io.digitstream.core.mnist.MnistIdxReader;
import io.digitstream.trainer.export.OnnxModelOutputs;
import io.digitstream.trainer.robustness.Auroc;
import io.digitstream.trainer.ood.OodCalibration;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OodScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How well a model file tells digits from a set of images that are not digits, measured after every choice was made:
 * the AUROC of each score the file allows, and the share of each set its own score and threshold reject. The
 * not-digits are Fashion-MNIST's test images, the held-out benchmark: never training data, never used to choose a
 * threshold, neither split.
 *
 * @param notDigitsName     what the not-digits are
 * @param digits            digit images measured
 * @param notDigits         not-digit images measured
 * @param auroc             per score the file allows (all three with a logits output, else msp)
 * @param score             the file's score ({@value ModelMetadata#KEY_OOD_SCORE}), msp when it names none
 * @param threshold         the file's threshold, NaN when it has none
 * @param digitsRejected    share of the digits above the threshold (NaN without one)
 * @param notDigitsRejected share of the not-digits above the threshold (NaN without one)
 */
public record NotDigitBenchmark(String notDigitsName, int digits, int notDigits, Map<OodScore, Double> auroc,
                                OodScore score, double threshold, double digitsRejected, double notDigitsRejected) {

    /** Where the Debian package dataset-fashion-mnist installs the test images. */
    public static final Path FASHION_TEST_IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    public static final String FASHION_TEST = "Fashion-MNIST test";

    public NotDigitBenchmark {
        auroc = Collections.unmodifiableMap(new EnumMap<>(auroc));
    }

    /** Fashion-MNIST's 10,000 test images as 0..1 floats, or empty when the package is not installed. */
    public static Optional<float[]> fashionTestImages() throws IOException {
        return Files.isRegularFile(FASHION_TEST_IMAGES) ? Optional.of(pixels(FASHION_TEST_IMAGES)) : Optional.empty();
    }

    /** The images of an IDX file as 0..1 floats. */
    public static float[] pixels(Path idxImages) throws IOException {
        byte[] bytes = MnistIdxReader.readImages(idxImages).pixels();
        float[] pixels = new float[bytes.length];
        for (int p = 0; p < bytes.length; p++) {
            pixels[p] = (bytes[p] & 0xFF) / 255f;
        }
        return pixels;
    }

    /** Runs {@code model} on both sets and measures. */
    public static NotDigitBenchmark run(Path model, float[] digits, String notDigitsName, float[] notDigits)
            throws IOException {
        try (OnnxModelOutputs outputs = OnnxModelOutputs.load(model, 2)) {
            Map<String, String> metadata = outputs.metadata();
            OnnxModelOutputs.Outputs digitOutputs = outputs.run(digits);
            OnnxModelOutputs.Outputs otherOutputs = outputs.run(notDigits);
            Map<OodScore, double[][]> scores = new EnumMap<>(OodScore.class);
            if (outputs.hasLogits()) {
                for (OodScore s : OodScore.FROM_LOGITS) {
                    scores.put(s, new double[][] {OodCalibration.scores(s, digitOutputs.logits()),
                            OodCalibration.scores(s, otherOutputs.logits())});
                }
            } else {
                scores.put(OodScore.MSP, new double[][] {msp(digitOutputs.probabilities()), msp(otherOutputs.probabilities())});
            }
            if (outputs.hasOodScore()) {
                scores.put(OodScore.IN_GRAPH, new double[][] {digitOutputs.oodScores(), otherOutputs.oodScores()});
            }
            Map<OodScore, Double> auroc = new EnumMap<>(OodScore.class);
            scores.forEach((s, pair) -> auroc.put(s, Auroc.of(pair[1], pair[0])));

            String named = metadata.get(ModelMetadata.KEY_OOD_SCORE);
            OodScore score = named == null ? OodScore.MSP : OodScore.named(named);
            String thresholdText = metadata.get(ModelMetadata.KEY_OOD_THRESHOLD);
            double threshold = thresholdText == null ? Double.NaN : Double.parseDouble(thresholdText);
            if (!scores.containsKey(score)) {
                throw new IllegalArgumentException(model + " names the score " + score
                        + " but has no output it is computed from");
            }
            double[][] own = scores.get(score);
            boolean hasThreshold = !Double.isNaN(threshold);
            return new NotDigitBenchmark(notDigitsName, own[0].length, own[1].length, auroc, score, threshold,
                    hasThreshold ? OodCalibration.rejected(own[0], threshold) : Double.NaN,
                    hasThreshold ? OodCalibration.rejected(own[1], threshold) : Double.NaN);
        }
    }

    private static double[] msp(float[][] probabilities) {
        double[] scores = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            scores[i] = OodScore.MSP.of(probabilities[i], null);
        }
        return scores;
    }

    /** One line for logs and reports. */
    public String summary() {
        String aurocs = auroc.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        String atThreshold = Double.isNaN(threshold) ? "no threshold in the model"
                : String.format(Locale.ROOT, "at %s > %s: %.2f%% of %s and %.2f%% of digits rejected", score,
                        threshold, 100 * notDigitsRejected, notDigitsName, 100 * digitsRejected);
        return String.format(Locale.ROOT, "%d digits vs %d %s: AUROC %s; %s", digits, notDigits, notDigitsName, aurocs,
                atThreshold);
    }
}

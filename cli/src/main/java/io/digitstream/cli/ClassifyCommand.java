package io.digitstream.cli;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageRejectedException;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.Prediction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Print the digit and confidence for each image file (PNG, JPEG, BMP, GIF of any size, or "
                + "784 raw bytes), tab-separated. Images are preprocessed as MNIST was made: ink made white on black, "
                + "cropped, scaled to 20x20 and centred by centre of mass in 28x28. An image whose not-a-digit (OOD) "
                + "score is above the threshold gets two more fields: not-a-digit and the score. Exit code 1 when "
                + "any file could not be classified.",
        footer = {"", "Examples:", "  ./digits classify seven.png scans/*.jpg",
                  "  ./digits classify --model runs/<run>/model.onnx 3.png",
                  "  ./digits classify --not-digit-threshold -7.5 photo.jpg"})
final class ClassifyCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files to classify.")
    List<Path> images;

    @Option(names = "--not-digit-threshold", paramLabel = "SCORE",
            description = "OOD score above which an image is not a digit: a number on the model's scale, or none to "
                    + "reject nothing (default: the model's ood.threshold; a model without one rejects nothing).")
    String notDigitThreshold;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DigitPreprocessor preprocessor = new DigitPreprocessor();
        // the classifier's own rule, so that classify and serve reject the same images
        ClassifierConfig thresholdRule = thresholdRule();
        int failed = 0;
        try (OnnxDigitModel digitModel = OnnxDigitModel.load(model.file)) {
            double threshold = thresholdRule.notDigitThreshold(digitModel.metadata().oodThreshold());
            for (Path image : images) {
                try {
                    byte[] bytes = readBounded(image, preprocessor.limits().maxBytes());
                    Prediction p = digitModel.predict(preprocessor.preprocess(bytes));
                    out.println(line(image, p, threshold));
                } catch (ImageRejectedException e) {
                    failed++;
                    err.printf("%s\terror: %s (%s)%n", image, e.getMessage(), e.reason().code());
                } catch (IOException e) {
                    failed++;
                    err.printf("%s\terror: cannot read: %s%n", image, e.getMessage());
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * {@code file, digit, confidence}, tab-separated; for an image that is not a digit two more fields follow,
     * {@code not-a-digit} and its OOD score, while digit and confidence are what the model would have answered.
     */
    static String line(Path file, Prediction p, double notDigitThreshold) {
        String line = String.format(Locale.ROOT, "%s\t%d\t%.4f", file, p.digit(), p.confidence());
        return p.rejectedAt(notDigitThreshold)
                ? line + String.format(Locale.ROOT, "\t%s\t%.4f", PredictionEvent.NOT_A_DIGIT, p.oodScore()) : line;
    }

    private ClassifierConfig thresholdRule() {
        if (notDigitThreshold == null) {
            return ClassifierConfig.defaults();
        }
        try {
            return ClassifierConfig.fromMap(Map.of(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, notDigitThreshold));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--not-digit-threshold must be a finite number or "
                    + ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE + ", not '" + notDigitThreshold + "'");
        }
    }

    /** Reads at most one byte past the limit, so the preprocessor reports 'too-large' without loading a huge file. */
    private static byte[] readBounded(Path file, long maxBytes) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
    }
}

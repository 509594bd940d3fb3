package io.digitstream.cli;

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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Print the digit and confidence for each image file (PNG, JPEG, BMP, GIF of any size, or "
                + "784 raw bytes). Images are preprocessed as MNIST was made: ink made white on black, cropped, "
                + "scaled to 20x20 and centred by centre of mass in 28x28. Exit code 1 when any file could not be "
                + "classified.",
        footer = {"", "Examples:", "  ./digits classify seven.png scans/*.jpg", "  ./digits classify --model runs/<run>/model.onnx 3.png"})
final class ClassifyCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files to classify.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DigitPreprocessor preprocessor = new DigitPreprocessor();
        int failed = 0;
        try (OnnxDigitModel digitModel = OnnxDigitModel.load(model.file)) {
            for (Path image : images) {
                try {
                    byte[] bytes = readBounded(image, preprocessor.limits().maxBytes());
                    Prediction p = digitModel.predict(preprocessor.preprocess(bytes));
                    out.printf(Locale.ROOT, "%s\t%d\t%.4f%n", image, p.digit(), p.confidence());
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

    /** Reads at most one byte past the limit, so the preprocessor reports 'too-large' without loading a huge file. */
    private static byte[] readBounded(Path file, long maxBytes) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
    }
}

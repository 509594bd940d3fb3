package io.digitstream.cli;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.data.TrainValidationSplit;
import io.digitstream.trainer.evaluate.ModelEvaluation;
import io.digitstream.trainer.export.Int8Quantizer;
import io.digitstream.trainer.export.OnnxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description = "Write an int8 copy of a model: BatchNormalization folded into the layers, per-channel int8 "
                + "weights, uint8 activations scaled by their range over MNIST training digits (QDQ operators, which "
                + "ONNX Runtime fuses into integer kernels). The softmax and the not-a-digit score stay float32. "
                + "Prints the MNIST test accuracy of both models and writes the int8 model's test and validation "
                + "accuracy into its metadata. Use the --seed and --validation-size the model was trained with, so "
                + "that the validation digits are ones it never trained on.",
        footer = {"", "Examples:",
            "  ./digits quantize --out runs/int8/model.onnx     the shipped model again",
            "  ./digits quantize --model runs/<run>/model.onnx --out runs/<run>/model-int8.onnx --calibration-images 2000"})
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where the int8 model goes.")
    Path out;

    @Option(names = "--calibration-images", paramLabel = "N", defaultValue = "1000",
            description = "Training digits whose activations set the scales, spread evenly over the training part "
                    + "(default: ${DEFAULT-VALUE}).")
    int calibrationImages;

    @Mixin
    TrainingSplitOptions trainingSplit;

    @Option(names = "--model-version", paramLabel = "V",
            description = "The int8 model's version (default: the input's with the suffix -int8).")
    String modelVersion;

    @Mixin
    Float32ModelOption model;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        TrainValidationSplit split = trainingSplit.split(data);
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        MnistDataset calibration = evenlySpaced(split.train(), calibrationImages);
        byte[] original = Files.readAllBytes(model.file);
        System.out.println("quantizing " + model.file + " with " + calibration.size() + " calibration digits");
        byte[] quantized = Int8Quantizer.quantize(original, DigitArrays.from(calibration).pixels());

        int threads = Runtime.getRuntime().availableProcessors();
        String version;
        double validationAccuracy;
        double testAccuracy;
        try (OnnxDigitModel float32 = OnnxDigitModel.fromBytes(original, threads);
             OnnxDigitModel int8 = OnnxDigitModel.fromBytes(quantized, threads)) {
            version = modelVersion != null ? modelVersion : float32.metadata().modelVersion() + "-int8";
            ModelEvaluation before = ModelEvaluation.of(float32, test);
            ModelEvaluation after = ModelEvaluation.of(int8, test);
            int agree = 0;
            for (int i = 0; i < test.size(); i++) {
                agree += before.predictions()[i] == after.predictions()[i] ? 1 : 0;
            }
            testAccuracy = after.accuracy();
            validationAccuracy = ModelEvaluation.of(int8, split.validation()).accuracy();
            System.out.printf(Locale.ROOT, "MNIST test accuracy: float32 %.4f, int8 %.4f (%+.2f points); "
                            + "same digit on %d of %d images%n", before.accuracy(), testAccuracy,
                    100 * (testAccuracy - before.accuracy()), agree, test.size());
            System.out.printf(Locale.ROOT, "int8 validation accuracy %.4f on %d digits; self-check %d digits%n",
                    validationAccuracy, split.validation().size(), int8.selfCheck());
        }
        OnnxExporter.write(OnnxExporter.withProperties(quantized, Map.of(
                ModelMetadata.KEY_MODEL_VERSION, version,
                ModelMetadata.KEY_TEST_ACCURACY, Double.toString(testAccuracy),
                ModelMetadata.KEY_VALIDATION_ACCURACY, Double.toString(validationAccuracy))), out);
        System.out.println("wrote " + out + " (model version " + version + ")");
        return 0;
    }

    /** {@code count} images of {@code data} at even steps, so that calibration sees the whole set. */
    static MnistDataset evenlySpaced(MnistDataset data, int count) {
        if (count < 1 || count > data.size()) {
            throw new IllegalArgumentException("--calibration-images must be in [1, " + data.size() + "]: " + count);
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = (int) ((long) i * data.size() / count);
        }
        return data.select(indices);
    }
}

package io.digitstream.cli;

import io.digitstream.core.model.ModelMetadata;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.data.TrainValidationSplit;
import io.digitstream.trainer.export.OnnxExporter;
import io.digitstream.trainer.ood.NotDigitScoring;
import io.digitstream.trainer.ood.OodSeparation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        description = "Give an exported model its not-a-digit score and threshold, as train does after training: "
                + "fit the feature-distance score on MNIST's training digits, write it into the model's graph with the "
                + "threshold that rejects 0.5%% of the validation digits, and print how it and the logit scores "
                + "separate validation digits from held-out synthetic outliers. "
                + "Use the --seed and --validation-size the model was trained with, so the validation digits are "
                + "ones it never trained on.",
        footer = {"", "Examples:",
            "  ./digits calibrate --model runs/<run>/model.onnx --out runs/<run>/model-calibrated.onnx",
            "  ./digits calibrate --model old.onnx --seed 7 --model-version 2.0.1 --out new.onnx"})
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where the calibrated model goes.")
    Path out;

    @Mixin
    TrainingSplitOptions trainingSplit;

    @Option(names = "--model-version", paramLabel = "V",
            description = "A new version for the calibrated model (default: keep the input's).")
    String modelVersion;

    @Mixin
    Float32ModelOption model;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        TrainValidationSplit split = trainingSplit.split(data);
        System.out.println("calibrating " + model.file + " on " + split.train().size() + " training and "
                + split.validation().size() + " validation digits");
        NotDigitScoring scoring = NotDigitScoring.of(Files.readAllBytes(model.file), DigitArrays.from(split.train()),
                DigitArrays.from(split.validation()), trainingSplit.seed);
        for (OodSeparation s : scoring.calibration().separations()) {
            System.out.printf(Locale.ROOT, "  %-9s AUROC %.4f, threshold %.4f rejects %.2f%% of validation digits, "
                            + "%.2f%% of held-out synthetic outliers%s%n", s.score().id(), s.auroc(), s.threshold(),
                    100 * s.digitsRejected(), 100 * s.outliersRejected(),
                    s.score() == scoring.calibration().score() ? " (chosen)" : "");
        }
        byte[] calibrated = modelVersion == null ? scoring.model()
                : OnnxExporter.withProperties(scoring.model(), Map.of(ModelMetadata.KEY_MODEL_VERSION, modelVersion));
        OnnxExporter.write(calibrated, out);
        System.out.println("wrote " + out);
        return 0;
    }
}

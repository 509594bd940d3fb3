package io.digitstream.cli;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.evaluate.ModelEvaluation;
import io.digitstream.trainer.robustness.RobustnessBenchmark;
import io.digitstream.trainer.robustness.RobustnessReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Print the MNIST test accuracy, the confusion matrix and the classification report of a model. "
                + "With --robustness, run the robustness benchmark instead: MNIST-C corruptions and scan-like "
                + "transforms of the test set, digits in foreign handwriting fonts, and not-a-digit (Fashion-MNIST); "
                + "writes robustness.json, robustness.md and robustness-examples.png.",
        footer = {"", "Examples:", "  ./digits evaluate", "  ./digits evaluate --model runs/<run>/model.onnx",
            "  ./digits evaluate --robustness                  the full benchmark, a few minutes on 2 cores",
            "  ./digits evaluate --robustness --limit 500      a quick look"})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--robustness", description = "Run the robustness benchmark instead of the plain evaluation.")
    boolean robustness;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Robustness: where the report goes (default: runs/<time>-robustness).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Robustness: test images (MNIST and Fashion-MNIST) to use, 0 for all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--scan-limit", paramLabel = "N", defaultValue = "" + RobustnessBenchmark.DEFAULT_SCAN_LIMIT,
            description = "Robustness: test images for the scan-like transforms, which encode and decode every image; "
                    + "0 for as many as --limit (default: ${DEFAULT-VALUE}).")
    int scanLimit;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Robustness: reject as not a digit above this score instead of the model's ood.threshold.")
    Double threshold;

    @Option(names = "--fashion-dir", paramLabel = "DIR",
            description = "Robustness: Fashion-MNIST directory (default: ${DEFAULT-VALUE}, Debian's dataset-fashion-mnist).")
    Path fashionDir = RobustnessBenchmark.DEFAULT_FASHION_DIRECTORY;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        if (robustness) {
            return robustness(test);
        }
        try (OnnxDigitModel digitModel = OnnxDigitModel.load(model.file, Runtime.getRuntime().availableProcessors())) {
            ModelMetadata meta = digitModel.metadata();
            System.out.printf(Locale.ROOT, "model %s%n  version %s, sha256 %s%n", model.file, meta.modelVersion(), digitModel.sha256());
            ModelEvaluation evaluation = ModelEvaluation.of(digitModel, test);
            System.out.printf(Locale.ROOT, "test accuracy %.4f (%d of %d images, %.0f images/s)%n%n",
                    evaluation.accuracy(), evaluation.confusionMatrix().correct(), test.size(), test.size() / evaluation.seconds());
            System.out.println("confusion matrix (rows: true digit, columns: predicted)");
            System.out.println(evaluation.confusionMatrix().toText());
            System.out.println(evaluation.classificationReport().toText());
        }
        return 0;
    }

    private int robustness(MnistDataset test) throws IOException {
        Path directory = out != null ? out : ProjectPaths.runsDirectory().resolve(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)) + "-robustness");
        RobustnessBenchmark.Settings settings = RobustnessBenchmark.Settings.defaults().withLimit(limit)
                .withScanLimit(scanLimit).withThreshold(threshold).withFashionDirectory(fashionDir);
        System.out.println("robustness benchmark of " + model.file);
        RobustnessBenchmark.Outcome outcome = new RobustnessBenchmark(System.out::println).run(model.file, test, settings);
        System.out.println();
        System.out.print(RobustnessReportWriter.text(outcome.report()));
        for (Path written : RobustnessReportWriter.write(outcome, directory)) {
            System.out.println("wrote " + written);
        }
        return 0;
    }
}

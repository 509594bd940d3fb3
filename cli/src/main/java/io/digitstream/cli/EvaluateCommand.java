package io.digitstream.cli;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.evaluate.ModelEvaluation;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Print the MNIST test accuracy, the confusion matrix and the classification report of a model.",
        footer = {"", "Examples:", "  ./digits evaluate", "  ./digits evaluate --model runs/<run>/model.onnx"})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
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
}

package io.digitstream.trainer;

import io.digitstream.contract.ClassificationReport;
import io.digitstream.trainer.evaluate.NotDigitBenchmark;
import io.digitstream.trainer.export.OnnxAgreementCheck;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.ood.OodCalibration;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link TrainingPipeline} run produced and measured; tests assert on it, the CLI prints it.
 *
 * @param ood     the not-a-digit score and threshold chosen on validation digits and held-out synthetic outliers
 * @param fashion the exported model against Fashion-MNIST's test images, null when they are not installed
 */
public record TrainingOutcome(
        Hyperparameters hyperparameters,
        int epochs,
        double validationAccuracy,
        double testAccuracy,
        ClassificationReport classificationReport,
        OnnxAgreementCheck.Result agreement,
        Path model,
        Path reportDirectory,
        Map<String, Double> timingsSeconds,
        OodCalibration ood,
        NotDigitBenchmark fashion) {
}

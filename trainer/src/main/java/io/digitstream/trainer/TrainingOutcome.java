package io.digitstream.trainer;

import io.digitstream.contract.ClassificationReport;
import io.digitstream.trainer.export.OnnxAgreementCheck;
import io.digitstream.trainer.model.Hyperparameters;
import java.nio.file.Path;
import java.util.Map;

/** What a {@link TrainingPipeline} run produced and measured; tests assert on it, the CLI prints it. */
public record TrainingOutcome(
        Hyperparameters hyperparameters,
        int epochs,
        double validationAccuracy,
        double testAccuracy,
        ClassificationReport classificationReport,
        OnnxAgreementCheck.Result agreement,
        Path model,
        Path reportDirectory,
        Map<String, Double> timingsSeconds) {
}

package io.digitstream.trainer;

import io.digitstream.trainer.baseline.BaselineSettings;
import io.digitstream.trainer.search.SearchStrategy;
import io.digitstream.trainer.train.OutlierExposure;
import io.digitstream.trainer.train.TrainingRecipe;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link TrainingPipeline} run does.
 *
 * @param recipe          epochs, batch size, augmentation, and the hyperparameters used when no search runs
 * @param epochs          epochs of the final training, or 0 for the recipe's
 * @param search          the hyperparameter search whose best trial is trained, or null to use the recipe's
 * @param searchSubset    training images each search trial uses (0 = all): trials rank configurations, the final
 *                        model still trains on the whole training split
 * @param baselines       names of {@link io.digitstream.trainer.baseline.BaselineSuite} models to compare, maybe none
 * @param validationSize  images held out of the training set for validation
 * @param outputDirectory where {@code model.onnx} and {@code report/} go
 * @param outlierExposure synthetic non-digits in every batch, {@link OutlierExposure#NONE} for none
 * @param scanDamage      share of training digits damaged like scans every epoch, 0 for none
 */
public record TrainingRequest(
        TrainingRecipe recipe,
        int epochs,
        SearchStrategy search,
        int searchSubset,
        List<String> baselines,
        BaselineSettings baselineSettings,
        int validationSize,
        long seed,
        Path outputDirectory,
        String modelVersion,
        boolean showProgress,
        OutlierExposure outlierExposure,
        double scanDamage) {

    public static final int DEFAULT_VALIDATION_SIZE = 5_000;

    public TrainingRequest {
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(outlierExposure, "outlierExposure");
        baselines = List.copyOf(baselines);
        if (epochs < 0 || searchSubset < 0 || validationSize < 1) {
            throw new IllegalArgumentException("epochs and searchSubset must be >= 0, validationSize >= 1");
        }
    }

    /** Without outlier exposure. */
    public TrainingRequest(TrainingRecipe recipe, int epochs, SearchStrategy search, int searchSubset,
                           List<String> baselines, BaselineSettings baselineSettings, int validationSize, long seed,
                           Path outputDirectory, String modelVersion, boolean showProgress) {
        this(recipe, epochs, search, searchSubset, baselines, baselineSettings, validationSize, seed, outputDirectory,
                modelVersion, showProgress, OutlierExposure.NONE, 0);
    }
}

package io.digitstream.cli;

import io.digitstream.trainer.TrainingOutcome;
import io.digitstream.trainer.TrainingPipeline;
import io.digitstream.trainer.TrainingRequest;
import io.digitstream.trainer.baseline.BaselineSettings;
import io.digitstream.trainer.baseline.BaselineSuite;
import io.digitstream.trainer.search.RandomSearch;
import io.digitstream.trainer.search.SearchSpace;
import io.digitstream.trainer.search.SearchStrategy;
import io.digitstream.trainer.search.SuccessiveHalving;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.trainer.train.OutlierExposure;
import io.digitstream.trainer.train.OutlierLoss;
import io.digitstream.trainer.train.TrainingRecipe;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Train the CNN on MNIST (DJL, PyTorch engine, CPU), evaluate it once on the test set, "
                + "export ONNX, check that ONNX Runtime agrees with DJL, and write an HTML report with plots and "
                + "metrics.json. Fetches MNIST first when the data cache is incomplete.",
        footer = {
            "",
            "Examples:",
            "  ./digits train --quick       >= 99.0%% test accuracy in minutes on 2 cores",
            "  ./digits train --recipe lite  the recipe of the shipped model (16 filters, fast to serve)",
            "  ./digits train               the full recipe (32 filters, the same accuracy, slower to serve)",
            "  ./digits train --search halving --search-subset 20000",
            "  ./digits train --quick --baselines knn,random-forest,linear-svm",
            "  ./digits train --recipe lite --outlier-exposure   also learn to flatten the softmax on synthetic non-digits",
            "Outputs go to runs/<time>-<recipe>/: model.onnx and report/index.html."
        })
final class TrainCommand implements Callable<Integer> {

    enum Search { none, random, halving }

    @Option(names = "--quick", description = "Use the quick recipe (few epochs, no augmentation); same as --recipe quick.")
    boolean quick;

    @Option(names = "--recipe", paramLabel = "NAME", defaultValue = "full",
            description = "quick, full, or lite (the full recipe with half the filters: faster to serve) "
                    + "(default: ${DEFAULT-VALUE}).")
    String recipeName;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the recipe's number of epochs.")
    int epochs;

    @Option(names = "--search", paramLabel = "STRATEGY", defaultValue = "none",
            description = "Hyperparameter search before the final training: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Search search;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "27",
            description = "Random search: trials; successive halving: configurations in the first rung (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--search-epochs", paramLabel = "N", defaultValue = "1",
            description = "Epochs per random-search trial; first-rung epochs for successive halving (default: ${DEFAULT-VALUE}).")
    int searchEpochs;

    @Option(names = "--search-max-epochs", paramLabel = "N", defaultValue = "9",
            description = "Successive halving: epochs of the last rung (default: ${DEFAULT-VALUE}).")
    int searchMaxEpochs;

    @Option(names = "--search-subset", paramLabel = "N", defaultValue = "0",
            description = "Training images per search trial, 0 for all (default: ${DEFAULT-VALUE}).")
    int searchSubset;

    @Option(names = "--baselines", paramLabel = "NAMES", split = ",",
            description = "Classical models to compare on the same split: knn, random-forest, linear-svm.")
    List<String> baselines = List.of();

    @Option(names = "--knn-train-limit", paramLabel = "N", defaultValue = "0",
            description = "Training images k-NN keeps, 0 for all (k-NN on all 60k is slow) (default: ${DEFAULT-VALUE}).")
    int knnTrainLimit;

    @Option(names = "--forest-trees", paramLabel = "N", defaultValue = "30",
            description = "Trees in the random-forest baseline (~9 s each on 60k images, 2 cores) (default: ${DEFAULT-VALUE}).")
    int forestTrees;

    @Option(names = "--outlier-exposure",
            description = "Mix synthetic non-digits (noise, scribbles, shapes, letters from training fonts, cut and "
                    + "overlaid digits) into every batch and train the network to be unsure about them: a sharper "
                    + "not-a-digit score. Every run chooses the score and threshold the model ships with.")
    boolean outlierExposure;

    @Option(names = "--digits-per-outlier", paramLabel = "N", defaultValue = "4",
            description = "With --outlier-exposure: digits per outlier in a batch (default: ${DEFAULT-VALUE}).")
    int digitsPerOutlier;

    @Option(names = "--outlier-weight", paramLabel = "W", defaultValue = "0.5",
            description = "With --outlier-exposure: weight of the outlier loss (default: ${DEFAULT-VALUE}).")
    double outlierWeight;

    @Option(names = "--outlier-loss", paramLabel = "LOSS", defaultValue = "uniform",
            description = "With --outlier-exposure: uniform (cross-entropy to the uniform distribution) or energy "
                    + "(energy margins) (default: ${DEFAULT-VALUE}).")
    String outlierLoss;

    @Option(names = "--scan-damage", paramLabel = "SHARE", defaultValue = "0",
            description = "Share of the training digits damaged anew every epoch as scans are (grey paper, faded ink, "
                    + "fog, noise, blur, thick and thin strokes, low resolution, bands, lines, outlines, spots), "
                    + "keeping their labels; 0 for none (default: ${DEFAULT-VALUE}).")
    double scanDamage;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed for everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<time>-<recipe>).")
    Path out;

    @Option(names = "--model-version", paramLabel = "V", description = "Version written into the model (default: <time>-<recipe>).")
    String modelVersion;

    @Option(names = "--no-progress", description = "No progress bars (for logs and CI).")
    boolean noProgress;

    @Mixin
    DataOptions data;

    private static TrainingRecipe recipe(String name) {
        for (TrainingRecipe r : TrainingRecipe.values()) {
            if (r.name().equalsIgnoreCase(name.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "', choose from quick, full, lite");
    }

    @Override
    public Integer call() throws Exception {
        for (String name : baselines) {
            if (!BaselineSuite.NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown baseline '" + name + "', choose from " + BaselineSuite.NAMES);
            }
        }
        TrainingRecipe recipe = quick ? TrainingRecipe.QUICK : recipe(recipeName);
        String runName = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC))
                + "-" + recipe.name().toLowerCase(Locale.ROOT);
        TrainingRequest request = new TrainingRequest(recipe, epochs, searchStrategy(), searchSubset, baselines,
                BaselineSettings.defaults().withSeed(seed).withKnnTrainingLimit(knnTrainLimit).withForestTrees(forestTrees),
                TrainingRequest.DEFAULT_VALIDATION_SIZE, seed,
                out != null ? out : ProjectPaths.runsDirectory().resolve(runName),
                modelVersion != null ? modelVersion : runName, !noProgress, outlierExposure(), scanDamage);

        TrainingOutcome outcome = new TrainingPipeline(System.out::println).run(request, data.fetchedCache());

        System.out.println();
        System.out.println(outcome.classificationReport().toText());
        System.out.printf(Locale.ROOT, "hyperparameters      %s, %d epochs%n", outcome.hyperparameters(), outcome.epochs());
        System.out.printf(Locale.ROOT, "validation accuracy  %.4f%n", outcome.validationAccuracy());
        System.out.printf(Locale.ROOT, "test accuracy        %.4f%n", outcome.testAccuracy());
        System.out.printf(Locale.ROOT, "ONNX/DJL agreement   %.4f%% (%d images)%n", 100 * outcome.agreement().agreement(),
                outcome.agreement().images());
        for (Map.Entry<String, Double> t : outcome.timingsSeconds().entrySet()) {
            System.out.printf(Locale.ROOT, "time: %-22s %.1f s%n", t.getKey(), t.getValue());
        }
        System.out.printf(Locale.ROOT, "not-a-digit score    %s > %s (%.2f%% of validation digits rejected)%n",
                outcome.ood().score(), outcome.ood().metadata().get(ModelMetadata.KEY_OOD_THRESHOLD),
                100 * outcome.ood().chosen().digitsRejected());
        if (outcome.fashion() != null) {
            System.out.println("not-a-digit benchmark " + outcome.fashion().summary());
        }
        System.out.println("model   " + outcome.model());
        System.out.println("report  " + outcome.reportDirectory().resolve("index.html"));
        return 0;
    }

    private OutlierExposure outlierExposure() {
        if (!outlierExposure) {
            return OutlierExposure.NONE;
        }
        OutlierLoss loss = switch (outlierLoss.strip().toLowerCase(Locale.ROOT)) {
            case "uniform" -> OutlierLoss.UNIFORM_CROSS_ENTROPY;
            case "energy" -> OutlierLoss.ENERGY_MARGIN;
            default -> throw new IllegalArgumentException("unknown outlier loss '" + outlierLoss
                    + "', choose uniform or energy");
        };
        return new OutlierExposure(digitsPerOutlier, outlierWeight, loss);
    }

    private SearchStrategy searchStrategy() {
        SearchSpace space = SearchSpace.study();
        return switch (search) {
            case none -> null;
            case random -> new RandomSearch(space, trials, searchEpochs, seed);
            case halving -> new SuccessiveHalving(space, trials, searchEpochs, searchMaxEpochs, 3, seed);
        };
    }
}

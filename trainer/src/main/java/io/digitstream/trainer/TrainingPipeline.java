package io.digitstream.trainer;

import io.digitstream.contract.ClassificationReport;
import io.digitstream.core.Sha256;
import io.digitstream.core.mnist.MnistDataCache;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistFile;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.baseline.BaselineResult;
import io.digitstream.trainer.baseline.BaselineSuite;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.data.TrainValidationSplit;
import io.digitstream.trainer.evaluate.NotDigitBenchmark;
import io.digitstream.trainer.export.CheckDigitPicker;
import io.digitstream.trainer.export.OnnxAgreementCheck;
import io.digitstream.trainer.export.OnnxExporter;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.ood.NotDigitScoring;
import io.digitstream.trainer.ood.OodCalibration;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.trainer.ood.OodSeparation;
import io.digitstream.trainer.report.ModelInfo;
import io.digitstream.trainer.report.ReportData;
import io.digitstream.trainer.report.ReportWriter;
import io.digitstream.trainer.search.SearchResult;
import io.digitstream.trainer.search.TrialOutcome;
import io.digitstream.trainer.search.TrialRunner;
import io.digitstream.trainer.train.DigitTrainer;
import io.digitstream.trainer.train.TrainingOptions;
import io.digitstream.trainer.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The batch job: split, optionally search, train, evaluate on the test set once, choose the not-a-digit score and
 * threshold on the validation digits and held-out synthetic outliers, export ONNX, check that ONNX Runtime agrees with
 * DJL, measure the exported model against Fashion-MNIST where it is installed, compare baselines, write the report.
 */
public final class TrainingPipeline {

    public static final String MODEL_FILE = "model.onnx";
    public static final String REPORT_DIRECTORY = "report";

    private final Consumer<String> log;

    public TrainingPipeline(Consumer<String> log) {
        this.log = log;
    }

    /** Trains on the cached MNIST training set and reports on its test set. */
    public TrainingOutcome run(TrainingRequest request, MnistDataCache cache) throws IOException {
        MnistDataset train = cache.load(MnistSplit.TRAIN);
        MnistDataset test = cache.load(MnistSplit.TEST);
        Map<String, String> checksums = new LinkedHashMap<>();
        for (MnistFile file : List.of(MnistSplit.TRAIN.images(), MnistSplit.TRAIN.labels())) {
            checksums.put(file.fileName(), Sha256.of(cache.path(file)));
        }
        return run(request, train, test, checksums);
    }

    /** Trains on {@code trainingSet} (split into train and validation) and reports on {@code test}. */
    public TrainingOutcome run(TrainingRequest request, MnistDataset trainingSet, MnistDataset test,
                               Map<String, String> trainingDataSha256) throws IOException {
        Map<String, Double> timings = new LinkedHashMap<>();
        TrainValidationSplit split = TrainValidationSplit.stratified(trainingSet, request.validationSize(), request.seed());
        log.accept(String.format(Locale.ROOT, "data: %d training, %d validation, %d test images",
                split.train().size(), split.validation().size(), test.size()));
        TrainingOptions options = request.recipe().options(request.seed(), request.showProgress());
        if (request.epochs() > 0) {
            options = options.withEpochs(request.epochs());
        }
        options = options.withOutlierExposure(request.outlierExposure()).withScanDamage(request.scanDamage());

        SearchResult search = null;
        Hyperparameters hp = request.recipe().hyperparameters();
        if (request.search() != null) {
            long start = System.nanoTime();
            search = search(request, split, options);
            hp = search.best().hyperparameters();
            timings.put("search", seconds(start));
            log.accept("search: best " + hp + String.format(Locale.ROOT, " (validation accuracy %.4f)",
                    search.best().validationAccuracy()));
        }

        Files.createDirectories(request.outputDirectory());
        Path modelFile = request.outputDirectory().resolve(MODEL_FILE);
        long trainStart = System.nanoTime();
        log.accept("training " + hp + " for " + options.epochs() + " epochs");
        try (TrainingResult trained = new DigitTrainer(options).optEpochListener(e -> log.accept(String.format(Locale.ROOT,
                "  epoch %d: train acc %.4f loss %.4f, validation acc %.4f loss %.4f, %.1f s",
                e.epoch(), e.trainAccuracy(), e.trainLoss(), e.validationAccuracy(), e.validationLoss(), e.seconds())))
                .train(hp, split.train(), split.validation())) {
            timings.put("training", seconds(trainStart));

            long evalStart = System.nanoTime();
            float[][] testProbabilities = trained.predict(test);
            double validationAccuracy = trained.lastEpoch().validationAccuracy();
            timings.put("test evaluation", seconds(evalStart));

            long exportStart = System.nanoTime();
            ReportData partial = reportData(request, hp, trained, search, test, testProbabilities, List.of(), timings, null,
                    Map.of());
            ModelMetadata metadata = new ModelMetadata(request.modelVersion(), trained.settings(), validationAccuracy,
                    partial.testAccuracy(), OnnxDigitModel.INPUT_SPEC, ModelMetadata.MNIST_PREPROCESSING,
                    trainingDataSha256, Instant.now(), CheckDigitPicker.mostConfident(test, testProbabilities));
            byte[] exported = OnnxExporter.toBytes(trained, metadata);
            timings.put("export", seconds(exportStart));

            long calibrationStart = System.nanoTime();
            NotDigitScoring scoring = NotDigitScoring.of(exported, DigitArrays.from(split.train()),
                    DigitArrays.from(split.validation()), request.seed());
            OodCalibration ood = scoring.calibration();
            timings.put("not-a-digit score and threshold", seconds(calibrationStart));
            logSeparations(ood);

            long checkStart = System.nanoTime();
            OnnxExporter.write(scoring.model(), modelFile);
            OnnxAgreementCheck.Result agreement = OnnxAgreementCheck.verify(modelFile, trained, test);
            timings.put("ONNX check", seconds(checkStart));
            log.accept(String.format(Locale.ROOT, "exported %s; ONNX Runtime agrees with DJL on %.4f%% of %d test images "
                            + "(logits within %.1e)", modelFile, 100 * agreement.agreement(), agreement.images(),
                    agreement.maxLogitDifference()));

            NotDigitBenchmark fashion = null;
            Optional<float[]> fashionImages = NotDigitBenchmark.fashionTestImages();
            if (fashionImages.isPresent()) {
                long start = System.nanoTime();
                fashion = NotDigitBenchmark.run(modelFile, DigitArrays.from(test).pixels(), NotDigitBenchmark.FASHION_TEST,
                        fashionImages.get());
                timings.put("Fashion-MNIST benchmark", seconds(start));
                log.accept("not-a-digit benchmark: " + fashion.summary());
            } else {
                log.accept("not-a-digit benchmark skipped: no " + NotDigitBenchmark.FASHION_TEST_IMAGES
                        + " (Debian package dataset-fashion-mnist)");
            }
            Map<String, String> oodNotes = oodNotes(ood, fashion);

            List<BaselineResult> baselines = List.of();
            if (!request.baselines().isEmpty()) {
                long start = System.nanoTime();
                baselines = new BaselineSuite(request.baselineSettings(), log)
                        .run(request.baselines(), trainingSet, test);
                timings.put("baselines", seconds(start));
            }

            Path reportDirectory = request.outputDirectory().resolve(REPORT_DIRECTORY);
            ReportData data = reportData(request, hp, trained, search, test, testProbabilities, baselines, timings,
                    ModelInfo.of(modelFile), oodNotes);
            ReportWriter.write(data, reportDirectory);
            return new TrainingOutcome(hp, options.epochs(), validationAccuracy, data.testAccuracy(),
                    ClassificationReport.from(data.confusionMatrix()), agreement, modelFile, reportDirectory,
                    Map.copyOf(timings), ood, fashion);
        }
    }

    private void logSeparations(OodCalibration ood) {
        for (OodSeparation s : ood.separations()) {
            log.accept(String.format(Locale.ROOT, "not-a-digit score %-9s: AUROC %.4f validation digits vs held-out "
                            + "synthetic outliers; threshold %.4f rejects %.2f%% of digits, %.2f%% of outliers%s",
                    s.score(), s.auroc(), s.threshold(), 100 * s.digitsRejected(), 100 * s.outliersRejected(),
                    s.score() == ood.score() ? " (chosen)" : ""));
        }
    }

    private static Map<String, String> oodNotes(OodCalibration ood, NotDigitBenchmark fashion) {
        Map<String, String> notes = new LinkedHashMap<>();
        OodSeparation chosen = ood.chosen();
        notes.put("not-a-digit score", String.format(Locale.ROOT, "%s > %s (rejects %.2f%% of validation digits, "
                        + "%.2f%% of held-out synthetic outliers; AUROC %.4f)", ood.score(), ood.metadata().get(
                        ModelMetadata.KEY_OOD_THRESHOLD), 100 * chosen.digitsRejected(), 100 * chosen.outliersRejected(),
                chosen.auroc()));
        if (fashion != null) {
            notes.put("not-a-digit benchmark", fashion.summary());
        }
        return notes;
    }

    private SearchResult search(TrainingRequest request, TrainValidationSplit split, TrainingOptions options) {
        MnistDataset trialTrain = request.searchSubset() > 0 ? split.train().head(request.searchSubset()) : split.train();
        log.accept("search: " + request.search().description() + ", " + request.search().plannedTrials()
                + " trials on " + trialTrain.size() + " training images");
        TrialRunner runner = (hp, epochs) -> {
            try (TrainingResult result = new DigitTrainer(options.withEpochs(epochs).withProgress(false))
                    .train(hp, trialTrain, split.validation())) {
                return new TrialOutcome(result.lastEpoch().validationAccuracy(), result.totalSeconds());
            }
        };
        return request.search().run(runner, trial -> log.accept(String.format(Locale.ROOT,
                "  trial %d/%d: %s, %d epochs -> validation accuracy %.4f (%.0f s)", trial.id(),
                request.search().plannedTrials(), trial.hyperparameters(), trial.epochs(), trial.validationAccuracy(),
                trial.seconds())));
    }

    private static ReportData reportData(TrainingRequest request, Hyperparameters hp, TrainingResult trained,
                                         SearchResult search, MnistDataset test, float[][] testProbabilities,
                                         List<BaselineResult> baselines, Map<String, Double> timings, ModelInfo model,
                                         Map<String, String> extraNotes) {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("model version", request.modelVersion());
        notes.put("recipe", request.recipe().name().toLowerCase(Locale.ROOT));
        notes.put("seed", Long.toString(request.seed()));
        notes.putAll(trained.settings());
        notes.putAll(extraNotes);
        notes.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version"));
        return new ReportData("digit-stream model report: " + request.modelVersion(), hp, trained.epochs(), search,
                test, testProbabilities, trained.lastEpoch().validationAccuracy(), baselines, timings, model, notes);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

package io.digitstream.trainer.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.trainer.data.BatchPlan;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.data.RandomAffineAugmenter;
import io.digitstream.trainer.model.DigitCnn;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.ood.SyntheticOutliers;
import io.digitstream.trainer.ood.TrainingFonts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one {@link DigitCnn} with DJL's PyTorch engine on the CPU: Adam under a warm-up + cosine learning-rate
 * schedule, softmax cross-entropy, optional random affine augmentation drawn anew every epoch, optional outlier
 * exposure (synthetic non-digits drawn anew every epoch, see {@link OutlierExposure}), and a validation pass after every
 * epoch. The seed fixes weight init, dropout, shuffling, augmentation and outliers.
 */
public final class DigitTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DigitTrainer.class);
    /** Share of all updates spent warming up; enough to tame Adam's first steps without wasting short runs. */
    private static final double WARMUP_FRACTION = 0.05;
    private static final float FINAL_LEARNING_RATE_FRACTION = 0.01f;

    private final TrainingOptions options;
    private Consumer<EpochMetrics> epochListener = metrics -> { };
    private TrainingFonts fonts;

    public DigitTrainer(TrainingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Called after every epoch's validation, on the training thread. */
    public DigitTrainer optEpochListener(Consumer<EpochMetrics> listener) {
        this.epochListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The fonts outliers' glyphs come from; by default the {@linkplain TrainingFonts#installed() installed} ones. */
    public DigitTrainer optFonts(TrainingFonts trainingFonts) {
        this.fonts = Objects.requireNonNull(trainingFonts, "trainingFonts");
        return this;
    }

    /**
     * Trains on {@code train} and validates on {@code validation} (which may be empty: its metrics are then NaN).
     * The caller owns the returned result and must close it.
     */
    public TrainingResult train(Hyperparameters hp, MnistDataset train, MnistDataset validation) {
        long start = System.nanoTime();
        Engine.getEngine("PyTorch").setRandomSeed(Long.hashCode(options.seed()));
        DigitCnn cnn = DigitCnn.of(hp);
        DigitArrays trainData = DigitArrays.from(train);
        DigitArrays validationData = DigitArrays.from(validation);
        int batchesPerEpoch = BatchPlan.shuffled(trainData.size(), options.batchSize(), 0).size();
        int totalUpdates = batchesPerEpoch * options.epochs();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule((float) hp.learningRate(),
                (int) Math.ceil(totalUpdates * WARMUP_FRACTION), totalUpdates, FINAL_LEARNING_RATE_FRACTION);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Adam.builder().optLearningRateTracker(schedule).build())
                .optDevices(new Device[] {Device.cpu()});
        RandomAffineAugmenter augmenter = new RandomAffineAugmenter(options.augmentation(), options.seed());
        SyntheticOutliers outliers = options.outlierExposure().isNone() ? null
                : new SyntheticOutliers(trainData, fonts != null ? fonts : TrainingFonts.installed());

        Model model = Model.newInstance("digit-cnn", Device.cpu(), "PyTorch");
        try {
            model.setBlock(cnn.newBlock());
            List<EpochMetrics> history = new ArrayList<>();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(options.batchSize(), DigitShape.PIXELS));
                for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    DigitArrays epochData = options.augmentation().isNone() ? trainData
                            : trainData.withPixels(augmenter.augment(trainData.pixels(), trainData.size(), epoch));
                    Inference.Scores trainScores = trainOneEpoch(trainer, epochData, outliers, epoch);
                    Inference.Scores validationScores = Inference.scores(
                            Inference.logProbabilities(model.getBlock(), model.getNDManager(), validationData),
                            validationData);
                    EpochMetrics metrics = new EpochMetrics(epoch, trainScores.loss(), trainScores.accuracy(),
                            validationScores.loss(), validationScores.accuracy(),
                            schedule.getNewValue(epoch * batchesPerEpoch),
                            (System.nanoTime() - epochStart) / 1e9);
                    history.add(metrics);
                    LOG.info(String.format(Locale.ROOT,
                            "epoch %d/%d: train loss %.4f acc %.4f, validation loss %.4f acc %.4f, lr %.2e, %.1f s",
                            epoch, options.epochs(), metrics.trainLoss(), metrics.trainAccuracy(),
                            metrics.validationLoss(), metrics.validationAccuracy(), metrics.learningRate(),
                            metrics.seconds()));
                    epochListener.accept(metrics);
                }
            }
            return new TrainingResult(hp, cnn, options, history, (System.nanoTime() - start) / 1e9, model);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /**
     * One pass in shuffled full batches; returns the digits' mean cross-entropy and accuracy (dropout and augmentation
     * on). With outlier exposure each batch carries its outliers after its digits, so batch norm sees both.
     */
    private Inference.Scores trainOneEpoch(Trainer trainer, DigitArrays data, SyntheticOutliers outliers, int epoch) {
        List<int[]> batches = BatchPlan.shuffled(data.size(), options.batchSize(), options.seed() * 1_000_003L + epoch);
        OutlierExposure exposure = options.outlierExposure();
        int perBatch = exposure.outliersPerBatch(options.batchSize());
        float[] epochOutliers = outliers == null ? null
                : outliers.generate(batches.size() * perBatch, options.seed() * 0x9E3779B97F4A7C15L + 31L * epoch + 7);
        double lossSum = 0;
        double outlierLossSum = 0;
        long correct = 0;
        long seen = 0;
        try (ProgressBar bar = options.showProgress() ? progressBar(epoch, batches.size()) : null) {
            for (int b = 0; b < batches.size(); b++) {
                int[] batch = batches.get(b);
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    NDArray labels = data.labels(manager, batch);
                    NDArray pixels = data.pixels(manager, batch);
                    if (epochOutliers != null) {
                        int from = b * perBatch * DigitShape.PIXELS;
                        pixels = pixels.concat(manager.create(Arrays.copyOfRange(epochOutliers, from,
                                from + perBatch * DigitShape.PIXELS), new Shape(perBatch, DigitShape.PIXELS)));
                    }
                    NDArray logits;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray all = trainer.forward(new NDList(pixels)).singletonOrThrow();
                        logits = epochOutliers == null ? all : all.get(new NDIndex("0:{}", batch.length));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                        lossSum += loss.getFloat() * batch.length;
                        if (epochOutliers != null) {
                            NDArray outlierLoss = exposure.loss().evaluate(all.get(new NDIndex("{}:", batch.length)), logits);
                            outlierLossSum += outlierLoss.getFloat() * batch.length;
                            loss = loss.add(outlierLoss.mul((float) exposure.weight()));
                        }
                        collector.backward(loss);
                    }
                    trainer.step();
                    correct += logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels).sum().getLong();
                }
                seen += batch.length;
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossSum / seen));
                }
            }
        }
        if (epochOutliers != null) {
            LOG.info(String.format(Locale.ROOT, "epoch %d: outlier loss %.4f (%s)", epoch, outlierLossSum / seen,
                    exposure));
        }
        return new Inference.Scores(lossSum / seen, (double) correct / seen);
    }

    private ProgressBar progressBar(int epoch, int batches) {
        return new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, options.epochs()))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .build();
    }
}

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
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.trainer.data.BatchPlan;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.data.RandomAffineAugmenter;
import io.digitstream.trainer.data.ScanDamageAugmenter;
import io.digitstream.trainer.model.DigitCnn;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.ood.SyntheticOutliers;
import io.digitstream.trainer.ood.TrainingFonts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    /** Batch norm's running statistics move 10% per batch: after 50 batches 0.5% of the old ones remain. */
    private static final int BATCH_NORM_REESTIMATION_BATCHES = 50;

    private final TrainingOptions options;
    private Consumer<EpochMetrics> epochListener = metrics -> { };
    private TrainingFonts fonts;
    private Map<SyntheticOutliers.Kind, Double> outlierMix = SyntheticOutliers.DEFAULT_MIX;

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

    /** The kinds of outliers and their shares; by default {@link SyntheticOutliers#DEFAULT_MIX}. */
    public DigitTrainer optOutlierMix(Map<SyntheticOutliers.Kind, Double> mix) {
        this.outlierMix = Map.copyOf(mix);
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
        RandomAffineAugmenter augmenter = options.augmentation().isNone() ? null
                : new RandomAffineAugmenter(options.augmentation(), options.seed());
        SyntheticOutliers outliers = options.outlierExposure().isNone() ? null
                : new SyntheticOutliers(trainData, fonts != null ? fonts : TrainingFonts.installed(), outlierMix);
        int outliersPerBatch = options.outlierExposure().outliersPerBatch(options.batchSize());
        ScanDamageAugmenter damager = options.scanDamage() > 0
                ? new ScanDamageAugmenter(options.scanDamage(), options.seed()) : null;

        Model model = Model.newInstance("digit-cnn", Device.cpu(), "PyTorch");
        try {
            model.setBlock(cnn.newBlock());
            List<EpochMetrics> history = new ArrayList<>();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(options.batchSize(), DigitShape.PIXELS));
                for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    DigitArrays epochData = epochDigits(trainData, augmenter, damager, epoch);
                    List<int[]> batches = BatchPlan.shuffled(trainData.size(), options.batchSize(),
                            options.seed() * 1_000_003L + epoch);
                    float[] epochOutliers = outliers == null ? null : outliers.generate(
                            batches.size() * outliersPerBatch, options.seed() * 0x9E3779B97F4A7C15L + 31L * epoch + 7);
                    Inference.Scores trainScores = trainOneEpoch(trainer, epochData, batches, epochOutliers, epoch);
                    if (epochOutliers != null && !options.augmentation().isNone()) {
                        reestimateBatchNorm(trainer, epochDigits(trainData, null, damager, epoch), batches,
                                epochOutliers);
                    }
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
     * One pass over {@code batches}; returns the digits' mean cross-entropy and accuracy (dropout and augmentation
     * on). With outlier exposure each batch carries its share of {@code epochOutliers} after its digits, so batch norm
     * sees both.
     */
    private Inference.Scores trainOneEpoch(Trainer trainer, DigitArrays data, List<int[]> batches,
                                           float[] epochOutliers, int epoch) {
        OutlierExposure exposure = options.outlierExposure();
        double lossSum = 0;
        double outlierLossSum = 0;
        long correct = 0;
        long seen = 0;
        try (ProgressBar bar = options.showProgress() ? progressBar(epoch, batches.size()) : null) {
            for (int b = 0; b < batches.size(); b++) {
                int[] batch = batches.get(b);
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    NDArray labels = data.labels(manager, batch);
                    NDArray pixels = withOutliers(manager, data.pixels(manager, batch), epochOutliers, b);
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

    /**
     * Batch norm's running statistics estimated again, in training mode without a gradient step, on
     * {@value #BATCH_NORM_REESTIMATION_BATCHES} batches of training digits without the affine moves (with their scan
     * damage, if any) and their outliers. Training batches hold moved digits, whose bilinear resampling blurs them:
     * the running statistics describe blurred
     * digits, and a network trained with outlier exposure meets a sharp digit with those statistics as if it were an
     * outlier (measured: 4 epochs of the lite recipe reached 87.7% validation accuracy, 98.5% after re-estimation).
     */
    private void reestimateBatchNorm(Trainer trainer, DigitArrays digits, List<int[]> batches, float[] epochOutliers) {
        ParameterStore store = new ParameterStore(trainer.getManager(), false);
        for (int b = 0; b < Math.min(BATCH_NORM_REESTIMATION_BATCHES, batches.size()); b++) {
            try (NDManager manager = trainer.getManager().newSubManager()) {
                NDArray pixels = withOutliers(manager, digits.pixels(manager, batches.get(b)), epochOutliers, b);
                trainer.getModel().getBlock().forward(store, new NDList(pixels), true);
            }
        }
    }

    /** The epoch's training digits: moved by the affine augmenter, then damaged; either may be null (not done). */
    private static DigitArrays epochDigits(DigitArrays digits, RandomAffineAugmenter augmenter,
                                           ScanDamageAugmenter damager, int epoch) {
        float[] pixels = digits.pixels();
        if (augmenter != null) {
            pixels = augmenter.augment(pixels, digits.size(), epoch);
        }
        if (damager != null) {
            pixels = damager.augment(pixels, digits.size(), epoch);
        }
        return pixels == digits.pixels() ? digits : digits.withPixels(pixels);
    }

    /** The digits followed by batch {@code b}'s share of the epoch's outliers (none without outlier exposure). */
    private NDArray withOutliers(NDManager manager, NDArray digits, float[] epochOutliers, int b) {
        if (epochOutliers == null) {
            return digits;
        }
        int perBatch = options.outlierExposure().outliersPerBatch(options.batchSize());
        int from = b * perBatch * DigitShape.PIXELS;
        return digits.concat(manager.create(Arrays.copyOfRange(epochOutliers, from, from + perBatch * DigitShape.PIXELS),
                new Shape(perBatch, DigitShape.PIXELS)));
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

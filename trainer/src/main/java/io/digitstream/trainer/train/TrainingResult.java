package io.digitstream.trainer.train;

import ai.djl.Model;
import ai.djl.nn.Block;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.model.DigitCnn;
import io.digitstream.trainer.model.Hyperparameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finished training run: what it measured and the trained model, whose native memory {@link #close()} frees. */
public final class TrainingResult implements AutoCloseable {

    private final Hyperparameters hyperparameters;
    private final DigitCnn architecture;
    private final TrainingOptions options;
    private final List<EpochMetrics> epochs;
    private final double totalSeconds;
    private final Model model;

    TrainingResult(Hyperparameters hyperparameters, DigitCnn architecture, TrainingOptions options,
                   List<EpochMetrics> epochs, double totalSeconds, Model model) {
        this.hyperparameters = hyperparameters;
        this.architecture = architecture;
        this.options = options;
        this.epochs = List.copyOf(epochs);
        this.totalSeconds = totalSeconds;
        this.model = model;
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** The layer list the model's block was built from, one child block per layer. */
    public DigitCnn architecture() {
        return architecture;
    }

    public TrainingOptions options() {
        return options;
    }

    public List<EpochMetrics> epochs() {
        return epochs;
    }

    public EpochMetrics lastEpoch() {
        return epochs.get(epochs.size() - 1);
    }

    /** Wall time of the whole run, validation included. */
    public double totalSeconds() {
        return totalSeconds;
    }

    /** Everything that shaped the model, as strings: for {@link io.digitstream.core.model.ModelMetadata}. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("filters", Integer.toString(hyperparameters.filters()));
        settings.put("denseUnits", Integer.toString(hyperparameters.denseUnits()));
        settings.put("learningRate", Double.toString(hyperparameters.learningRate()));
        settings.put("batchNorm", Boolean.toString(hyperparameters.batchNorm()));
        settings.put("dropout", Double.toString(hyperparameters.dropout()));
        settings.put("epochs", Integer.toString(options.epochs()));
        settings.put("batchSize", Integer.toString(options.batchSize()));
        settings.put("seed", Long.toString(options.seed()));
        settings.put("augmentation", options.augmentation().toString());
        if (!options.outlierExposure().isNone()) {
            settings.put("outlierExposure", options.outlierExposure().toString());
        }
        settings.put("architecture", architecture.summary());
        return settings;
    }

    public Model model() {
        return model;
    }

    public Block block() {
        return model.getBlock();
    }

    /** Class probabilities, one row of ten per image. */
    public float[][] predict(MnistDataset data) {
        float[] logp = Inference.logProbabilities(block(), model.getNDManager(), DigitArrays.from(data));
        float[][] probabilities = new float[data.size()][DigitShape.CLASSES];
        for (int i = 0; i < data.size(); i++) {
            for (int c = 0; c < DigitShape.CLASSES; c++) {
                probabilities[i][c] = (float) Math.exp(logp[i * DigitShape.CLASSES + c]);
            }
        }
        return probabilities;
    }

    /** The network's outputs before the softmax, one row of ten per image. */
    public float[][] logits(MnistDataset data) {
        return rows(Inference.logits(block(), model.getNDManager(), DigitArrays.from(data)));
    }

    /** Logits for {@code pixels.length / 784} images of 0..1 floats, such as synthetic outliers. */
    public float[][] logits(float[] pixels) {
        DigitArrays images = new DigitArrays(pixels, new int[pixels.length / DigitShape.PIXELS]);
        return rows(Inference.logits(block(), model.getNDManager(), images));
    }

    private static float[][] rows(float[] flat) {
        float[][] rows = new float[flat.length / DigitShape.CLASSES][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * DigitShape.CLASSES, (i + 1) * DigitShape.CLASSES);
        }
        return rows;
    }

    /** Fraction of {@code data} whose most probable class is the label. */
    public double accuracy(MnistDataset data) {
        DigitArrays arrays = DigitArrays.from(data);
        return Inference.scores(Inference.logProbabilities(block(), model.getNDManager(), arrays), arrays).accuracy();
    }

    @Override
    public void close() {
        model.close();
    }
}

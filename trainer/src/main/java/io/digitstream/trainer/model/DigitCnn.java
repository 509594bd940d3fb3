package io.digitstream.trainer.model;

import static io.digitstream.contract.DigitShape.CLASSES;
import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CNN family as one explicit layer list: input {@code [N, 784]}, output ten logits {@code [N, 10]} (the softmax
 * belongs to the loss while training and to the exported graph when serving).
 */
public record DigitCnn(List<Layer> layers) {

    public static final float BATCH_NORM_EPSILON = 1e-5f;

    public DigitCnn {
        layers = List.copyOf(layers);
    }

    /**
     * Two stages of [conv3x3(f) - (BN) - ReLU] x2 - maxpool2 - dropout, the second with 2f filters, then
     * dense(units) - (BN) - ReLU - dropout - dense(10). This is the shape of the best single CNNs on MNIST;
     * batch norm makes the conv and dense biases redundant, so they are left out when it is on.
     */
    public static DigitCnn of(Hyperparameters hp) {
        boolean bn = hp.batchNorm();
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer.Reshape(1, SIDE, SIDE));
        for (int filters : new int[] {hp.filters(), 2 * hp.filters()}) {
            for (int i = 0; i < 2; i++) {
                layers.add(new Layer.Conv2d(filters, 3, !bn));
                addNormAndRelu(layers, bn);
            }
            layers.add(new Layer.MaxPool(2));
            addDropout(layers, hp.dropout());
        }
        layers.add(new Layer.Flatten());
        layers.add(new Layer.Dense(hp.denseUnits(), !bn));
        addNormAndRelu(layers, bn);
        addDropout(layers, hp.dropout());
        layers.add(new Layer.Dense(CLASSES, true));
        return new DigitCnn(layers);
    }

    /** A DJL block with one child per layer, in order. */
    public SequentialBlock newBlock() {
        SequentialBlock block = new SequentialBlock();
        layers.forEach(layer -> block.add(layer.newBlock()));
        return block;
    }

    /** The output shape after each layer, for a batch of {@code batchSize} images. */
    public List<Shape> shapes(long batchSize) {
        List<Shape> shapes = new ArrayList<>();
        Shape shape = new Shape(batchSize, PIXELS);
        for (Layer layer : layers) {
            shape = layer.outputShape(shape);
            shapes.add(shape);
        }
        return shapes;
    }

    /** One line naming every layer, for logs and model metadata. */
    public String summary() {
        return layers.stream().map(Layer::toString).collect(Collectors.joining(" > "));
    }

    private static void addNormAndRelu(List<Layer> layers, boolean batchNorm) {
        if (batchNorm) {
            layers.add(new Layer.BatchNorm(BATCH_NORM_EPSILON));
        }
        layers.add(new Layer.Relu());
    }

    private static void addDropout(List<Layer> layers, double rate) {
        if (rate > 0) {
            layers.add(new Layer.Dropout((float) rate));
        }
    }
}

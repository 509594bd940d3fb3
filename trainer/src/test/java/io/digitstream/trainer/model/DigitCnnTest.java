package io.digitstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.digitstream.contract.DigitShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitCnnTest {

    private static final Hyperparameters WITH_BN = new Hyperparameters(8, 32, 1e-3, true, 0.25);
    private static final Hyperparameters PLAIN = new Hyperparameters(8, 32, 1e-3, false, 0);

    @Test
    void shapesFollowTheFamilyFromPixelsToTenLogits() {
        List<Shape> shapes = DigitCnn.of(PLAIN).shapes(4);

        assertThat(shapes).containsExactly(
                new Shape(4, 1, 28, 28),
                new Shape(4, 8, 28, 28), new Shape(4, 8, 28, 28),
                new Shape(4, 8, 28, 28), new Shape(4, 8, 28, 28),
                new Shape(4, 8, 14, 14),
                new Shape(4, 16, 14, 14), new Shape(4, 16, 14, 14),
                new Shape(4, 16, 14, 14), new Shape(4, 16, 14, 14),
                new Shape(4, 16, 7, 7),
                new Shape(4, 16 * 7 * 7),
                new Shape(4, 32), new Shape(4, 32),
                new Shape(4, 10));
    }

    @Test
    void batchNormReplacesBiasesAndDropoutFollowsEachStage() {
        List<Layer> layers = DigitCnn.of(WITH_BN).layers();

        assertThat(layers).filteredOn(Layer.BatchNorm.class::isInstance).hasSize(5);
        assertThat(layers).filteredOn(Layer.Dropout.class::isInstance).hasSize(3);
        assertThat(layers).filteredOn(Layer.Conv2d.class::isInstance)
                .allSatisfy(conv -> assertThat(((Layer.Conv2d) conv).bias()).isFalse());
        assertThat(layers.get(layers.size() - 1)).isEqualTo(new Layer.Dense(10, true));
    }

    @Test
    void withoutBatchNormOrDropoutThoseLayersAreAbsent() {
        List<Layer> layers = DigitCnn.of(PLAIN).layers();

        assertThat(layers).noneMatch(l -> l instanceof Layer.BatchNorm || l instanceof Layer.Dropout);
        assertThat(layers).filteredOn(Layer.Conv2d.class::isInstance)
                .allSatisfy(conv -> assertThat(((Layer.Conv2d) conv).bias()).isTrue());
    }

    @Test
    void djlAgreesWithTheLayerListOnEveryShape() {
        DigitCnn cnn = DigitCnn.of(WITH_BN);
        SequentialBlock block = cnn.newBlock();
        Shape input = new Shape(4, DigitShape.PIXELS);

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            block.initialize(manager, DataType.FLOAT32, input);
            Shape shape = input;
            List<Shape> expected = cnn.shapes(4);
            assertThat(block.getChildren().size()).isEqualTo(cnn.layers().size());
            for (int i = 0; i < cnn.layers().size(); i++) {
                Block child = block.getChildren().get(i).getValue();
                shape = child.getOutputShapes(new Shape[] {shape})[0];
                assertThat(shape).as("after layer %d %s", i, cnn.layers().get(i)).isEqualTo(expected.get(i));
            }
        }
    }
}

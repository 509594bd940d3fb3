package io.digitstream.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * One step of a {@link DigitCnn}. The same list of layers builds the DJL block that trains and is walked by the ONNX
 * exporter, so the two cannot drift apart. Shapes carry the batch dimension first.
 */
public sealed interface Layer {

    /** A fresh, uninitialised DJL block computing this layer. */
    Block newBlock();

    Shape outputShape(Shape input);

    /** Turns the flat {@code [N, c*h*w]} input into images {@code [N, c, h, w]}. */
    record Reshape(int channels, int height, int width) implements Layer {
        @Override
        public Block newBlock() {
            return LambdaBlock.singleton(x -> x.reshape(-1, channels, height, width), "reshape");
        }

        @Override
        public Shape outputShape(Shape input) {
            return new Shape(input.get(0), channels, height, width);
        }
    }

    /** Square kernel, stride 1, "same" padding; the bias is left out when a batch norm follows. */
    record Conv2d(int filters, int kernel, boolean bias) implements Layer {
        public Conv2d {
            if (kernel % 2 == 0) {
                throw new IllegalArgumentException("same padding needs an odd kernel: " + kernel);
            }
        }

        public int padding() {
            return kernel / 2;
        }

        @Override
        public Block newBlock() {
            return ai.djl.nn.convolutional.Conv2d.builder()
                    .setFilters(filters)
                    .setKernelShape(new Shape(kernel, kernel))
                    .optPadding(new Shape(padding(), padding()))
                    .optBias(bias)
                    .build();
        }

        @Override
        public Shape outputShape(Shape input) {
            return new Shape(input.get(0), filters, input.get(2), input.get(3));
        }
    }

    /** Batch normalisation over axis 1 (channels of an image, units of a dense output). */
    record BatchNorm(float epsilon) implements Layer {
        @Override
        public Block newBlock() {
            return ai.djl.nn.norm.BatchNorm.builder().optEpsilon(epsilon).build();
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }
    }

    record Relu() implements Layer {
        @Override
        public Block newBlock() {
            return Activation.reluBlock();
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }
    }

    /** Non-overlapping max pooling: window and stride {@code size}. */
    record MaxPool(int size) implements Layer {
        @Override
        public Block newBlock() {
            return Pool.maxPool2dBlock(new Shape(size, size), new Shape(size, size));
        }

        @Override
        public Shape outputShape(Shape input) {
            return new Shape(input.get(0), input.get(1), input.get(2) / size, input.get(3) / size);
        }
    }

    /** Active only while training; the exporter leaves it out. */
    record Dropout(float rate) implements Layer {
        @Override
        public Block newBlock() {
            return ai.djl.nn.norm.Dropout.builder().optRate(rate).build();
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }
    }

    /** {@code [N, c, h, w]} to {@code [N, c*h*w]} in channel-major order, as ONNX Flatten does. */
    record Flatten() implements Layer {
        @Override
        public Block newBlock() {
            return Blocks.batchFlattenBlock();
        }

        @Override
        public Shape outputShape(Shape input) {
            return new Shape(input.get(0), input.size() / input.get(0));
        }
    }

    /** Fully connected; DJL stores the weight as {@code [units, inputs]}. */
    record Dense(int units, boolean bias) implements Layer {
        @Override
        public Block newBlock() {
            return Linear.builder().setUnits(units).optBias(bias).build();
        }

        @Override
        public Shape outputShape(Shape input) {
            return new Shape(input.get(0), units);
        }
    }
}

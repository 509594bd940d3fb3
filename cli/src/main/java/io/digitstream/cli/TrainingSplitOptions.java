package io.digitstream.cli;

import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.trainer.TrainingRequest;
import io.digitstream.trainer.data.TrainValidationSplit;
import java.io.IOException;
import picocli.CommandLine.Option;

/** The training run's split, for commands that work on a trained model and must not use its training digits as held-out. */
final class TrainingSplitOptions {

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "The seed the model was trained with: it chose the validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation-size", paramLabel = "N", defaultValue = "" + TrainingRequest.DEFAULT_VALIDATION_SIZE,
            description = "Validation digits the model was trained without (default: ${DEFAULT-VALUE}).")
    int validationSize;

    /** MNIST's training set split as the training run split it. */
    TrainValidationSplit split(DataOptions data) throws IOException {
        return TrainValidationSplit.stratified(data.fetchedCache().load(MnistSplit.TRAIN), validationSize, seed);
    }
}

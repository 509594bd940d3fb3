package io.digitstream.core.model;

import java.nio.file.Path;

/** Child JVM for {@link LongCommandLineIT}: loads a model and self-checks it, printing how many digits passed. */
public final class LongCommandLineChild {

    private LongCommandLineChild() {
    }

    public static void main(String[] args) throws Exception {
        try (OnnxDigitModel model = OnnxDigitModel.load(Path.of(args[0]))) {
            System.out.println("self-check passed " + model.selfCheck());
        }
    }
}

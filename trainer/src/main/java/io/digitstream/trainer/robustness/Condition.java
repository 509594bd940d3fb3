package io.digitstream.trainer.robustness;

import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One row of the robustness benchmark: how a clean 28x28 test digit becomes the model's input under some corruption.
 *
 * @param id          the name in reports, e.g. {@code shot-noise}
 * @param kind        which family it belongs to; only {@link Kind#MNIST_C} and {@link Kind#SCAN} make the suite
 * @param description what it does, with its parameters
 * @param input       the corruption itself
 */
public record Condition(String id, Kind kind, String description, Input input) {

    /** The families of conditions. */
    public enum Kind {
        /** The test set as it is: what every corruption is compared with. */
        REFERENCE("reference"),
        /** An MNIST-C corruption of the 28x28 image, straight to the model. */
        MNIST_C("mnist-c"),
        /** An encoded scan-like file, through {@code DigitPreprocessor} to the model. */
        SCAN("scan"),
        /** A transform that destroys the digit: shows that the benchmark notices when nothing is left to read. */
        CONTROL("control");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Whether conditions of this kind count in the suite's mean and worst accuracy. */
        public boolean inSuite() {
            return this == MNIST_C || this == SCAN;
        }
    }

    /** Turns a clean digit into 784 model inputs. */
    @FunctionalInterface
    public interface Input {
        float[] of(GrayImage digit, RandomGenerator random, DigitPreprocessor preprocessor) throws ImageRejectedException;
    }

    /** The test digits unchanged. */
    public static Condition clean() {
        return new Condition("clean", Kind.REFERENCE, "the MNIST test images as they are",
                (digit, random, preprocessor) -> digit.pixels().clone());
    }

    public static Condition of(MnistCorruption corruption) {
        return new Condition(corruption.id(), Kind.MNIST_C, corruption.description(),
                (digit, random, preprocessor) -> corruption.apply(digit, random).pixels());
    }

    public static Condition of(ScanTransform transform) {
        return new Condition(transform.id(), Kind.SCAN, transform.description(),
                (digit, random, preprocessor) -> preprocessor.preprocess(transform.encode(digit, random)));
    }

    /** The digit's pixels in a random order: the same amount of ink, no digit left. */
    public static Condition scrambled() {
        return new Condition("scrambled", Kind.CONTROL, "control: the pixels shuffled at random (nothing left to read)",
                (digit, random, preprocessor) -> {
                    float[] p = digit.pixels().clone();
                    for (int i = p.length - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        float t = p[i];
                        p[i] = p[j];
                        p[j] = t;
                    }
                    return p;
                });
    }

    /** Every condition the benchmark runs, in report order: clean, the MNIST-C suite, the scan-like suite, control. */
    public static List<Condition> all() {
        List<Condition> all = new ArrayList<>();
        all.add(clean());
        for (MnistCorruption c : MnistCorruption.values()) {
            all.add(of(c));
        }
        for (ScanTransform t : ScanTransform.values()) {
            all.add(of(t));
        }
        all.add(scrambled());
        return all;
    }
}

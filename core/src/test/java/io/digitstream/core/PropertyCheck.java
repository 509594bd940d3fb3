package io.digitstream.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Function;

/**
 * A small property-based test runner: checks a property on inputs drawn from seeded generators and, when one fails,
 * shrinks it to a smaller failing input and reports the seed that replays the run.
 *
 * <p>{@code -Ddigitstream.property.tries=N} overrides every property's number of tries (for a long hunt, e.g. 100000);
 * {@code -Ddigitstream.property.seed=S} replays a reported run. A shrunk failing input is also written to
 * {@code target/property-failures/}, ready to become a regression test.
 */
public final class PropertyCheck {

    /** The property: returns normally when it holds for {@code input}, throws (an assertion) when it does not. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Exception;
    }

    /** How to describe, save and shrink one kind of input. */
    public interface Inputs<T> {

        String describe(T input);

        byte[] bytes(T input);

        /** Smaller variants of {@code input}, most promising first; empty when it cannot be shrunk. */
        Iterable<T> smaller(T input);
    }

    private static final int MAX_SHRINK_STEPS = 2_000;

    private PropertyCheck() {
    }

    /** Byte-array inputs, shrunk by cutting out ever smaller ranges. */
    public static final Inputs<byte[]> BYTES = new Inputs<>() {
        @Override
        public String describe(byte[] input) {
            return input.length + " bytes: " + hex(input);
        }

        @Override
        public byte[] bytes(byte[] input) {
            return input;
        }

        @Override
        public Iterable<byte[]> smaller(byte[] input) {
            return () -> new java.util.Iterator<>() {
                int size = Math.max(1, input.length / 2);
                int from = 0;

                @Override
                public boolean hasNext() {
                    return input.length > 0 && size >= 1;
                }

                @Override
                public byte[] next() {
                    byte[] cut = new byte[input.length - Math.min(size, input.length - from)];
                    System.arraycopy(input, 0, cut, 0, from);
                    System.arraycopy(input, Math.min(input.length, from + size), cut, from, cut.length - from);
                    from += size;
                    if (from >= input.length) {
                        from = 0;
                        size /= 2;
                    }
                    return cut;
                }
            };
        }
    };

    /** The number of tries: {@code tries}, or the {@code digitstream.property.tries} system property. */
    public static int tries(int tries) {
        return Integer.getInteger("digitstream.property.tries", tries);
    }

    /**
     * Checks {@code property} on {@code tries} inputs from {@code generator}; throws an {@link AssertionError} naming
     * the seed and the shrunk failing input when one fails.
     */
    public static <T> void forAll(String name, int tries, Function<Random, T> generator, Inputs<T> inputs,
                                  Property<T> property) {
        long seed = Long.getLong("digitstream.property.seed", new Random().nextLong());
        Random random = new Random(seed);
        int n = tries(tries);
        for (int i = 0; i < n; i++) {
            T input = generator.apply(random);
            Throwable failure = failure(property, input);
            if (failure != null) {
                T smallest = input;
                Throwable smallestFailure = failure;
                int steps = 0;
                boolean shrunk = true;
                while (shrunk && steps < MAX_SHRINK_STEPS) {
                    shrunk = false;
                    for (T candidate : inputs.smaller(smallest)) {
                        if (++steps > MAX_SHRINK_STEPS) {
                            break;
                        }
                        Throwable f = failure(property, candidate);
                        if (f != null) {
                            smallest = candidate;
                            smallestFailure = f;
                            shrunk = true;
                            break;
                        }
                    }
                }
                Path saved = save(name, inputs.bytes(smallest));
                AssertionError error = new AssertionError(String.format(
                        "property '%s' failed on try %d of %d (seed %d: replay with -Ddigitstream.property.seed=%d);"
                                + "%n  shrunk input, saved to %s: %s%n  original input: %s%n  failure: %s",
                        name, i + 1, n, seed, seed, saved, inputs.describe(smallest), inputs.describe(input),
                        smallestFailure), smallestFailure);
                throw error;
            }
        }
        System.out.printf("property '%s': %d tries passed (seed %d)%n", name, n, seed);
    }

    /** What the property threw on {@code input}, errors included: a StackOverflowError is a finding too. */
    private static <T> Throwable failure(Property<T> property, T input) {
        try {
            property.check(input);
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    private static Path save(String name, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "property-failures"));
            return Files.write(dir.resolve(name.replaceAll("[^A-Za-z0-9-]+", "-") + ".bin"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first 256 bytes in hex, and how many more there are. */
    public static String hex(byte[] bytes) {
        int shown = Math.min(bytes.length, 256);
        return HexFormat.of().formatHex(bytes, 0, shown) + (bytes.length > shown ? " ... (" + (bytes.length - shown)
                + " more)" : "");
    }
}

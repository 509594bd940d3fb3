package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The discrete grid a search draws from: one list of candidate values per {@link Hyperparameters} component.
 * Points are enumerated in a fixed order so a seeded sample is the same on every machine.
 */
public record SearchSpace(
        List<Integer> filters,
        List<Integer> denseUnits,
        List<Double> learningRates,
        List<Boolean> batchNorm,
        List<Double> dropouts) {

    public SearchSpace {
        filters = distinctNonEmpty(filters, "filters");
        denseUnits = distinctNonEmpty(denseUnits, "denseUnits");
        learningRates = distinctNonEmpty(learningRates, "learningRates");
        batchNorm = distinctNonEmpty(batchNorm, "batchNorm");
        dropouts = distinctNonEmpty(dropouts, "dropouts");
    }

    /** The Keras study's three axes plus batch normalisation and dropout: 108 points. */
    public static SearchSpace study() {
        return new SearchSpace(
                List.of(32, 64, 128),
                List.of(32, 64, 128),
                List.of(1e-2, 1e-3, 1e-4),
                List.of(true, false),
                List.of(0.25, 0.4));
    }

    public int size() {
        return filters.size() * denseUnits.size() * learningRates.size() * batchNorm.size() * dropouts.size();
    }

    public boolean contains(Hyperparameters hp) {
        return filters.contains(hp.filters())
                && denseUnits.contains(hp.denseUnits())
                && learningRates.contains(hp.learningRate())
                && batchNorm.contains(hp.batchNorm())
                && dropouts.contains(hp.dropout());
    }

    /** Every point, the last axis (dropout) varying fastest. */
    public List<Hyperparameters> points() {
        List<Hyperparameters> points = new ArrayList<>(size());
        for (int f : filters) {
            for (int d : denseUnits) {
                for (double lr : learningRates) {
                    for (boolean bn : batchNorm) {
                        for (double dropout : dropouts) {
                            points.add(new Hyperparameters(f, d, lr, bn, dropout));
                        }
                    }
                }
            }
        }
        return points;
    }

    /** {@code count} distinct points drawn without replacement; the same seed gives the same points in the same order. */
    public List<Hyperparameters> sample(int count, long seed) {
        if (count < 1 || count > size()) {
            throw new IllegalArgumentException("count must be in 1.." + size() + ": " + count);
        }
        List<Hyperparameters> points = points();
        Random random = new Random(seed);
        // partial Fisher-Yates: the first count slots end up a uniform sample
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(points.size() - i);
            points.set(j, points.set(i, points.get(j)));
        }
        return List.copyOf(points.subList(0, count));
    }

    private static <T> List<T> distinctNonEmpty(List<T> values, String axis) {
        List<T> copy = List.copyOf(values);
        if (copy.isEmpty() || copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException(axis + " must be non-empty and distinct: " + values);
        }
        return copy;
    }
}

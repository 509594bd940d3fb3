package io.digitstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Which example indices make up each batch of one pass over a data set. */
public final class BatchPlan {

    private BatchPlan() {
    }

    /**
     * A seeded random permutation cut into full batches; the few examples left over sit out this pass (a new
     * permutation brings them back), so batch-norm statistics never come from a handful of images.
     */
    public static List<int[]> shuffled(int size, int batchSize, long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<int[]> batches = cut(order, batchSize);
        if (batches.size() > 1 && batches.get(batches.size() - 1).length < batchSize) {
            batches.remove(batches.size() - 1);
        }
        return batches;
    }

    /** Indices in order, cut into batches: for evaluation. */
    public static List<int[]> sequential(int size, int batchSize) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        return cut(order, batchSize);
    }

    private static List<int[]> cut(int[] order, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] batch = new int[Math.min(batchSize, order.length - from)];
            System.arraycopy(order, from, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }
}

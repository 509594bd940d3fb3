package io.digitstream.trainer.data;

import static io.digitstream.contract.DigitShape.CLASSES;

import io.digitstream.core.mnist.MnistDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A labelled set cut in two disjoint parts; the validation part keeps the class proportions of the whole. */
public record TrainValidationSplit(MnistDataset train, MnistDataset validation) {

    /**
     * Takes {@code validationSize} examples, stratified by label (largest-remainder quotas), chosen at random with
     * {@code seed}; both parts keep the original order of the examples they hold.
     */
    public static TrainValidationSplit stratified(MnistDataset data, int validationSize, long seed) {
        if (validationSize < 0 || validationSize >= data.size()) {
            throw new IllegalArgumentException("validationSize must be in [0, " + data.size() + "): " + validationSize);
        }
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byLabel.get(data.label(i)).add(i);
        }
        int[] quota = quotas(byLabel, validationSize, data.size());
        Random random = new Random(seed);
        boolean[] validation = new boolean[data.size()];
        for (int c = 0; c < CLASSES; c++) {
            List<Integer> members = byLabel.get(c);
            Collections.shuffle(members, random);
            members.subList(0, quota[c]).forEach(i -> validation[i] = true);
        }
        int[] trainIdx = new int[data.size() - validationSize];
        int[] validIdx = new int[validationSize];
        int t = 0;
        int v = 0;
        for (int i = 0; i < data.size(); i++) {
            if (validation[i]) {
                validIdx[v++] = i;
            } else {
                trainIdx[t++] = i;
            }
        }
        return new TrainValidationSplit(data.select(trainIdx), data.select(validIdx));
    }

    private static int[] quotas(List<List<Integer>> byLabel, int total, int size) {
        int[] quota = new int[CLASSES];
        double[] remainder = new double[CLASSES];
        int assigned = 0;
        for (int c = 0; c < CLASSES; c++) {
            double exact = (double) total * byLabel.get(c).size() / size;
            quota[c] = (int) exact;
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        Integer[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a]));
        for (int k = 0; assigned < total; k++) {
            quota[order[k]]++;
            assigned++;
        }
        return quota;
    }
}

package io.digitstream.producer;

import io.digitstream.contract.PredictionEvent;

/** Running counts over the predictions a tool has read: how many, how many labelled, the confusion matrix. */
public final class PredictionTally {

    private final int[][] confusion = new int[10][10];
    private long predictions;
    private long labelled;
    private long correct;

    public synchronized void add(PredictionEvent p) {
        predictions++;
        if (p.label() != null) {
            labelled++;
            confusion[p.label()][p.digit()]++;
            if (p.label() == p.digit()) {
                correct++;
            }
        }
    }

    public synchronized long predictions() {
        return predictions;
    }

    public synchronized long labelled() {
        return labelled;
    }

    public synchronized long correct() {
        return correct;
    }

    /** Correct share of the labelled predictions, NaN before the first. */
    public synchronized double accuracy() {
        return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }

    /** Row = label, column = predicted digit; a copy. */
    public synchronized int[][] confusion() {
        int[][] copy = new int[10][];
        for (int i = 0; i < 10; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }
}

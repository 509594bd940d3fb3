package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;

import java.util.ArrayList;
import java.util.List;

/**
 * A TrialRunner whose "training" is a closed-form score of the hyperparameters: best at 64 filters, 128 dense
 * units, learning rate 1e-3, batch norm on, dropout 0.4. More epochs scale every configuration by the same
 * factor, so the ranking never depends on the epoch budget. It records every call.
 */
final class SyntheticObjective implements TrialRunner {

    static final Hyperparameters OPTIMUM = new Hyperparameters(64, 128, 1e-3, true, 0.4);

    final List<String> calls = new ArrayList<>();

    static double quality(Hyperparameters hp) {
        double f = Math.log(hp.filters() / 64.0) / Math.log(2);
        double d = Math.log(128.0 / hp.denseUnits()) / Math.log(2);
        double lr = Math.log10(hp.learningRate()) + 3;
        double penalty = 0.011 * f * f + 0.002 * f
                + 0.0037 * d
                + 0.013 * lr * lr + 0.003 * lr
                + (hp.batchNorm() ? 0 : 0.0029)
                + 0.01 * Math.abs(hp.dropout() - 0.4);
        return 0.99 - penalty;
    }

    static double accuracy(Hyperparameters hp, int epochs) {
        return quality(hp) * (1 - Math.pow(0.5, epochs));
    }

    @Override
    public TrialOutcome run(Hyperparameters hyperparameters, int epochs) {
        calls.add(hyperparameters + "@" + epochs);
        return new TrialOutcome(accuracy(hyperparameters, epochs), 0.5 * epochs * hyperparameters.filters() / 32.0);
    }
}

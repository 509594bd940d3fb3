package io.digitstream.trainer.search;

import java.util.function.Consumer;

/** A way of spending a training budget over a {@link SearchSpace}. */
public interface SearchStrategy {

    /** Short name for logs and the report, e.g. {@code random(n=10, epochs=3)}. */
    String description();

    /** How many trials {@link #run} will train, so a caller can show progress as "k of n". */
    int plannedTrials();

    /** Runs every trial in order, handing each finished one to {@code progress}. */
    SearchResult run(TrialRunner runner, Consumer<Trial> progress);
}

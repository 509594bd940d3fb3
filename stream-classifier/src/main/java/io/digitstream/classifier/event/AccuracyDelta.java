package io.digitstream.classifier.event;

import java.util.Objects;

/**
 * Counts one task added to a model version's accuracy (of one {@link AccuracyScope}) since it last sent them: the
 * small record that the classifier's counting tasks send, per commit interval, to the task that holds the running
 * totals, instead of one record per labelled prediction.
 */
public record AccuracyDelta(AccuracyScope scope, AccuracyCounts counts) {

    public AccuracyDelta {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(counts, "counts");
    }
}

package io.digitstream.classifier.event;

import java.util.Objects;

/**
 * What a set of accuracy counts covers: one model version, cumulatively ({@code windowStart} null) or over the tumbling
 * window that starts at {@code windowStart} (epoch milliseconds), as {@link io.digitstream.contract.AccuracyReport}
 * says it.
 */
public record AccuracyScope(String modelVersion, Long windowStart) {

    public AccuracyScope {
        Objects.requireNonNull(modelVersion, "modelVersion");
    }

    public static AccuracyScope cumulative(String modelVersion) {
        return new AccuracyScope(modelVersion, null);
    }

    public static AccuracyScope window(String modelVersion, long windowStart) {
        return new AccuracyScope(modelVersion, windowStart);
    }

    public boolean isCumulative() {
        return windowStart == null;
    }
}

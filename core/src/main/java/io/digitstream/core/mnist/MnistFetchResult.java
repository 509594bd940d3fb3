package io.digitstream.core.mnist;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link MnistFetcher#fetch} did: where each file came from, and the sources that failed on the way.
 *
 * @param suppliers for each file, {@link #ALREADY_PRESENT} or the {@link MnistSource#description()} that supplied it
 * @param failures  every source failure met, also when a later source made up for it
 */
public record MnistFetchResult(Path directory, Map<MnistFile, String> suppliers, List<Failure> failures) {

    public static final String ALREADY_PRESENT = "already present";

    public MnistFetchResult {
        suppliers = Map.copyOf(suppliers);
        failures = List.copyOf(failures);
    }

    /** A source that could not supply a file (or anything at all). */
    public record Failure(String source, String problem) {

        @Override
        public String toString() {
            return source + ": " + problem;
        }
    }
}

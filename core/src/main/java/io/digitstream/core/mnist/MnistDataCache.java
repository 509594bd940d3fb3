package io.digitstream.core.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** A directory holding the four uncompressed MNIST files, as {@link MnistFetcher} leaves them. */
public final class MnistDataCache {

    /** Environment variable that moves the default cache directory. */
    public static final String DATA_DIR_ENV = "DIGITS_DATA_DIR";

    private final Path directory;

    /** The cache at {@link #defaultDirectory()}. */
    public MnistDataCache() {
        this(defaultDirectory());
    }

    public MnistDataCache(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** {@code $DIGITS_DATA_DIR} when set, else {@code ~/.cache/digit-stream/mnist}. */
    public static Path defaultDirectory() {
        return defaultDirectory(System::getenv, Path.of(System.getProperty("user.home")));
    }

    static Path defaultDirectory(UnaryOperator<String> env, Path home) {
        String configured = env.apply(DATA_DIR_ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return home.resolve(".cache").resolve("digit-stream").resolve("mnist");
    }

    public Path directory() {
        return directory;
    }

    public Path path(MnistFile file) {
        return directory.resolve(file.fileName());
    }

    /** The files not (yet) in the directory; the cache does not re-hash files on every load. */
    public List<MnistFile> missingFiles() {
        List<MnistFile> missing = new ArrayList<>();
        for (MnistFile file : MnistFile.values()) {
            if (!Files.isRegularFile(path(file))) {
                missing.add(file);
            }
        }
        return missing;
    }

    public boolean isComplete() {
        return missingFiles().isEmpty();
    }

    public MnistDataset load(MnistSplit split) throws IOException {
        List<MnistFile> missing = new ArrayList<>(missingFiles());
        missing.retainAll(EnumSet.of(split.images(), split.labels()));
        if (!missing.isEmpty()) {
            List<String> names = missing.stream().map(MnistFile::fileName).toList();
            throw new MnistDataMissingException("MNIST " + split.name().toLowerCase() + " data not found: "
                    + String.join(", ", names) + " missing in " + directory
                    + ". Run ./digits fetch-data to download it (or set " + DATA_DIR_ENV
                    + " to a directory holding the uncompressed files).");
        }
        return MnistIdxReader.read(path(split.images()), path(split.labels()));
    }
}

package io.digitstream.core.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/** A directory the user already put the files in, each raw or gzip ({@code name} or {@code name.gz}). */
public final class LocalDirectorySource implements MnistSource {

    private final Path directory;

    public LocalDirectorySource(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public String description() {
        return "local directory " + directory;
    }

    @Override
    public Session open(Consumer<String> progress) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        return this::read;
    }

    private InputStream read(MnistFile file) throws IOException {
        Path raw = directory.resolve(file.fileName());
        Path gzip = directory.resolve(file.gzipFileName());
        if (Files.isRegularFile(raw)) {
            return GzipStreams.openDecompressed(raw);
        }
        if (Files.isRegularFile(gzip)) {
            return GzipStreams.openDecompressed(gzip);
        }
        throw new NoSuchFileException(raw.toString(), null, "neither it nor " + file.gzipFileName() + " exists");
    }
}

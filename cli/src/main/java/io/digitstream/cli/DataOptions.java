package io.digitstream.cli;

import io.digitstream.core.mnist.MnistDataCache;
import io.digitstream.core.mnist.MnistFetcher;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data-cache option that every command reading MNIST shares. */
final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "MNIST cache directory (default: $DIGITS_DATA_DIR or ~/.cache/digit-stream/mnist).")
    Path dataDir;

    MnistDataCache cache() {
        return dataDir == null ? new MnistDataCache() : new MnistDataCache(dataDir);
    }

    /** The cache, first filled from the default sources when files are missing (what fetch-data does). */
    MnistDataCache fetchedCache() throws IOException {
        MnistDataCache cache = cache();
        if (!cache.isComplete()) {
            System.out.println("MNIST is not in " + cache.directory() + " yet: fetching it (see ./digits fetch-data --help)");
            new MnistFetcher(MnistFetcher.defaultSources(), line -> System.out.println("  " + line)).fetch(cache);
        }
        return cache;
    }
}

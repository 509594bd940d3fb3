package io.digitstream.core.mnist;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/** One place the original MNIST files can come from; {@link MnistFetcher} tries several in turn. */
public interface MnistSource {

    /** Names the source in progress lines and failure reports, e.g. {@code mirror https://host/mnist/}. */
    String description();

    /** Prepares the source (checks a directory, runs a tool); the session then hands out files. */
    Session open(Consumer<String> progress) throws IOException;

    /** An opened source. Closing it removes whatever it kept in temporary files. */
    interface Session extends Closeable {

        /**
         * The uncompressed content of {@code file}. The fetcher bounds the length and verifies the SHA-256,
         * so a session need not.
         *
         * @throws MnistSourceUnavailableException when no other file can come from this source either
         */
        InputStream read(MnistFile file) throws IOException;

        @Override
        default void close() throws IOException {
        }
    }
}

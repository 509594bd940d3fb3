package io.digitstream.core.mnist;

import java.io.IOException;

/**
 * Thrown by {@link MnistSource.Session#read} when the source can supply nothing more (its host is unreachable, say):
 * the fetcher records one failure and moves on to the next source without asking for the remaining files.
 */
public final class MnistSourceUnavailableException extends IOException {

    public MnistSourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

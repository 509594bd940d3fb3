package io.digitstream.core.mnist;

import java.io.IOException;

/** The MNIST cache lacks files a caller needs; the message says how to get them. */
public final class MnistDataMissingException extends IOException {

    public MnistDataMissingException(String message) {
        super(message);
    }
}

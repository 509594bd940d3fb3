package io.digitstream.core.mnist;

import java.io.IOException;

/** An IDX file that is not a well-formed MNIST image or label file; the message names the file and the problem. */
public final class MnistFormatException extends IOException {

    private final String source;

    public MnistFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public MnistFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file (or stream name) that was being read. */
    public String source() {
        return source;
    }
}

package io.digitstream.producer;

/** One image of a source could not be read; the source itself goes on. */
public final class ImageReadException extends RuntimeException {

    public ImageReadException(String message, Throwable cause) {
        super(message, cause);
    }

    public ImageReadException(String message) {
        super(message);
    }
}

package io.digitstream.producer;

import java.io.IOException;
import java.io.InputStream;

/** Reading untrusted input with a ceiling, so a huge file or stream fails fast instead of filling the heap. */
final class BoundedRead {

    private BoundedRead() {
    }

    /** All of {@code in}, or an {@link ImageReadException} naming {@code what} when it holds more than max bytes. */
    static byte[] readAtMost(InputStream in, long maxBytes, String what) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new ImageReadException(what + ": larger than " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            throw new ImageReadException(what + ": empty");
        }
        return bytes;
    }
}

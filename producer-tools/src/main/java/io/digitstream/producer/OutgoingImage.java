package io.digitstream.producer;

import java.util.Objects;

/**
 * One image to publish, in a format the classifier reads (see docs/contract.md).
 *
 * @param id          the record key, which becomes the prediction's id
 * @param value       image bytes: PNG/JPEG/BMP/GIF, or 784 raw grayscale bytes
 * @param label       the true digit when known, else null
 * @param contentType the {@code content-type} header, or null
 */
public record OutgoingImage(String id, byte[] value, Integer label, String contentType) {

    public OutgoingImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        if (label != null && (label < 0 || label > 9)) {
            throw new IllegalArgumentException("a label is a digit 0-9: " + label);
        }
    }
}

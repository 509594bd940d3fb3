package io.digitstream.contract;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One decoded input event: its id, the image bytes to preprocess (an encoded image or 784 raw pixels), and the
 * ground-truth digit when the producer knows it.
 */
public record ImageEvent(String id, byte[] image, OptionalInt label) {

    public ImageEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
    }
}

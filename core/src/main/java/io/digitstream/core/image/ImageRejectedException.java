package io.digitstream.core.image;

import java.util.Objects;

/** Input that cannot be turned into a digit image; {@link #reason()} is a stable code for dead-letter records. */
public final class ImageRejectedException extends Exception {

    /** Why an input was rejected. The codes are part of the event contract: never rename one. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY("empty"),
        /** Neither a known image format nor 784 raw pixels. */
        NOT_AN_IMAGE("not-an-image"),
        /** Looks like a known image format but cannot be decoded. */
        UNDECODABLE("undecodable"),
        /** More bytes or pixels than {@link ImageLimits} allow. */
        TOO_LARGE("too-large"),
        /** A decodable image with no ink on it. */
        BLANK("blank");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}

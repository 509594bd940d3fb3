package io.digitstream.contract;

import java.util.Objects;

/** Input that cannot become an {@link ImageEvent}; {@link #reason()} is a stable dead-letter code. */
public final class RejectedEventException extends Exception {

    private final String reason;

    public RejectedEventException(String reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectedEventException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** One of {@link DeadLetter}'s reason codes or the preprocessor's. */
    public String reason() {
        return reason;
    }
}

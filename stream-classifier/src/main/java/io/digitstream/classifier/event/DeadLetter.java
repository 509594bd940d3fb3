package io.digitstream.classifier.event;

/**
 * The dead-letter contract: records on the DLQ topic keep the original key, value and headers, and add these headers.
 * Reason codes are the preprocessor's ({@code empty}, {@code not-an-image}, {@code undecodable}, {@code too-large},
 * {@code blank}) plus the ones below. Never rename a header or a code: consumers match on them.
 */
public final class DeadLetter {

    public static final String REASON = "error.reason";
    public static final String MESSAGE = "error.message";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";

    /** A JSON envelope that does not parse, lacks {@code image}, or carries invalid base64. */
    public static final String BAD_JSON = "bad-json";
    /** A label header or field that is not a single digit 0-9, or two labels that disagree. */
    public static final String BAD_LABEL = "bad-label";
    /** An envelope larger than the decoder accepts. Same code as the preprocessor's size limit. */
    public static final String TOO_LARGE = "too-large";

    private DeadLetter() {
    }
}

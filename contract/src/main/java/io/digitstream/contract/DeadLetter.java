package io.digitstream.contract;

/**
 * The dead-letter contract: records on the DLQ topic keep the original key, value and headers, and add these headers.
 * Reason codes are the preprocessor's ({@code empty}, {@code not-an-image}, {@code undecodable}, {@code too-large},
 * {@code blank}) plus the ones below. A dead letter is never larger than the classifier's record limit: a key or
 * value that would not fit is kept as a truncated copy and said so in headers. Never rename a header or a code:
 * consumers match on them.
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
    /**
     * An event id (the record key, or the JSON {@code id}) longer than {@code event.id.max.bytes} of UTF-8, not valid
     * UTF-8, or with control characters: it could not be written into a prediction within the size limits.
     */
    public static final String BAD_ID = "bad-id";
    /**
     * A record that our own code, Kafka Streams or the producer failed on (an unexpected exception, a record that
     * cannot be serialized or is too large to write). {@link #EXCEPTION} names the exception.
     */
    public static final String INTERNAL_ERROR = "internal-error";

    /** With {@link #INTERNAL_ERROR}: the exception's class name. */
    public static final String EXCEPTION = "error.exception";
    /** {@code true} when the value is a truncated copy: the original did not fit the dead-letter topic's limit. */
    public static final String VALUE_TRUNCATED = "error.value.truncated";
    /** With {@link #VALUE_TRUNCATED}: the original value's size in bytes. */
    public static final String VALUE_SIZE = "error.value.size";
    /** {@code true} when the key is a truncated copy (a key longer than the topic's limit). */
    public static final String KEY_TRUNCATED = "error.key.truncated";
    /** With {@link #KEY_TRUNCATED}: the original key's size in bytes. */
    public static final String KEY_SIZE = "error.key.size";
    /** How many of the original headers were left out because together they did not fit; absent when none were. */
    public static final String HEADERS_DROPPED = "error.headers.dropped";

    private DeadLetter() {
    }
}

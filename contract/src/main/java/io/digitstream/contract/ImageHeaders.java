package io.digitstream.contract;

/**
 * The headers a record of the images topic may carry (docs/contract.md, Input). Never rename one: producers set them.
 */
public final class ImageHeaders {

    /** The ground-truth digit as UTF-8 text, {@code "0"}-{@code "9"}. */
    public static final String LABEL = "label";
    /** The value's media type: one that contains {@code json} marks a JSON envelope. */
    public static final String CONTENT_TYPE = "content-type";

    private ImageHeaders() {
    }
}

package io.digitstream.contract;

/**
 * The default topic names (docs/contract.md). Each is a setting of the classifier and of the tools
 * ({@code input.topic}, {@code predictions.topic} and so on); these are what users, dashboards and tests rely on when
 * nothing is set.
 */
public final class Topics {

    /** Images in: encoded images, 784 raw pixels or JSON envelopes. */
    public static final String IMAGES = "digits.images";
    /** Every prediction. */
    public static final String PREDICTIONS = "digits.predictions";
    /** Predictions below the review threshold, also on {@link #PREDICTIONS}. */
    public static final String REVIEW = "digits.review";
    /** Dead letters: what could not be classified or used, with the reason in headers ({@link DeadLetter}). */
    public static final String DLQ = "digits.dlq";
    /** Ground truth that arrives after the image: key = event id, value = the digit as text. */
    public static final String LABELS = "digits.labels";
    /** Running accuracy per model version, cumulative and per tumbling window ({@link AccuracyReport}). */
    public static final String ACCURACY = "digits.accuracy";

    private Topics() {
    }
}

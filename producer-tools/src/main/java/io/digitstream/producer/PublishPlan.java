package io.digitstream.producer;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ImagePublisher} sends a source.
 *
 * @param imagesTopic     where images go
 * @param labelsTopic     where withheld labels go later
 * @param imagesPerSecond pace, or 0 for as fast as the broker takes them
 * @param maxImages       stop after this many, or 0 for the whole source (once, or forever with {@code repeat})
 * @param maxDuration     stop after this long, or zero for no limit
 * @param withholdLabels  send labels to {@code labelsTopic} {@code labelDelay} after their image instead of as a
 *                        header, to exercise the classifier's late-label join
 * @param labelDelay      how long after its image a withheld label is sent
 * @param repeat          start the source again when it ends (ids get a {@code #<round>} suffix to stay unique)
 */
public record PublishPlan(String imagesTopic, String labelsTopic, double imagesPerSecond, long maxImages,
                          Duration maxDuration, boolean withholdLabels, Duration labelDelay, boolean repeat) {

    public PublishPlan {
        Objects.requireNonNull(imagesTopic, "imagesTopic");
        Objects.requireNonNull(labelsTopic, "labelsTopic");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(labelDelay, "labelDelay");
        if (!(imagesPerSecond >= 0) || Double.isInfinite(imagesPerSecond)) {
            throw new IllegalArgumentException("the rate must be a number >= 0 (0 = as fast as possible): "
                    + imagesPerSecond);
        }
        if (maxImages < 0 || maxDuration.isNegative() || labelDelay.isNegative()) {
            throw new IllegalArgumentException("count, duration and label delay must not be negative");
        }
        if (repeat && maxImages == 0 && maxDuration.isZero()) {
            throw new IllegalArgumentException("repeating needs a count or a duration to stop at");
        }
    }

    /** The whole source once, as fast as possible, labels as headers. */
    public static PublishPlan once(String imagesTopic, String labelsTopic) {
        return new PublishPlan(imagesTopic, labelsTopic, 0, 0, Duration.ZERO, false, Duration.ZERO, false);
    }
}

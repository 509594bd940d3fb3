package io.digitstream.trainer.train;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether and how training shows the network synthetic non-digits
 * ({@link io.digitstream.trainer.ood.SyntheticOutliers}): every batch of digits gets {@code batchSize /
 * digitsPerOutlier} fresh outliers, and the loss adds {@code weight} times the {@link OutlierLoss} on them to the
 * digits' cross-entropy.
 *
 * @param digitsPerOutlier digits per outlier in a batch, 0 for none
 * @param weight           the outlier loss's weight against the digits' cross-entropy
 * @param loss             what is asked of the network on outliers
 */
public record OutlierExposure(int digitsPerOutlier, double weight, OutlierLoss loss) {

    public static final OutlierExposure NONE = new OutlierExposure(0, 0, OutlierLoss.UNIFORM_CROSS_ENTROPY);
    /** One outlier per four digits, uniform cross-entropy at weight 0.5 (Hendrycks et al.'s setting). */
    public static final OutlierExposure STANDARD = new OutlierExposure(4, 0.5, OutlierLoss.UNIFORM_CROSS_ENTROPY);

    public OutlierExposure {
        Objects.requireNonNull(loss, "loss");
        if (digitsPerOutlier < 0 || !(weight >= 0)) {
            throw new IllegalArgumentException("digitsPerOutlier and weight must be >= 0: " + digitsPerOutlier + ", "
                    + weight);
        }
    }

    public boolean isNone() {
        return digitsPerOutlier == 0 || weight == 0;
    }

    /** Outliers added to a batch of {@code batchSize} digits (at least one when on). */
    public int outliersPerBatch(int batchSize) {
        return isNone() ? 0 : Math.max(1, batchSize / digitsPerOutlier);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : String.format(Locale.ROOT, "1 outlier per %d digits, %s x %s", digitsPerOutlier,
                weight, loss.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}

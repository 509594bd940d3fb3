package io.digitstream.trainer.train;

import ai.djl.ndarray.NDArray;

/** How outlier exposure penalises a network that is sure about an image that is not a digit. */
public enum OutlierLoss {

    /**
     * Cross-entropy from the softmax to the uniform distribution, averaged over the outliers (Hendrycks et al. 2019,
     * "Deep anomaly detection with outlier exposure"): {@code -mean_k log softmax_k}, log(10) = 2.3026 at best.
     */
    UNIFORM_CROSS_ENTROPY {
        @Override
        public NDArray evaluate(NDArray outlierLogits, NDArray digitLogits) {
            return outlierLogits.logSoftmax(1).mean(new int[] {1}).neg().mean();
        }
    },

    /**
     * Squared hinges on the energy {@code E = -logsumexp(logits)} (Liu et al. 2020, "Energy-based out-of-distribution
     * detection"): digits are pushed below {@link #DIGIT_ENERGY_MARGIN}, outliers above {@link #OUTLIER_ENERGY_MARGIN}.
     */
    ENERGY_MARGIN {
        @Override
        public NDArray evaluate(NDArray outlierLogits, NDArray digitLogits) {
            NDArray digits = energy(digitLogits).sub(DIGIT_ENERGY_MARGIN).maximum(0f).square().mean();
            NDArray outliers = energy(outlierLogits).neg().add(OUTLIER_ENERGY_MARGIN).maximum(0f).square().mean();
            return digits.add(outliers);
        }
    };

    /** Digits' energies are pushed below this; trained MNIST networks give digits energies of -15 to -30. */
    public static final float DIGIT_ENERGY_MARGIN = -15f;
    /** Outliers' energies are pushed above this. */
    public static final float OUTLIER_ENERGY_MARGIN = -5f;

    /**
     * The penalty, a scalar, for a batch's outliers' logits {@code [m, 10]} and its digits' logits {@code [n, 10]}
     * (which only the energy loss uses).
     */
    public abstract NDArray evaluate(NDArray outlierLogits, NDArray digitLogits);

    /** {@code -logsumexp} over axis 1, through log-softmax: {@code x_0 - logSoftmax(x)_0 = logsumexp(x)}. */
    static NDArray energy(NDArray logits) {
        return logits.logSoftmax(1).sub(logits).get(":, 0");
    }
}

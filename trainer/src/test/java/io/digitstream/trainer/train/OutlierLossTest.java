package io.digitstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class OutlierLossTest {

    @Test
    void uniformCrossEntropyIsLogTenOnFlatLogitsAndGrowsWithConfidence() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray flat = manager.zeros(new Shape(3, 10));
            NDArray sure = manager.create(new float[] {10, 0, 0, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 10));

            float atBest = OutlierLoss.UNIFORM_CROSS_ENTROPY.evaluate(flat, flat).getFloat();
            float confident = OutlierLoss.UNIFORM_CROSS_ENTROPY.evaluate(sure, flat).getFloat();

            assertThat((double) atBest).isCloseTo(Math.log(10), within(1e-6));
            // -mean_k log softmax_k = logsumexp - mean(logits) = 10 + log(1 + 9e^-10) - 1
            assertThat((double) confident).isCloseTo(9 + Math.log(1 + 9 * Math.exp(-10)), within(1e-4));
        }
    }

    @Test
    void energyMarginIsZeroWhenDigitsAndOutliersKeepTheirMarginsAndSquaresTheShortfall() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray sureDigit = manager.create(new float[] {30, 0, 0, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 10));
            NDArray flat = manager.zeros(new Shape(2, 10));

            assertThat(OutlierLoss.energy(flat).toFloatArray()[0]).isCloseTo((float) -Math.log(10), within(1e-6f));
            assertThat(OutlierLoss.ENERGY_MARGIN.evaluate(flat, sureDigit).getFloat()).isZero();
            // a flat digit: energy -log 10 against the margin -15; a sure outlier: energy ~ -30 against -5
            double digitShortfall = -Math.log(10) - OutlierLoss.DIGIT_ENERGY_MARGIN;
            double outlierShortfall = OutlierLoss.OUTLIER_ENERGY_MARGIN + 30;
            assertThat((double) OutlierLoss.ENERGY_MARGIN.evaluate(sureDigit, flat).getFloat())
                    .isCloseTo(digitShortfall * digitShortfall + outlierShortfall * outlierShortfall, within(1e-2));
        }
    }
}

package io.digitstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OodScoreTest {

    private static final float[] PROBABILITIES = {0.5f, 0.25f, 0.25f, 0, 0, 0, 0, 0, 0, 0};
    private static final float[] LOGITS = {2, 1, 1, -3, -3, -3, -3, -3, -3, -3};

    @Test
    void eachScoreIsItsFormula() {
        double logSumExp = Math.log(Math.exp(2) + 2 * Math.exp(1) + 7 * Math.exp(-3));

        assertThat(OodScore.ENERGY.of(PROBABILITIES, LOGITS)).isCloseTo(-logSumExp, within(1e-12));
        assertThat(OodScore.MAX_LOGIT.of(PROBABILITIES, LOGITS)).isEqualTo(-2.0);
        assertThat(OodScore.MSP.of(PROBABILITIES, LOGITS)).isEqualTo(-0.5);
        assertThat(OodScore.MSP.of(PROBABILITIES, null)).isEqualTo(-0.5);
    }

    @Test
    void energyStaysFiniteForLogitsWhoseExponentOverflows() {
        float[] large = {1000, 1000, 0, 0, 0, 0, 0, 0, 0, 0};

        assertThat(OodScore.ENERGY.of(new float[10], large)).isCloseTo(-1000 - Math.log(2), within(1e-9));
    }

    @Test
    void aScoreOfTheLogitsNeedsThem() {
        assertThatThrownBy(() -> OodScore.ENERGY.of(PROBABILITIES, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("energy score needs");
        assertThat(OodScore.MAX_LOGIT.needsLogits()).isTrue();
        assertThat(OodScore.MSP.needsLogits()).isFalse();
    }

    @Test
    void scoresGoByTheirMetadataNames() {
        assertThat(OodScore.named("energy")).isEqualTo(OodScore.ENERGY);
        assertThat(OodScore.named("max-logit")).isEqualTo(OodScore.MAX_LOGIT);
        assertThat(OodScore.named("msp")).isEqualTo(OodScore.MSP);
        assertThatThrownBy(() -> OodScore.named("mahalanobis"))
                .hasMessage("unknown OOD score 'mahalanobis'; known: energy, max-logit, msp, in-graph");
    }

    @Test
    void rejectionIsAScoreStrictlyAboveTheThreshold() {
        Prediction p = new Prediction(0, 0.5f, PROBABILITIES, 1.25);

        assertThat(p.rejectedAt(1.0)).isTrue();
        assertThat(p.rejectedAt(1.25)).isFalse();
        assertThat(p.rejectedAt(2.0)).isFalse();
        assertThat(p.rejectedAt(Double.NaN)).as("no threshold").isFalse();
    }

    @Test
    void aPredictionMadeFromProbabilitiesAloneIsScoredMsp() {
        assertThat(Prediction.fromProbabilities(PROBABILITIES).oodScore()).isEqualTo(-0.5);
        assertThat(new Prediction(0, 0.5f, PROBABILITIES).oodScore()).isEqualTo(-0.5);
    }
}

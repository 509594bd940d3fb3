package io.digitstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

    private final ModelMetadata metadata = TemplateDigitModels.metadata(TemplateDigitModels.checkDigits());

    @Test
    void propertiesRoundTripToEqualMetadata() {
        assertThat(ModelMetadata.fromProperties(metadata.toProperties())).isEqualTo(metadata);
    }

    @Test
    void everyPropertyKeyCarriesTheProjectPrefix() {
        assertThat(metadata.toProperties().keySet()).hasSize(10).allMatch(k -> k.startsWith("digitstream."));
    }

    @Test
    void checkDigitsTravelAsLabelAndBase64Pixels() {
        assertThat(metadata.toProperties().get(ModelMetadata.KEY_CHECK_DIGITS))
                .startsWith("[{\"label\":0,\"pixels\":\"")
                .contains(new CheckDigit(7, TemplateDigitModels.glyph(7)).pixelsBase64());
    }

    @Test
    void missingKeyIsNamed() {
        Map<String, String> props = new HashMap<>(metadata.toProperties());
        props.remove(ModelMetadata.KEY_TRAINED_AT);

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ModelMetadata.KEY_TRAINED_AT);
    }

    @Test
    void malformedValueIsNamed() {
        Map<String, String> props = new HashMap<>(metadata.toProperties());
        props.put(ModelMetadata.KEY_TEST_ACCURACY, "high");

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props))
                .hasMessageContaining(ModelMetadata.KEY_TEST_ACCURACY)
                .hasMessageContaining("high");
    }

    @Test
    void foreignModelIsRecognisedAsSuch() {
        assertThatThrownBy(() -> ModelMetadata.fromProperties(Map.of("author", "someone")))
                .hasMessageContaining("not a digit-stream model");
    }

    @Test
    void oodScoreAndThresholdRoundTripAndAreLeftOutAtTheirDefaults() {
        ModelMetadata withOod = metadata.withOod(OodScore.ENERGY, -7.25);

        assertThat(withOod.toProperties()).containsEntry(ModelMetadata.KEY_OOD_SCORE, "energy")
                .containsEntry(ModelMetadata.KEY_OOD_THRESHOLD, "-7.25");
        assertThat(ModelMetadata.fromProperties(withOod.toProperties())).isEqualTo(withOod);
        assertThat(metadata.toProperties()).doesNotContainKeys(ModelMetadata.KEY_OOD_SCORE,
                ModelMetadata.KEY_OOD_THRESHOLD);
        assertThat(metadata.oodScore()).isEqualTo(OodScore.MSP);
        assertThat(metadata.oodThreshold()).isNaN();
        ModelMetadata mspWithThreshold = metadata.withOod(OodScore.MSP, -0.5);
        assertThat(mspWithThreshold.toProperties()).doesNotContainKey(ModelMetadata.KEY_OOD_SCORE)
                .containsEntry(ModelMetadata.KEY_OOD_THRESHOLD, "-0.5");
        assertThat(ModelMetadata.fromProperties(mspWithThreshold.toProperties())).isEqualTo(mspWithThreshold);
    }

    @Test
    void anUnknownOodScoreIsNamed() {
        Map<String, String> props = new HashMap<>(metadata.toProperties());
        props.put(ModelMetadata.KEY_OOD_SCORE, "odin");

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props))
                .hasMessage("ood.score: unknown OOD score 'odin'; known: energy, max-logit, msp, in-graph");
    }

    @Test
    void anOodThresholdMustBeAFiniteNumber() {
        for (String bad : new String[] {"low", "NaN", "Infinity"}) {
            Map<String, String> props = new HashMap<>(metadata.toProperties());
            props.put(ModelMetadata.KEY_OOD_THRESHOLD, bad);

            assertThatThrownBy(() -> ModelMetadata.fromProperties(props)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ModelMetadata.KEY_OOD_THRESHOLD).hasMessageContaining(bad);
        }
    }

    @Test
    void unknownFormatIsRefused() {
        Map<String, String> props = new HashMap<>(metadata.toProperties());
        props.put(ModelMetadata.KEY_METADATA_FORMAT, "2");

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props)).hasMessageContaining("unsupported");
    }
}

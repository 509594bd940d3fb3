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
    void unknownFormatIsRefused() {
        Map<String, String> props = new HashMap<>(metadata.toProperties());
        props.put(ModelMetadata.KEY_METADATA_FORMAT, "2");

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props)).hasMessageContaining("unsupported");
    }
}

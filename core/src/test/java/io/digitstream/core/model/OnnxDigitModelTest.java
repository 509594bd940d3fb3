package io.digitstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.contract.DigitShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxDigitModelTest {

    private static final ModelMetadata METADATA = TemplateDigitModels.metadata(TemplateDigitModels.checkDigits());

    @TempDir
    Path dir;

    @Test
    void loadsFileReportingItsMetadataAndSha256() throws Exception {
        byte[] bytes = TemplateDigitModels.modelBytes(METADATA);
        Path file = Files.write(dir.resolve("model.onnx"), bytes);

        try (OnnxDigitModel model = OnnxDigitModel.load(file)) {
            assertThat(model.metadata()).isEqualTo(METADATA);
            assertThat(model.sha256())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
    }

    @Test
    void predictsEachGlyphAsItsDigit() {
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytes(METADATA))) {
            for (int d = 0; d < 10; d++) {
                Prediction prediction = model.predict(new CheckDigit(d, TemplateDigitModels.glyph(d)).normalizedPixels());

                assertThat(prediction.digit()).isEqualTo(d);
                assertThat(prediction.confidence()).isGreaterThan(0.5f);
                assertThat(sum(prediction.probabilities())).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void batchAgreesWithSingleImagesAndMayUseALargerBuffer() {
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytes(METADATA), 2)) {
            float[] buffer = new float[16 * DigitShape.PIXELS];
            for (int d = 0; d < 10; d++) {
                float[] image = new CheckDigit(d, TemplateDigitModels.glyph(d)).normalizedPixels();
                System.arraycopy(image, 0, buffer, d * DigitShape.PIXELS, DigitShape.PIXELS);
            }

            float[][] batch = model.probabilities(buffer, 10);

            assertThat(batch).hasNumberOfRows(10);
            for (int d = 0; d < 10; d++) {
                float[] single = model.predict(new CheckDigit(d, TemplateDigitModels.glyph(d)).normalizedPixels())
                        .probabilities();
                assertThat(batch[d]).containsExactly(single, within(1e-6f));
            }
        }
    }

    @Test
    void rejectsBuffersTooShortForTheCount() {
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytes(METADATA))) {
            assertThatThrownBy(() -> model.probabilities(new float[DigitShape.PIXELS], 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2 images need 1568 floats");
            assertThatThrownBy(() -> model.predict(new float[100])).hasMessageContaining("784 pixels");
        }
    }

    @Test
    void selfCheckPassesWhenEveryCheckDigitIsRight() {
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytes(METADATA))) {
            assertThat(model.selfCheck()).isEqualTo(10);
        }
    }

    @Test
    void selfCheckFailsNamingAWronglyLabelledCheckDigit() {
        List<CheckDigit> digits = new ArrayList<>(TemplateDigitModels.checkDigits());
        digits.set(3, new CheckDigit(8, TemplateDigitModels.glyph(3)));
        byte[] bytes = TemplateDigitModels.modelBytes(TemplateDigitModels.metadata(digits));

        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(bytes)) {
            assertThatThrownBy(model::selfCheck)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed its self-check on 1 of 10")
                    .hasMessageContaining("#3 labelled 8 was classified as 3");
        }
    }

    @Test
    void selfCheckFailsWithoutCheckDigits() {
        byte[] bytes = TemplateDigitModels.modelBytes(TemplateDigitModels.metadata(List.of()));

        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(bytes)) {
            assertThatThrownBy(model::selfCheck).hasMessageContaining("carries no check digits");
        }
    }

    @Test
    void refusesAModelWhoseInputBreaksTheContract() {
        byte[] bytes = TemplateDigitModels.modelBytes("x", METADATA);

        assertThatThrownBy(() -> OnnxDigitModel.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one input 'pixels' float32 [N,784]")
                .hasMessageContaining("{x FLOAT[-1, 784]}");
    }

    @Test
    void refusesBytesThatAreNoModelNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.onnx"), "not a model");

        assertThatThrownBy(() -> OnnxDigitModel.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.onnx")
                .hasMessageContaining("ONNX Runtime cannot load model");
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}

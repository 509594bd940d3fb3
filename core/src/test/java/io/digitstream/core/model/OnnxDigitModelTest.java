package io.digitstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.contract.DigitShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void threadsClassifyingAtTheSameTimeEachGetTheirOwnImages() throws Exception {
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytes(METADATA))) {
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<Integer>>> answers = new ArrayList<>();
                for (int digit : new int[] {3, 8}) {
                    float[] image = new CheckDigit(digit, TemplateDigitModels.glyph(digit)).normalizedPixels();
                    // batches of different sizes, so that each thread's input buffer also grows and shrinks
                    answers.add(threads.submit(() -> {
                        List<Integer> digits = new ArrayList<>();
                        for (int round = 0; round < 300; round++) {
                            int count = 1 + round % 5;
                            float[] batch = new float[count * DigitShape.PIXELS];
                            for (int i = 0; i < count; i++) {
                                System.arraycopy(image, 0, batch, i * DigitShape.PIXELS, DigitShape.PIXELS);
                            }
                            model.predictions(batch, count).forEach(p -> digits.add(p.digit()));
                        }
                        return digits;
                    }));
                }

                assertThat(answers.get(0).get(30, TimeUnit.SECONDS)).hasSize(900).containsOnly(3);
                assertThat(answers.get(1).get(30, TimeUnit.SECONDS)).hasSize(900).containsOnly(8);
            } finally {
                threads.shutdownNow();
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

    @Test
    void aModelWithoutLogitsOrOodMetadataScoresMspAndRejectsNothing() {
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytes(METADATA))) {
            assertThat(model.hasLogits()).isFalse();
            assertThat(model.metadata().oodScore()).isEqualTo(OodScore.MSP);
            assertThat(model.metadata().hasOodThreshold()).isFalse();
            for (int d = 0; d < 10; d++) {
                Prediction p = model.predict(new CheckDigit(d, TemplateDigitModels.glyph(d)).normalizedPixels());

                assertThat(p.oodScore()).isEqualTo(-(double) p.confidence());
                assertThat(p.rejectedAt(model.metadata().oodThreshold())).isFalse();
            }
        }
    }

    /** Logits 0 (nine times) and ln 91: probabilities 0.01 and 0.91, log-sum-exp ln 100. */
    @Test
    void scoresAreTheDocumentedFunctionsOfTheOutputs() {
        float[] logits = new float[10];
        logits[9] = (float) Math.log(91);
        double energy = -Math.log(100);
        double maxLogit = -Math.log(91);
        double msp = -0.91;

        assertThat(constantPrediction(logits, true, OodScore.ENERGY).oodScore()).isCloseTo(energy, within(1e-6));
        assertThat(constantPrediction(logits, true, OodScore.MAX_LOGIT).oodScore()).isCloseTo(maxLogit, within(1e-6));
        assertThat(constantPrediction(logits, true, OodScore.MSP).oodScore()).isCloseTo(msp, within(1e-6));
        Prediction withoutLogits = constantPrediction(logits, false, OodScore.MSP);
        assertThat(withoutLogits.oodScore()).isCloseTo(msp, within(1e-6));
        assertThat(withoutLogits.digit()).isEqualTo(9);
        assertThat(withoutLogits.confidence()).isCloseTo(0.91f, within(1e-6f));
    }

    @Test
    void energySeparatesGlyphsFromInkThatIsNoDigit() {
        ModelMetadata metadata = METADATA.withOod(OodScore.ENERGY, 0.0);
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytesWithLogits(metadata))) {
            assertThat(model.hasLogits()).isTrue();
            assertThat(model.metadata()).isEqualTo(metadata);
            assertThat(model.selfCheck()).isEqualTo(10);
            Prediction seven = model.predict(new CheckDigit(7, TemplateDigitModels.glyph(7)).normalizedPixels());
            Prediction blot = model.predict(new CheckDigit(0, TemplateDigitModels.cornerBlot()).normalizedPixels());

            // the 7's own logit is half its 99 ink pixels, and no other glyph comes near: -logsumexp = -49.5
            assertThat(seven.oodScore()).isCloseTo(-49.5, within(1e-4));
            assertThat(seven.rejectedAt(0.0)).isFalse();
            // no glyph overlaps the blot, so each logit is minus half that glyph's ink; the 1's 90 pixels lead
            assertThat(blot.oodScore()).isCloseTo(44.98895, within(1e-4));
            assertThat(blot.digit()).isEqualTo(1);
            assertThat(blot.confidence()).isGreaterThan(0.98f);
            assertThat(blot.rejectedAt(0.0)).isTrue();
        }
    }

    @Test
    void batchPredictionsAgreeWithSingleOnesAndWithTheProbabilities() {
        ModelMetadata metadata = METADATA.withOod(OodScore.MAX_LOGIT, 0.0);
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(TemplateDigitModels.modelBytesWithLogits(metadata))) {
            float[] buffer = new float[12 * DigitShape.PIXELS];
            for (int d = 0; d < 10; d++) {
                float[] image = new CheckDigit(d, TemplateDigitModels.glyph(d)).normalizedPixels();
                System.arraycopy(image, 0, buffer, d * DigitShape.PIXELS, DigitShape.PIXELS);
            }
            float[] blot = new CheckDigit(0, TemplateDigitModels.cornerBlot()).normalizedPixels();
            System.arraycopy(blot, 0, buffer, 10 * DigitShape.PIXELS, DigitShape.PIXELS);

            List<Prediction> batch = model.predictions(buffer, 11);
            float[][] probabilities = model.probabilities(buffer, 11);

            assertThat(batch).hasSize(11);
            for (int i = 0; i < 11; i++) {
                float[] image = Arrays.copyOfRange(buffer, i * DigitShape.PIXELS, (i + 1) * DigitShape.PIXELS);
                Prediction single = model.predict(image);
                assertThat(batch.get(i).digit()).isEqualTo(single.digit());
                assertThat(batch.get(i).oodScore()).isCloseTo(single.oodScore(), within(1e-4));
                assertThat(batch.get(i).probabilities()).containsExactly(probabilities[i], within(1e-6f));
            }
            assertThat(batch.subList(0, 10)).noneMatch(p -> p.rejectedAt(0.0));
            assertThat(batch.get(10).rejectedAt(0.0)).isTrue();
        }
    }

    @Test
    void refusesAScoreThatNeedsLogitsTheModelDoesNotHave() {
        byte[] bytes = TemplateDigitModels.modelBytes(METADATA.withOod(OodScore.ENERGY, 1.5));

        assertThatThrownBy(() -> OnnxDigitModel.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ood.score 'energy', which needs an output 'logits' float32 [N,10]")
                .hasMessageContaining("{probabilities FLOAT[-1, 10]}");
    }

    @Test
    void refusesLogitsThatBreakTheContract() {
        byte[] bytes = TemplateDigitModels.modelBytesWithMisshapedLogits(METADATA);

        assertThatThrownBy(() -> OnnxDigitModel.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optional output 'logits' must be float32 [N,10]")
                .hasMessageContaining("logits FLOAT[-1, 784]");
    }

    /** The one prediction of a model that answers {@code logits} whatever it is shown. */
    private static Prediction constantPrediction(float[] logits, boolean withLogitsOutput, OodScore score) {
        byte[] bytes = TemplateDigitModels.constantModelBytes(logits, withLogitsOutput,
                METADATA.withOod(score, Double.NaN));
        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(bytes)) {
            return model.predict(new float[DigitShape.PIXELS]);
        }
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}

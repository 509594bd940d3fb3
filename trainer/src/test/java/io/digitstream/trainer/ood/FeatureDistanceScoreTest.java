package io.digitstream.trainer.ood;

import static io.digitstream.contract.DigitShape.PIXELS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.OodScore;
import io.digitstream.core.model.Prediction;
import io.digitstream.core.model.TemplateDigitModels;
import io.digitstream.trainer.data.DigitArrays;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureDistanceScoreTest {

    private static final ModelMetadata METADATA = TemplateDigitModels.metadata(TemplateDigitModels.checkDigits());
    /** The template classifier's logits come from one Gemm on the pixels: its features are the pixels themselves. */
    private static final byte[] TEMPLATE = TemplateDigitModels.modelBytesWithLogits(METADATA);

    /** Each digit's glyph with a random share of its ink faded and speckles of noise: a digit class with spread. */
    private static DigitArrays noisyGlyphs(int perDigit, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[10 * perDigit * PIXELS];
        int[] labels = new int[10 * perDigit];
        for (int i = 0; i < labels.length; i++) {
            int digit = i % 10;
            byte[] glyph = TemplateDigitModels.glyph(digit);
            for (int p = 0; p < PIXELS; p++) {
                float ink = (glyph[p] & 0xFF) / 255f;
                pixels[i * PIXELS + p] = Math.min(1f, ink * (float) (0.6 + 0.4 * random.nextDouble())
                        + (random.nextDouble() < 0.05 ? (float) (0.3 * random.nextDouble()) : 0f));
            }
            labels[i] = digit;
        }
        return new DigitArrays(pixels, labels);
    }

    @Test
    void scoresAreCentredOnTheValidationDigitsAndFarHigherOffThem() {
        DigitArrays validation = noisyGlyphs(40, 2);
        FeatureDistanceScore score = FeatureDistanceScore.fit(TEMPLATE, noisyGlyphs(200, 1), validation);
        byte[] scored = score.addTo(TEMPLATE);

        assertThat(score.featureTensor()).isEqualTo(OnnxDigitModel.INPUT_NAME);
        assertThat(score.dimensions()).isEqualTo(PIXELS);
        // the sum of two scores each scaled to mean 0 over the validation digits
        double[] digits = FeatureDistanceScore.scores(scored, validation.pixels());
        assertThat(Arrays.stream(digits).average().orElseThrow()).isCloseTo(0.0, within(1e-3));

        float[] blot = new float[PIXELS];
        byte[] blotBytes = TemplateDigitModels.cornerBlot();
        for (int p = 0; p < PIXELS; p++) {
            blot[p] = (blotBytes[p] & 0xFF) / 255f;
        }
        double blotScore = FeatureDistanceScore.scores(scored, blot)[0];
        assertThat(blotScore).isGreaterThan(Arrays.stream(digits).max().orElseThrow() + 5);
    }

    @Test
    void theClassifierReadsTheScoreFromTheGraphAndRejectsAboveTheThreshold() {
        FeatureDistanceScore score = FeatureDistanceScore.fit(TEMPLATE, noisyGlyphs(200, 1), noisyGlyphs(40, 2));
        byte[] scored = score.addTo(TEMPLATE);
        DigitArrays digits = noisyGlyphs(3, 3);
        double[] expected = FeatureDistanceScore.scores(scored, digits.pixels());
        byte[] withMetadata = io.digitstream.trainer.export.OnnxExporter.withProperties(scored,
                java.util.Map.of(ModelMetadata.KEY_OOD_SCORE, OodScore.IN_GRAPH.id(), ModelMetadata.KEY_OOD_THRESHOLD, "4"));

        try (OnnxDigitModel model = OnnxDigitModel.fromBytes(withMetadata)) {
            assertThat(model.metadata().oodScore()).isEqualTo(OodScore.IN_GRAPH);
            List<Prediction> predictions = model.predictions(digits.pixels(), digits.size());
            for (int i = 0; i < predictions.size(); i++) {
                assertThat(predictions.get(i).oodScore()).isCloseTo(expected[i], within(1e-6));
                assertThat(predictions.get(i).digit()).isEqualTo(digits.labels()[i]);
            }
            assertThat(model.selfCheck()).isEqualTo(10);
        }
    }

    @Test
    void aScoredModelIsScoredAgainInPlaceOfItsScore() {
        DigitArrays train = noisyGlyphs(200, 1);
        DigitArrays validation = noisyGlyphs(40, 2);
        byte[] once = FeatureDistanceScore.fit(TEMPLATE, train, validation).addTo(TEMPLATE);
        // fitted on the scored model, written into it: ONNX would refuse the score's nodes twice
        byte[] twice = FeatureDistanceScore.fit(once, train, validation).addTo(once);

        OnnxMl.GraphProto graph = parse(twice).getGraph();
        assertThat(graph.getOutputList()).filteredOn(o -> o.getName().equals(OnnxDigitModel.OOD_SCORE_NAME))
                .hasSize(1);
        assertThat(graph.getNodeCount()).isEqualTo(parse(once).getGraph().getNodeCount());
        assertThat(FeatureDistanceScore.withoutScore(twice)).isEqualTo(FeatureDistanceScore.withoutScore(once));
        DigitArrays digits = noisyGlyphs(3, 3);
        assertThat(FeatureDistanceScore.scores(twice, digits.pixels()))
                .containsExactly(FeatureDistanceScore.scores(once, digits.pixels()), within(1e-4));
    }

    private static OnnxMl.ModelProto parse(byte[] model) {
        try {
            return OnnxMl.ModelProto.parseFrom(model);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aModelThatNamesTheInGraphScoreWithoutTheOutputIsRefused() {
        byte[] unscored = TemplateDigitModels.modelBytesWithLogits(METADATA.withOod(OodScore.IN_GRAPH, 1.0));

        assertThatThrownBy(() -> OnnxDigitModel.fromBytes(unscored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'in-graph'").hasMessageContaining("'ood_score' float32 [N,1]");
    }

    @Test
    void theFeaturesAreTheLastDenseLayersInputBeforeItsRelu() {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .addNode(node("Gemm", "pixels", "hidden"))
                .addNode(node("BatchNormalization", "hidden", "hidden_bn"))
                .addNode(node("Relu", "hidden_bn", "hidden_relu"))
                .addNode(node("Gemm", "hidden_relu", "dense"))
                .addNode(node("Identity", "dense", "logits"))
                .build();

        assertThat(FeatureDistanceScore.featureTensor(graph)).isEqualTo("hidden_bn");
        assertThatThrownBy(() -> FeatureDistanceScore.featureTensor(OnnxMl.GraphProto.newBuilder()
                .addNode(node("Relu", "pixels", "logits")).build()))
                .hasMessageContaining("does not come from a dense (Gemm) layer");
    }

    private static OnnxMl.NodeProto node(String op, String input, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).addInput(input).addOutput(output).build();
    }
}

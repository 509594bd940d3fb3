package io.digitstream.trainer.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.digitstream.core.model.CheckDigit;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.TemplateDigitModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotDigitScorerTest {

    @TempDir
    Path dir;

    @Test
    void scoresFollowTheSharedDefinitions() {
        float[] probabilities = {0.05f, 0.9f, 0.05f, 0, 0, 0, 0, 0, 0, 0};
        float[] logits = {0, (float) Math.log(3), -100, -100, -100, -100, -100, -100, -100, -100};

        assertThat(NotDigitScorer.score(NotDigitScorer.Method.MSP, probabilities, null)).isCloseTo(-0.9, within(1e-6));
        assertThat(NotDigitScorer.score(NotDigitScorer.Method.MAX_LOGIT, probabilities, logits))
                .isCloseTo(-Math.log(3), within(1e-6));
        assertThat(NotDigitScorer.score(NotDigitScorer.Method.ENERGY, probabilities, logits))
                .isCloseTo(-Math.log(4), within(1e-6));
        // logsumexp stays finite where exp would overflow
        float[] large = {1000, 1000, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(NotDigitScorer.score(NotDigitScorer.Method.ENERGY, probabilities, large))
                .isCloseTo(-(1000 + Math.log(2)), within(1e-6));
    }

    @Test
    void aModelWithoutOodMetadataGetsMspAndNoThreshold() throws Exception {
        Path file = write(TemplateDigitModels.modelBytes(TemplateDigitModels.metadata(TemplateDigitModels.checkDigits())));
        try (OnnxDigitModel model = OnnxDigitModel.load(file);
             NotDigitScorer scorer = NotDigitScorer.open(file, model, 1)) {

            assertThat(scorer.method()).isEqualTo(NotDigitScorer.Method.MSP);
            assertThat(scorer.threshold()).isEmpty();
            float[] glyph = new CheckDigit(3, TemplateDigitModels.glyph(3)).normalizedPixels();
            NotDigitScorer.Scored scored = scorer.run(glyph, 1);
            float best = 0;
            for (float p : scored.probabilities()[0]) {
                best = Math.max(best, p);
            }
            assertThat(scored.scores()[0]).isEqualTo(-best);
        }
    }

    @Test
    void energyComesFromTheLogitsOutputAndTheThresholdFromTheMetadata() throws Exception {
        Path file = write(withLogits(Map.of(NotDigitScorer.KEY_SCORE, "energy", NotDigitScorer.KEY_THRESHOLD, "-7.25")));
        try (OnnxDigitModel model = OnnxDigitModel.load(file);
             NotDigitScorer scorer = NotDigitScorer.open(file, model, 1)) {

            assertThat(scorer.method()).isEqualTo(NotDigitScorer.Method.ENERGY);
            assertThat(scorer.threshold()).hasValue(-7.25);
            float[] glyphs = new float[2 * 784];
            System.arraycopy(new CheckDigit(5, TemplateDigitModels.glyph(5)).normalizedPixels(), 0, glyphs, 0, 784);
            System.arraycopy(new CheckDigit(8, TemplateDigitModels.glyph(8)).normalizedPixels(), 0, glyphs, 784, 784);
            NotDigitScorer.Scored scored = scorer.run(glyphs, 2);

            for (int i = 0; i < 2; i++) {
                double[] logits = templateLogits(glyphs, i);
                double max = java.util.Arrays.stream(logits).max().orElseThrow();
                double sum = java.util.Arrays.stream(logits).map(l -> Math.exp(l - max)).sum();
                assertThat(scored.scores()[i]).isCloseTo(-(max + Math.log(sum)), within(1e-3));
            }
            assertThat(scored.probabilities()[1][8]).isGreaterThan(0.5f);
        }
    }

    @Test
    void refusesMetadataItCannotHonour() throws Exception {
        Path noLogits = write(withMetadata(TemplateDigitModels.modelBytes(
                TemplateDigitModels.metadata(TemplateDigitModels.checkDigits())), Map.of(NotDigitScorer.KEY_SCORE, "energy")));
        Path badThreshold = write(withLogits(Map.of(NotDigitScorer.KEY_THRESHOLD, "high")));
        Path unknown = write(withLogits(Map.of(NotDigitScorer.KEY_SCORE, "entropy")));

        for (Path file : new Path[] {noLogits, badThreshold, unknown}) {
            // refused when the model loads or when its scorer opens, whichever checks first
            assertThatThrownBy(() -> {
                try (OnnxDigitModel model = OnnxDigitModel.load(file);
                     NotDigitScorer scorer = NotDigitScorer.open(file, model, 1)) {
                    scorer.method();
                }
            }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ood");
        }
    }

    /** The template model's pre-softmax scores for image {@code i}: x . T - |T|^2 / 2. */
    private static double[] templateLogits(float[] images, int i) {
        double[] logits = new double[10];
        for (int d = 0; d < 10; d++) {
            float[] t = new CheckDigit(d, TemplateDigitModels.glyph(d)).normalizedPixels();
            for (int p = 0; p < 784; p++) {
                logits[d] += images[i * 784 + p] * t[p] - t[p] * t[p] / 2;
            }
        }
        return logits;
    }

    /** The template model with a second output 'logits' (the Gemm before the softmax) and extra metadata. */
    private static byte[] withLogits(Map<String, String> props) throws Exception {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(TemplateDigitModels.modelBytes(
                TemplateDigitModels.metadata(TemplateDigitModels.checkDigits()))).toBuilder();
        OnnxMl.GraphProto.Builder graph = model.getGraphBuilder();
        String gemm = graph.getNodeList().stream().filter(n -> n.getOpType().equals("Gemm")).findFirst().orElseThrow()
                .getOutput(0);
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("logits_out").addInput(gemm)
                .addOutput(NotDigitScorer.LOGITS_OUTPUT));
        graph.addOutput(graph.getOutput(0).toBuilder().setName(NotDigitScorer.LOGITS_OUTPUT));
        return withMetadata(model.build().toByteArray(), props);
    }

    private static byte[] withMetadata(byte[] bytes, Map<String, String> props) throws Exception {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(bytes).toBuilder();
        props.forEach((k, v) -> model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    private Path write(byte[] model) throws Exception {
        return Files.write(Files.createTempFile(dir, "model", ".onnx"), model);
    }
}

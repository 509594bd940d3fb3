package io.digitstream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.OodScore;
import io.digitstream.core.model.Prediction;
import io.digitstream.trainer.data.DigitArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quantizer on the shipped model's float32 source (CNN with batch norms and the in-graph not-a-digit score). */
class Int8QuantizerTest {

    /** The float32 model the shipped int8 one was made from; the trainer's tests run in trainer/. */
    private static final Path FLOAT32_MODEL =
            Path.of("..", "models", "digits-cnn-float32.onnx").toAbsolutePath().normalize();
    private static final DigitArrays TEST = DigitArrays.from(MnistSamples.test500());

    private static byte[] original;
    private static byte[] quantized;

    @TempDir
    Path dir;

    @BeforeAll
    static void quantizeOnce() throws Exception {
        original = Files.readAllBytes(FLOAT32_MODEL);
        quantized = Int8Quantizer.quantize(original, DigitArrays.from(MnistSamples.train1000()).pixels());
    }

    @Test
    void foldingTheBatchNormsKeepsEveryOutputUpToFloatRounding() {
        byte[] folded = Int8Quantizer.foldBatchNorms(original);

        assertThat(ops(folded)).doesNotContain("BatchNormalization");
        assertThat(ops(original)).filteredOn("BatchNormalization"::equals).hasSize(5);
        OnnxModelOutputs.Outputs before = run(original);
        OnnxModelOutputs.Outputs after = run(folded);
        assertThat(maxDifference(before.logits(), after.logits())).isLessThan(1e-4);
        assertThat(maxDifference(before.probabilities(), after.probabilities())).isLessThan(1e-5);
        for (int i = 0; i < TEST.size(); i++) {
            assertThat(Math.abs(after.oodScores()[i] - before.oodScores()[i])).isLessThan(1e-4);
        }
    }

    @Test
    void theInt8ModelMeetsTheContractAndKeepsTheScoreAndTheMetadata() {
        try (OnnxModelOutputs float32 = OnnxModelOutputs.fromBytes(original, 1);
             OnnxModelOutputs int8 = OnnxModelOutputs.fromBytes(quantized, 1);
             OnnxDigitModel model = OnnxDigitModel.fromBytes(quantized)) {
            assertThat(int8.metadata()).isEqualTo(float32.metadata());
            assertThat(int8.hasLogits()).isTrue();
            assertThat(int8.hasOodScore()).isTrue();
            assertThat(model.metadata().oodScore()).isEqualTo(OodScore.IN_GRAPH);
            assertThat(model.selfCheck()).isEqualTo(10);
        }
    }

    @Test
    void theLayersAfterTheFirstHoldInt8WeightsAndTheScoreNodesAreUntouched() {
        OnnxMl.GraphProto before = parse(original).getGraph();
        OnnxMl.GraphProto after = parse(quantized).getGraph();

        Predicate<OnnxMl.NodeProto> score = n -> n.getName().startsWith("ood_");
        assertThat(after.getNodeList().stream().filter(score).toList())
                .isEqualTo(before.getNodeList().stream().filter(score).toList());
        assertThat(after.getInitializerList().stream().filter(t -> t.getName().startsWith("ood_")).toList())
                .isEqualTo(before.getInitializerList().stream().filter(t -> t.getName().startsWith("ood_")).toList());
        assertThat(after.getOutputList()).isEqualTo(before.getOutputList());
        // 3 Conv + 2 Gemm read int8 weights, through QDQ pairs on the 4 ReLU outputs they read, 2 pools and the flatten;
        // the first Conv (one input channel) stays float32
        assertThat(after.getInitializerList()).filteredOn(
                t -> t.getDataType() == OnnxMl.TensorProto.DataType.INT8.getNumber() && t.getDimsCount() > 1).hasSize(5);
        assertThat(after.getInitializerList()).filteredOn(
                t -> t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber() && t.getDimsCount() > 1)
                .extracting(OnnxMl.TensorProto::getName).allMatch(name -> name.startsWith("ood_") || name.startsWith("l01_"));
        assertThat(ops(quantized)).filteredOn("QuantizeLinear"::equals).hasSize(8);
        assertThat(ops(quantized)).doesNotContain("BatchNormalization");
    }

    @Test
    void onnxRuntimeRunsEveryQuantizedLayerOnAnIntegerKernel() throws Exception {
        Path optimized = dir.resolve("optimized.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // the level OnnxDigitModel runs at: ONNX Runtime's default
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            // quiet: ONNX Runtime warns that a model optimised at this level is meant for this machine only
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            OrtEnvironment.getEnvironment().createSession(quantized, options).close();
        }

        Map<String, Long> counts = ops(Files.readAllBytes(optimized)).stream()
                .collect(Collectors.groupingBy(op -> op, Collectors.counting()));
        assertThat(counts).containsEntry("QLinearConv", 3L).containsEntry("QGemm", 2L).containsEntry("Conv", 1L)
                .doesNotContainKeys("Gemm", "DequantizeLinear");
    }

    @Test
    void theInt8ModelClassifiesAlmostEveryDigitAsFloat32DoesWithCloseNotADigitScores() {
        MnistDataset digits = MnistSamples.test500();
        try (OnnxDigitModel float32 = OnnxDigitModel.fromBytes(original);
             OnnxDigitModel int8 = OnnxDigitModel.fromBytes(quantized)) {
            List<Prediction> before = float32.predictions(TEST.pixels(), TEST.size());
            List<Prediction> after = int8.predictions(TEST.pixels(), TEST.size());
            int agree = 0;
            int correctBefore = 0;
            int correctAfter = 0;
            double scoreDifference = 0;
            for (int i = 0; i < TEST.size(); i++) {
                agree += before.get(i).digit() == after.get(i).digit() ? 1 : 0;
                correctBefore += before.get(i).digit() == digits.label(i) ? 1 : 0;
                correctAfter += after.get(i).digit() == digits.label(i) ? 1 : 0;
                scoreDifference += Math.abs(before.get(i).oodScore() - after.get(i).oodScore());
            }
            assertThat(agree).isGreaterThanOrEqualTo(497);
            assertThat(correctAfter).isGreaterThanOrEqualTo(correctBefore - 2);
            // the shipped threshold is 4.53, on a score whose two parts each have spread 1 over validation digits
            assertThat(scoreDifference / TEST.size()).isLessThan(0.2);
        }
    }

    @Test
    void calibrationNeedsWholeImages() {
        assertThatThrownBy(() -> Int8Quantizer.quantize(original, new float[100]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole images of 784 pixels");
    }

    @Test
    void anInt8ModelIsNotQuantizedTwice() {
        assertThatThrownBy(() -> Int8Quantizer.quantize(quantized, new float[10 * 784]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no constant weights to quantize");
    }

    @Test
    void anActivationRangeHoldsZeroSoThatZeroIsExact() {
        Int8Quantizer.Range relu = new Int8Quantizer.Range(0.5f, 2.55f);
        Int8Quantizer.Range signed = new Int8Quantizer.Range(-1f, 3f);

        assertThat(relu.min()).isZero();
        assertThat(relu.zeroPoint()).isZero();
        assertThat(relu.scale()).isCloseTo(0.01f, within(1e-7f));
        assertThat(signed.zeroPoint()).isEqualTo(64);
        assertThat(new Int8Quantizer.Range(0f, 0f).scale()).isEqualTo(1f);
    }

    private static OnnxModelOutputs.Outputs run(byte[] model) {
        try (OnnxModelOutputs outputs = OnnxModelOutputs.fromBytes(model, 1)) {
            return outputs.run(TEST.pixels());
        }
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    private static List<String> ops(byte[] model) {
        return parse(model).getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
    }

    private static OnnxMl.ModelProto parse(byte[] model) {
        try {
            return OnnxMl.ModelProto.parseFrom(model);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

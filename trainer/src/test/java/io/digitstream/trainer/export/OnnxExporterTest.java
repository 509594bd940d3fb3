package io.digitstream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.CheckDigit;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.data.AffineAugmentation;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.ood.OodCalibration;
import io.digitstream.trainer.train.DigitTrainer;
import io.digitstream.trainer.train.TrainingOptions;
import io.digitstream.trainer.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {

    private static final MnistDataset TEST = MnistSamples.test500();
    private static TrainingResult trained;
    private static List<CheckDigit> checkDigits;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        trained = new DigitTrainer(new TrainingOptions(10, 32, 5, AffineAugmentation.STANDARD, false))
                .train(new Hyperparameters(8, 32, 3e-3, true, 0.1), MnistSamples.train1000(), TEST.head(100));
        checkDigits = CheckDigitPicker.mostConfident(TEST, trained.predict(TEST));
    }

    @AfterAll
    static void close() {
        trained.close();
    }

    @Test
    void exportedModelPredictsWhatTheTrainedModelPredicts() throws Exception {
        Path file = dir.resolve("model.onnx");
        OnnxExporter.write(trained, metadata(checkDigits), file);

        OnnxAgreementCheck.Result result = OnnxAgreementCheck.verify(file, trained, TEST);

        assertThat(result.images()).isEqualTo(500);
        assertThat(result.agreement()).isEqualTo(1.0);
        assertThat(result.disagreements()).isEmpty();
        assertThat(result.maxProbabilityDifference()).isLessThan(1e-4);
        assertThat(result.maxLogitDifference()).isLessThan(OnnxAgreementCheck.MAX_LOGIT_DIFFERENCE);
    }

    @Test
    void exportedModelHasLogitsNextToProbabilitiesAndTheNotADigitMetadata() throws Exception {
        float[][] digitLogits = trained.logits(TEST.head(100));
        OodCalibration ood = OodCalibration.choose(digitLogits, new float[][] {new float[10]}, 0.01);
        Path file = dir.resolve("model.onnx");
        OnnxExporter.write(trained, metadata(checkDigits), ood, file);

        OnnxMl.GraphProto graph = parse(Files.readAllBytes(file)).getGraph();
        assertThat(graph.getOutputList()).extracting(OnnxMl.ValueInfoProto::getName)
                .containsExactly(OnnxDigitModel.OUTPUT_NAME, OnnxExporter.LOGITS_OUTPUT);
        assertThat(graph.getOutput(1).getType().getTensorType().getShape().getDim(1).getDimValue()).isEqualTo(10);
        try (OnnxModelOutputs outputs = OnnxModelOutputs.load(file, 1)) {
            assertThat(outputs.metadata()).containsEntry("ood.score", ood.score().id())
                    .containsEntry("ood.threshold", ood.metadata().get("ood.threshold"));
            OnnxModelOutputs.Outputs run = outputs.run(DigitArrays.from(TEST.head(100)).pixels());
            for (int i = 0; i < 100; i++) {
                assertThat(run.logits()[i]).containsExactly(digitLogits[i], within(1e-3f));
                float[] softmax = OodCalibration.softmax(run.logits()[i]);
                assertThat(run.probabilities()[i]).containsExactly(softmax, within(1e-5f));
            }
        }
        try (OnnxDigitModel model = OnnxDigitModel.load(file)) {
            assertThat(model.selfCheck()).isEqualTo(checkDigits.size());
        }
    }

    @Test
    void exportedModelCarriesItsMetadataAndPassesItsSelfCheck() throws Exception {
        ModelMetadata metadata = metadata(checkDigits);
        Path file = dir.resolve("model.onnx");
        OnnxExporter.write(trained, metadata, file);

        try (OnnxDigitModel model = OnnxDigitModel.load(file)) {
            assertThat(model.metadata()).isEqualTo(metadata);
            assertThat(model.metadata().hyperparameters()).containsEntry("filters", "8").containsKey("architecture");
            assertThat(checkDigits).hasSizeGreaterThanOrEqualTo(9);
            assertThat(model.selfCheck()).isEqualTo(checkDigits.size());
        }
    }

    @Test
    void aCheckDigitWithAWrongLabelFailsTheSelfCheck() throws Exception {
        List<CheckDigit> wrong = new ArrayList<>(checkDigits);
        CheckDigit first = wrong.get(0);
        wrong.set(0, new CheckDigit((first.label() + 1) % 10, first.pixels()));
        Path file = dir.resolve("wrong.onnx");
        OnnxExporter.write(trained, metadata(wrong), file);

        try (OnnxDigitModel model = OnnxDigitModel.load(file)) {
            assertThatThrownBy(model::selfCheck)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed its self-check on 1 of " + wrong.size());
        }
    }

    @Test
    void graphHasOneNodePerInferenceLayerAndEndsInLogitsAndSoftmax() {
        OnnxMl.ModelProto model = parse(OnnxExporter.toBytes(trained, metadata(checkDigits)));

        List<String> ops = model.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
        List<String> block = List.of("Conv", "BatchNormalization", "Relu", "Conv", "BatchNormalization", "Relu", "MaxPool");
        List<String> expected = new ArrayList<>(List.of("Reshape"));
        expected.addAll(block);
        expected.addAll(block);
        expected.addAll(List.of("Flatten", "Gemm", "BatchNormalization", "Relu", "Gemm", "Identity", "Softmax", "Identity"));
        assertThat(ops).isEqualTo(expected);
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(13);
    }

    @Test
    void modelWithoutBatchNormExportsItsBiases() throws Exception {
        try (TrainingResult plain = new DigitTrainer(new TrainingOptions(1, 32, 3, AffineAugmentation.NONE, false))
                .train(new Hyperparameters(4, 16, 3e-3, false, 0), MnistSamples.train1000().head(256), TEST.head(0))) {
            Path file = dir.resolve("plain.onnx");
            OnnxExporter.write(plain, metadata(checkDigits), file);

            OnnxAgreementCheck.Result result = OnnxAgreementCheck.compare(file, plain, TEST);

            assertThat(result.maxProbabilityDifference()).isLessThan(1e-4);
            assertThat(result.agreement()).isGreaterThanOrEqualTo(0.99);
            assertThat(parse(Files.readAllBytes(file)).getGraph().getNodeList())
                    .filteredOn(n -> n.getOpType().equals("Conv"))
                    .allSatisfy(conv -> assertThat(conv.getInputCount()).isEqualTo(3));
        }
    }

    private static ModelMetadata metadata(List<CheckDigit> digits) {
        return new ModelMetadata("test-1", trained.settings(), trained.lastEpoch().validationAccuracy(), 0.9,
                OnnxDigitModel.INPUT_SPEC, ModelMetadata.MNIST_PREPROCESSING,
                Map.of("train-1000-images-idx3-ubyte.gz", "ab".repeat(32)), Instant.parse("2024-05-01T10:00:00Z"),
                digits);
    }

    private static OnnxMl.ModelProto parse(byte[] bytes) {
        try {
            return OnnxMl.ModelProto.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}

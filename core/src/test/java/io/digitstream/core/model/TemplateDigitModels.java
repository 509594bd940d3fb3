package io.digitstream.core.model;

import ai.onnx.proto.OnnxMl;
import io.digitstream.contract.DigitShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * Tiny but real digit models for tests that need an ONNX file without training one: a nearest-template
 * classifier over ten synthetic glyphs, {@code softmax(x·Tᵀ - |T|²/2)}, which classifies each glyph as its own digit.
 */
public final class TemplateDigitModels {

    // 5x7 bitmap font, one string of 35 bits per digit, drawn 3x larger and centred in 28x28
    private static final String[] FONT = {
        "01110100011001110101110011000101110", "00100011000010000100001000010001110",
        "01110100010000100010001000100011111", "11111000100010000010000011000101110",
        "00010001100101010010111110001000010", "11111100001111000001000011000101110",
        "00110010001000011110100011000101110", "11111000010001000100010000100001000",
        "01110100011000101110100011000101110", "01110100011000101111000010001001100",
    };
    private static final int SCALE = 3;
    private static final int LEFT = (DigitShape.SIDE - 5 * SCALE) / 2;
    private static final int TOP = (DigitShape.SIDE - 7 * SCALE) / 2;

    private TemplateDigitModels() {
    }

    /** A synthetic image of {@code digit}: unsigned bytes, 255 on the strokes, 0 elsewhere. */
    public static byte[] glyph(int digit) {
        byte[] pixels = new byte[DigitShape.PIXELS];
        for (int r = 0; r < 7 * SCALE; r++) {
            for (int c = 0; c < 5 * SCALE; c++) {
                if (FONT[digit].charAt((r / SCALE) * 5 + c / SCALE) == '1') {
                    pixels[(TOP + r) * DigitShape.SIDE + LEFT + c] = (byte) 255;
                }
            }
        }
        return pixels;
    }

    /** The ten glyphs with their true labels. */
    public static List<CheckDigit> checkDigits() {
        List<CheckDigit> digits = new ArrayList<>();
        for (int d = 0; d < DigitShape.CLASSES; d++) {
            digits.add(new CheckDigit(d, glyph(d)));
        }
        return digits;
    }

    public static ModelMetadata metadata(List<CheckDigit> checkDigits) {
        return new ModelMetadata("template-1", Map.of("kind", "nearest-template"), 1.0, Double.NaN,
                OnnxDigitModel.INPUT_SPEC, ModelMetadata.MNIST_PREPROCESSING,
                Map.of("train-images-idx3-ubyte", "0".repeat(64)), Instant.parse("2024-01-02T03:04:05Z"), checkDigits);
    }

    /** A model that meets the contract, carrying {@code metadata}. */
    public static byte[] modelBytes(ModelMetadata metadata) {
        return modelBytes(OnnxDigitModel.INPUT_NAME, metadata);
    }

    /** The same classifier whose input is called {@code inputName}: for contract violations. */
    public static byte[] modelBytes(String inputName, ModelMetadata metadata) {
        return build(inputName, templateWeights(), templateBias(), Logits.NONE, metadata);
    }

    /**
     * The template classifier with the optional second output {@code logits}, {@code x·Tᵀ - |T|²/2}: each glyph's own
     * logit is half its ink in pixels (45 to 85.5), so a glyph scores an energy of -45 or less, while ink far from every
     * glyph, such as {@link #cornerBlot()}, scores about +45 (and is read as a 1 with confidence 0.989).
     */
    public static byte[] modelBytesWithLogits(ModelMetadata metadata) {
        return build(OnnxDigitModel.INPUT_NAME, templateWeights(), templateBias(), Logits.OUTPUT, metadata);
    }

    /**
     * A model that ignores its input: every image gets {@code logits} (and their softmax), for scores that can be
     * worked out by hand. It fails a self-check.
     *
     * @param withLogitsOutput whether the logits are a second output, or only the probabilities are
     */
    public static byte[] constantModelBytes(float[] logits, boolean withLogitsOutput, ModelMetadata metadata) {
        return build(OnnxDigitModel.INPUT_NAME, new float[DigitShape.CLASSES * DigitShape.PIXELS], logits.clone(),
                withLogitsOutput ? Logits.OUTPUT : Logits.NONE, metadata);
    }

    /** The template classifier with an output {@code logits} of 784 columns (the input again): a contract violation. */
    public static byte[] modelBytesWithMisshapedLogits(ModelMetadata metadata) {
        return build(OnnxDigitModel.INPUT_NAME, templateWeights(), templateBias(), Logits.MISSHAPED, metadata);
    }

    /** A 4x4 blot of ink near the top-left corner, touching no glyph: not a digit to {@link #modelBytesWithLogits}. */
    public static byte[] cornerBlot() {
        byte[] pixels = new byte[DigitShape.PIXELS];
        for (int r = 1; r < 5; r++) {
            for (int c = 1; c < 5; c++) {
                pixels[r * DigitShape.SIDE + c] = (byte) 255;
            }
        }
        return pixels;
    }

    private enum Logits { NONE, OUTPUT, MISSHAPED }

    private static float[] templateWeights() {
        float[] weights = new float[DigitShape.CLASSES * DigitShape.PIXELS];
        for (int d = 0; d < DigitShape.CLASSES; d++) {
            float[] template = new CheckDigit(d, glyph(d)).normalizedPixels();
            System.arraycopy(template, 0, weights, d * DigitShape.PIXELS, DigitShape.PIXELS);
        }
        return weights;
    }

    private static float[] templateBias() {
        float[] bias = new float[DigitShape.CLASSES];
        for (int d = 0; d < DigitShape.CLASSES; d++) {
            for (float v : new CheckDigit(d, glyph(d)).normalizedPixels()) {
                bias[d] -= v * v / 2;
            }
        }
        return bias;
    }

    /** {@code softmax(x·Wᵀ + b)}, with {@code x·Wᵀ + b} as a second output when asked for. */
    private static byte[] build(String inputName, float[] weights, float[] bias, Logits logitsOutput,
                                ModelMetadata metadata) {
        ONNXContext context = new ONNXContext();
        ONNXPlaceholder input = context.floatInput(inputName, DigitShape.PIXELS);
        ONNXPlaceholder output = context.floatOutput(OnnxDigitModel.OUTPUT_NAME, DigitShape.CLASSES);
        ONNXInitializer w = context.floatTensor("weights",
                List.of(DigitShape.CLASSES, DigitShape.PIXELS), buffer -> buffer.put(weights));
        ONNXNode affine = context.operation(ONNXOperators.GEMM,
                List.of(input, w, context.array("bias", bias)), "affine", Map.of("transB", 1));
        affine.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1)).assignTo(output);
        if (logitsOutput == Logits.OUTPUT) {
            affine.assignTo(context.floatOutput(OnnxDigitModel.LOGITS_NAME, DigitShape.CLASSES));
        } else if (logitsOutput == Logits.MISSHAPED) {
            input.assignTo(context.floatOutput(OnnxDigitModel.LOGITS_NAME, DigitShape.PIXELS));
        }
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("digit-stream tests")
                .setGraph(context.buildGraph());
        metadata.toProperties().forEach((k, v) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }
}

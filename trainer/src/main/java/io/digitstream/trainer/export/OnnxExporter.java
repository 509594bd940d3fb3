package io.digitstream.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.onnx.proto.OnnxMl;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.model.DigitCnn;
import io.digitstream.trainer.model.Layer;
import io.digitstream.trainer.ood.OodCalibration;
import io.digitstream.trainer.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a trained {@link DigitCnn} as an ONNX model that meets {@link OnnxDigitModel}'s contract: input
 * {@code pixels [N,784]}, output {@code probabilities [N,10]} (the softmax the loss applied while training is
 * part of the graph), and {@link ModelMetadata} in {@code metadata_props}. A second output {@value #LOGITS_OUTPUT}
 * {@code [N,10]} holds the values before the softmax, which the energy and max-logit not-a-digit scores need, and an
 * {@link OodCalibration} adds the score's name and threshold to the metadata. The graph is built by walking the
 * same layer list that built the DJL block, pairing layer {@code i} with child block {@code i}.
 */
public final class OnnxExporter {

    /** The second output: float32 {@code [N,10]}, the last dense layer's output before the softmax. */
    public static final String LOGITS_OUTPUT = "logits";

    /** ONNX IR version 8 goes with opset 13 and is read by every ONNX Runtime since 1.10. */
    private static final long IR_VERSION = 8;

    private OnnxExporter() {
    }

    /** Writes the model to {@code file} atomically, so a process watching the directory never sees half a file. */
    public static void write(TrainingResult result, ModelMetadata metadata, Path file) throws IOException {
        write(result, metadata, null, file);
    }

    /** As {@link #write(TrainingResult, ModelMetadata, Path)}, with the not-a-digit score and threshold when not null. */
    public static void write(TrainingResult result, ModelMetadata metadata, OodCalibration ood, Path file)
            throws IOException {
        write(toBytes(result, metadata, ood), file);
    }

    /** Writes model bytes to {@code file} atomically. */
    public static void write(byte[] model, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, model);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@code model} with {@code properties} set in its {@code metadata_props}, replacing entries of the same key. */
    public static byte[] withProperties(byte[] model, Map<String, String> properties) {
        OnnxMl.ModelProto parsed;
        try {
            parsed = OnnxMl.ModelProto.parseFrom(model);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        parsed.getMetadataPropsList().forEach(p -> merged.put(p.getKey(), p.getValue()));
        merged.putAll(properties);
        OnnxMl.ModelProto.Builder builder = parsed.toBuilder().clearMetadataProps();
        merged.forEach((key, value) ->
                builder.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return builder.build().toByteArray();
    }

    public static byte[] toBytes(TrainingResult result, ModelMetadata metadata) {
        return toBytes(result, metadata, null);
    }

    public static byte[] toBytes(TrainingResult result, ModelMetadata metadata, OodCalibration ood) {
        Map<String, String> properties = new LinkedHashMap<>(metadata.toProperties());
        if (ood != null) {
            properties.putAll(ood.metadata());
        }
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("digit-stream trainer")
                .setDomain("io.digitstream")
                .setDocString(OnnxDigitModel.INPUT_SPEC)
                .setGraph(graph(result.architecture(), result.block()));
        properties.forEach((key, value) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build().toByteArray();
    }

    private static OnnxMl.GraphProto graph(DigitCnn cnn, Block block) {
        BlockList children = block.getChildren();
        if (children.size() != cnn.layers().size()) {
            throw new IllegalArgumentException("block has " + children.size() + " children but the architecture has "
                    + cnn.layers().size() + " layers");
        }
        ONNXContext context = new ONNXContext();
        context.setName("digit_cnn");
        ONNXPlaceholder input = context.floatInput(OnnxDigitModel.INPUT_NAME, DigitShape.PIXELS);
        ONNXPlaceholder output = context.floatOutput(OnnxDigitModel.OUTPUT_NAME, DigitShape.CLASSES);
        ONNXPlaceholder logits = context.floatOutput(LOGITS_OUTPUT, DigitShape.CLASSES);
        ONNXRef<?> x = input;
        for (int i = 0; i < children.size(); i++) {
            x = append(context, x, cnn.layers().get(i), children.get(i).getValue().getDirectParameters(),
                    String.format("l%02d", i));
        }
        x.assignTo(logits);
        x.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1)).assignTo(output);
        return context.buildGraph();
    }

    private static ONNXRef<?> append(ONNXContext context, ONNXRef<?> x, Layer layer, ParameterList params,
                                     String prefix) {
        if (layer instanceof Layer.Reshape r) {
            return op(context, CnnOperator.RESHAPE, prefix + "_reshape", Map.of(), x,
                    context.array(prefix + "_shape", new long[] {-1, r.channels(), r.height(), r.width()}));
        } else if (layer instanceof Layer.Conv2d c) {
            List<ONNXRef<?>> inputs = withWeightAndBias(context, x, params, prefix);
            int[] pads = {c.padding(), c.padding(), c.padding(), c.padding()};
            return op(context, CnnOperator.CONV, prefix + "_conv",
                    Map.of("kernel_shape", new int[] {c.kernel(), c.kernel()}, "pads", pads, "strides", new int[] {1, 1}),
                    inputs.toArray(ONNXRef<?>[]::new));
        } else if (layer instanceof Layer.BatchNorm b) {
            return op(context, CnnOperator.BATCH_NORMALIZATION, prefix + "_bn", Map.of("epsilon", b.epsilon()), x,
                    tensor(context, prefix + "_gamma", params.get("gamma")),
                    tensor(context, prefix + "_beta", params.get("beta")),
                    tensor(context, prefix + "_mean", params.get("runningMean")),
                    tensor(context, prefix + "_var", params.get("runningVar")));
        } else if (layer instanceof Layer.Relu) {
            return op(context, CnnOperator.RELU, prefix + "_relu", Map.of(), x);
        } else if (layer instanceof Layer.MaxPool p) {
            int[] window = {p.size(), p.size()};
            return op(context, CnnOperator.MAX_POOL, prefix + "_pool", Map.of("kernel_shape", window, "strides", window), x);
        } else if (layer instanceof Layer.Dropout) {
            return x;
        } else if (layer instanceof Layer.Flatten) {
            return op(context, CnnOperator.FLATTEN, prefix + "_flatten", Map.of("axis", 1), x);
        } else if (layer instanceof Layer.Dense) {
            return op(context, ONNXOperators.GEMM, prefix + "_dense", Map.of("transB", 1),
                    withWeightAndBias(context, x, params, prefix).toArray(ONNXRef<?>[]::new));
        }
        throw new IllegalArgumentException("no ONNX form for layer " + layer);
    }

    private static ONNXRef<?> op(ONNXContext context, org.tribuo.util.onnx.ONNXOperator operator, String output,
                                 Map<String, Object> attributes, ONNXRef<?>... inputs) {
        return context.operation(operator, Arrays.asList(inputs), output, attributes);
    }

    private static List<ONNXRef<?>> withWeightAndBias(ONNXContext context, ONNXRef<?> x, ParameterList params,
                                                      String prefix) {
        List<ONNXRef<?>> inputs = new ArrayList<>(List.of(x, tensor(context, prefix + "_weight", params.get("weight"))));
        if (params.contains("bias")) {
            inputs.add(tensor(context, prefix + "_bias", params.get("bias")));
        }
        return inputs;
    }

    private static ONNXRef<?> tensor(ONNXContext context, String name, Parameter parameter) {
        if (parameter == null || !parameter.isInitialized()) {
            throw new IllegalArgumentException("parameter " + name + " is missing or uninitialised");
        }
        NDArray array = parameter.getArray();
        List<Integer> dims = Arrays.stream(array.getShape().getShape()).mapToInt(Math::toIntExact).boxed().toList();
        float[] values = array.toFloatArray();
        return context.floatTensor(name, dims, buffer -> buffer.put(values));
    }
}

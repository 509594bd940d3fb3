package io.digitstream.trainer.export;

import static io.digitstream.contract.DigitShape.PIXELS;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.digitstream.core.model.OnnxDigitModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Static post-training int8 quantization of an exported digit model, in the QDQ format: every Conv and Gemm but the
 * first Conv (see {@link #quantized}) reads its activations through a QuantizeLinear/DequantizeLinear pair (uint8,
 * scale and zero point from the activations' range over calibration images) and its weights through a
 * DequantizeLinear of int8 values (symmetric, one scale per output channel), its bias as int32 at the product of the
 * two scales. ONNX Runtime's graph optimiser (level EXTENDED and above; {@link OnnxDigitModel} keeps its default,
 * ALL) fuses each group into QLinearConv or QGemm and drops the pairs around MaxPool and Flatten, so the network runs
 * on integers from the first ReLU to its float logits.
 *
 * <p>BatchNormalization is folded into the Conv or Gemm before it first, so that the folded weights are the ones
 * quantized. Everything else stays float32: the first convolution, the softmax and the nodes of the in-graph
 * not-a-digit score, which read the penultimate layer's values before its ReLU (a QGemm with a float output) and the
 * logits. Outputs and {@code metadata_props} are those of the input model.
 */
public final class Int8Quantizer {

    /** Images per ONNX Runtime call while calibrating. */
    private static final int BATCH = 100;
    /** Ops that move values without changing them: their output is quantized with their input's scale. */
    private static final Set<String> VALUE_PRESERVING = Set.of("MaxPool", "Flatten", "Reshape");
    private static final Set<String> QUANTIZED_OPS = Set.of("Conv", "Gemm");
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private Int8Quantizer() {
    }

    /** An activation's calibrated range, widened to hold zero so that zero (padding, ReLU) is exact. */
    record Range(float min, float max) {

        Range {
            min = Math.min(min, 0f);
            max = Math.max(max, 0f);
        }

        /** uint8 scale: the range over 255 steps (1 for an all-zero range, which then stays zero). */
        float scale() {
            return max > min ? (max - min) / 255f : 1f;
        }

        int zeroPoint() {
            return Math.max(0, Math.min(255, Math.round(-min / scale())));
        }
    }

    /**
     * {@code model} quantized with activation ranges measured on {@code calibrationPixels} (rows of 784 values,
     * e.g. a thousand MNIST training digits); the graph's doc string says how.
     */
    public static byte[] quantize(byte[] model, float[] calibrationPixels) {
        if (calibrationPixels.length == 0 || calibrationPixels.length % PIXELS != 0) {
            throw new IllegalArgumentException("calibration needs whole images of " + PIXELS + " pixels, got "
                    + calibrationPixels.length + " values");
        }
        OnnxMl.ModelProto folded = parse(foldBatchNorms(model));
        Map<String, String> sources = activationSources(folded.getGraph());
        Map<String, Range> ranges = calibrate(folded, new HashSet<>(sources.values()), calibrationPixels);
        // the contract bounds the input to 0..1: byte/255 pixels are then exact at scale 1/255
        ranges.put(OnnxDigitModel.INPUT_NAME, new Range(0f, 1f));
        keepSharedRelus(folded.getGraph(), ranges);
        OnnxMl.GraphProto graph = withQdq(folded.getGraph(), sources, ranges);
        String how = String.format(Locale.ROOT, "int8 static quantization (QDQ): BatchNormalization folded, "
                + "per-channel symmetric int8 weights, uint8 activations from min/max over %d calibration images; "
                + "first convolution, softmax and not-a-digit score in float32", calibrationPixels.length / PIXELS);
        return folded.toBuilder().setGraph(graph.toBuilder().setDocString(how)).build().toByteArray();
    }

    /**
     * Widens the range of a ReLU's output whose input another node also reads (the penultimate layer, read by the
     * not-a-digit score), so that its zero point is 1 instead of 0. At zero point 0 ONNX Runtime drops the ReLU as
     * redundant with the QuantizeLinear after it; the Gemm before it would then have two readers, one of them a
     * QuantizeLinear, which its QGemm fusion refuses, and would run in float32 on weights dequantized at every call.
     * The cost is one of 256 levels.
     */
    private static void keepSharedRelus(OnnxMl.GraphProto graph, Map<String, Range> ranges) {
        Map<String, Integer> readers = readerCounts(graph);
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            Range range = ranges.get(node.getOutputCount() > 0 ? node.getOutput(0) : "");
            if (node.getOpType().equals("Relu") && range != null && readers.get(node.getInput(0)) > 1) {
                ranges.put(node.getOutput(0), new Range(-range.max() / 254f, range.max()));
            }
        }
    }

    /**
     * {@code model} with every BatchNormalization that follows a Conv or Gemm (and is that node's only reader) folded
     * into its weights and bias: the same function in float32, up to rounding. The folded node writes the
     * BatchNormalization's output, so readers such as the not-a-digit score find their input under the same name.
     */
    public static byte[] foldBatchNorms(byte[] model) {
        OnnxMl.ModelProto proto = parse(model);
        OnnxMl.GraphProto graph = proto.getGraph();
        Map<String, OnnxMl.TensorProto> initializers = initializers(graph);
        Map<String, OnnxMl.NodeProto> producers = producers(graph);
        Map<String, Integer> readers = readerCounts(graph);
        Map<OnnxMl.NodeProto, OnnxMl.NodeProto> replaced = new IdentityHashMap<>();
        Set<OnnxMl.NodeProto> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<OnnxMl.TensorProto> added = new ArrayList<>();
        for (OnnxMl.NodeProto bn : graph.getNodeList()) {
            if (!bn.getOpType().equals("BatchNormalization")) {
                continue;
            }
            OnnxMl.NodeProto layer = producers.get(bn.getInput(0));
            if (layer == null || !QUANTIZED_OPS.contains(layer.getOpType()) || readers.get(bn.getInput(0)) != 1
                    || isGraphOutput(graph, bn.getInput(0)) || !initializers.containsKey(layer.getInput(1))) {
                continue;
            }
            double epsilon = attribute(bn, "epsilon", 1e-5f);
            float[] gamma = floats(initializers.get(bn.getInput(1)));
            float[] beta = floats(initializers.get(bn.getInput(2)));
            float[] mean = floats(initializers.get(bn.getInput(3)));
            float[] variance = floats(initializers.get(bn.getInput(4)));
            OnnxMl.TensorProto weightTensor = initializers.get(layer.getInput(1));
            float[] weight = floats(weightTensor);
            int axis = outputChannelAxis(layer);
            int channels = gamma.length;
            float[] bias = layer.getInputCount() > 2 ? floats(initializers.get(layer.getInput(2))) : new float[channels];
            float[] foldedWeight = new float[weight.length];
            float[] foldedBias = new float[channels];
            List<Long> dims = weightTensor.getDimsList();
            for (int c = 0; c < channels; c++) {
                double scale = gamma[c] / Math.sqrt(variance[c] + epsilon);
                foldedBias[c] = (float) ((bias[c] - mean[c]) * scale + beta[c]);
                for (int i : channelIndices(dims, axis, c)) {
                    foldedWeight[i] = (float) (weight[i] * scale);
                }
            }
            String prefix = layer.getInput(1) + "_bnfold";
            added.add(floatTensor(prefix + "_weight", dims, foldedWeight));
            added.add(floatTensor(prefix + "_bias", List.of((long) channels), foldedBias));
            OnnxMl.NodeProto.Builder folded = layer.toBuilder().clearInput().clearOutput()
                    .addInput(layer.getInput(0)).addInput(prefix + "_weight").addInput(prefix + "_bias")
                    .addOutput(bn.getOutput(0));
            if (layer.getOpType().equals("Gemm")) {
                requireUnitAlphaBeta(layer);
            }
            replaced.put(layer, folded.build());
            removed.add(bn);
        }
        OnnxMl.GraphProto.Builder builder = graph.toBuilder().clearNode();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!removed.contains(node)) {
                builder.addNode(replaced.getOrDefault(node, node));
            }
        }
        builder.addAllInitializer(added);
        return proto.toBuilder().setGraph(withoutUnusedInitializers(builder.build())).build().toByteArray();
    }

    /**
     * For every tensor that must be quantized, the tensor whose range sets its scale: the first input of each Conv and
     * Gemm, and going back from it through value-preserving ops, every tensor up to and including the one a computing
     * op (or the graph input) wrote.
     */
    static Map<String, String> activationSources(OnnxMl.GraphProto graph) {
        Map<String, OnnxMl.NodeProto> producers = producers(graph);
        Map<String, OnnxMl.TensorProto> initializers = initializers(graph);
        Map<String, String> sources = new LinkedHashMap<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!quantized(node, initializers)) {
                continue;
            }
            List<String> chain = new ArrayList<>();
            String tensor = node.getInput(0);
            chain.add(tensor);
            OnnxMl.NodeProto producer = producers.get(tensor);
            while (producer != null && VALUE_PRESERVING.contains(producer.getOpType())) {
                tensor = producer.getInput(0);
                chain.add(tensor);
                producer = producers.get(tensor);
            }
            for (String t : chain) {
                sources.put(t, tensor);
            }
        }
        return sources;
    }

    /** The min and max of each of {@code tensors} over the calibration images, through ONNX Runtime, one thread. */
    static Map<String, Range> calibrate(OnnxMl.ModelProto model, Set<String> tensors, float[] pixels) {
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().forEach(o -> outputs.add(o.getName()));
        Set<String> wanted = new HashSet<>(tensors);
        wanted.remove(OnnxDigitModel.INPUT_NAME);
        for (String tensor : wanted) {
            if (!outputs.contains(tensor)) {
                graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(tensor).setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
            }
        }
        Map<String, float[]> extremes = new HashMap<>();
        for (String tensor : tensors) {
            extremes.put(tensor, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        }
        int n = pixels.length / PIXELS;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = ENV.createSession(model.toBuilder().setGraph(graph).build().toByteArray(),
                    options)) {
                for (int from = 0; from < n; from += BATCH) {
                    int count = Math.min(BATCH, n - from);
                    FloatBuffer batch = FloatBuffer.wrap(pixels, from * PIXELS, count * PIXELS).slice();
                    try (OnnxTensor input = OnnxTensor.createTensor(ENV, batch, new long[] {count, PIXELS});
                         OrtSession.Result result = session.run(Map.of(OnnxDigitModel.INPUT_NAME, input), wanted)) {
                        if (tensors.contains(OnnxDigitModel.INPUT_NAME)) {
                            widen(extremes.get(OnnxDigitModel.INPUT_NAME), batch.rewind());
                        }
                        for (String tensor : wanted) {
                            OnnxValue value = result.get(tensor).orElseThrow();
                            widen(extremes.get(tensor), ((OnnxTensor) value).getFloatBuffer());
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the model while calibrating: " + e.getMessage(), e);
        }
        Map<String, Range> ranges = new HashMap<>();
        extremes.forEach((tensor, mm) -> ranges.put(tensor, new Range(mm[0], mm[1])));
        return ranges;
    }

    private static void widen(float[] extremes, FloatBuffer values) {
        while (values.hasRemaining()) {
            float v = values.get();
            extremes[0] = Math.min(extremes[0], v);
            extremes[1] = Math.max(extremes[1], v);
        }
    }

    /** The graph with QDQ pairs on the activations and DequantizeLinear on quantized weights and biases. */
    private static OnnxMl.GraphProto withQdq(OnnxMl.GraphProto graph, Map<String, String> sources,
                                              Map<String, Range> ranges) {
        Map<String, OnnxMl.TensorProto> initializers = initializers(graph);
        List<OnnxMl.TensorProto> added = new ArrayList<>();
        for (String tensor : sources.keySet()) {
            Range range = ranges.get(sources.get(tensor));
            added.add(floatTensor(tensor + "_scale", List.of(), new float[] {range.scale()}));
            added.add(uint8Tensor(tensor + "_zero_point", range.zeroPoint()));
        }
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        // the graph input's pair comes first; every other pair right after the node that writes the tensor
        quantizePair(OnnxDigitModel.INPUT_NAME, sources, nodes);
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            OnnxMl.NodeProto.Builder rewritten = node.toBuilder();
            boolean onQuantizedPath = quantized(node, initializers) || VALUE_PRESERVING.contains(node.getOpType());
            if (onQuantizedPath && sources.containsKey(node.getInput(0))) {
                rewritten.setInput(0, node.getInput(0) + "_dequantized");
            }
            if (quantized(node, initializers)) {
                Range input = ranges.get(sources.get(node.getInput(0)));
                nodes.addAll(quantizedWeights(node, input.scale(), initializers, added, rewritten));
            }
            nodes.add(rewritten.build());
            for (String output : node.getOutputList()) {
                quantizePair(output, sources, nodes);
            }
        }
        OnnxMl.GraphProto.Builder builder = graph.toBuilder().clearNode().addAllNode(nodes).addAllInitializer(added);
        return withoutUnusedInitializers(builder.build());
    }

    /**
     * Whether a node runs on integers: every Conv and Gemm but a Conv on a single input channel (the first layer),
     * whose integer kernel took 7x the time of the float one here (ONNX Runtime 1.28, 64 images: 1.33 ms against
     * 0.19 ms): with it the whole model classified 16,500 images/s at batch 64, without it 20,900 (float32: 12,000).
     */
    private static boolean quantized(OnnxMl.NodeProto node, Map<String, OnnxMl.TensorProto> initializers) {
        if (!QUANTIZED_OPS.contains(node.getOpType())) {
            return false;
        }
        OnnxMl.TensorProto weight = initializers.get(node.getInput(1));
        return !(node.getOpType().equals("Conv") && weight != null && weight.getDims(1) == 1);
    }

    private static void quantizePair(String tensor, Map<String, String> sources, List<OnnxMl.NodeProto> nodes) {
        if (!sources.containsKey(tensor)) {
            return;
        }
        nodes.add(node("QuantizeLinear", List.of(tensor, tensor + "_scale", tensor + "_zero_point"),
                tensor + "_quantized"));
        nodes.add(node("DequantizeLinear", List.of(tensor + "_quantized", tensor + "_scale", tensor + "_zero_point"),
                tensor + "_dequantized"));
    }

    /**
     * The DequantizeLinear nodes of a Conv's or Gemm's int8 weights and int32 bias, whose outputs {@code rewritten}
     * then reads; the quantized initializers go to {@code added}.
     */
    private static List<OnnxMl.NodeProto> quantizedWeights(OnnxMl.NodeProto node, float inputScale,
                                                           Map<String, OnnxMl.TensorProto> initializers,
                                                           List<OnnxMl.TensorProto> added,
                                                           OnnxMl.NodeProto.Builder rewritten) {
        OnnxMl.TensorProto weightTensor = initializers.get(node.getInput(1));
        if (weightTensor == null) {
            throw new IllegalArgumentException(node.getOpType() + " '" + node.getName()
                    + "' has no constant weights to quantize");
        }
        if (node.getOpType().equals("Gemm")) {
            requireUnitAlphaBeta(node);
            // stated, not defaulted: ONNX Runtime's QDQ Gemm fusion reads beta from the node's attributes
            rewritten.clearAttribute().addAllAttribute(node.getAttributeList().stream()
                    .filter(a -> !a.getName().equals("alpha") && !a.getName().equals("beta")).toList())
                    .addAttribute(floatAttribute("alpha", 1f)).addAttribute(floatAttribute("beta", 1f));
        }
        int axis = outputChannelAxis(node);
        List<Long> dims = weightTensor.getDimsList();
        float[] weight = floats(weightTensor);
        int channels = Math.toIntExact(dims.get(axis));
        float[] scales = new float[channels];
        byte[] quantized = new byte[weight.length];
        for (int c = 0; c < channels; c++) {
            int[] indices = channelIndices(dims, axis, c);
            float amax = 0;
            for (int i : indices) {
                amax = Math.max(amax, Math.abs(weight[i]));
            }
            scales[c] = amax > 0 ? amax / 127f : 1f;
            for (int i : indices) {
                quantized[i] = (byte) Math.max(-127, Math.min(127, Math.round(weight[i] / scales[c])));
            }
        }
        String w = node.getInput(1);
        added.add(rawTensor(w + "_int8", OnnxMl.TensorProto.DataType.INT8, dims, quantized));
        added.add(floatTensor(w + "_scale", List.of((long) channels), scales));
        added.add(rawTensor(w + "_zero_point", OnnxMl.TensorProto.DataType.INT8, List.of((long) channels),
                new byte[channels]));
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        nodes.add(node("DequantizeLinear", List.of(w + "_int8", w + "_scale", w + "_zero_point"), w + "_dequantized")
                .toBuilder().addAttribute(intAttribute("axis", axis)).build());
        rewritten.setInput(1, w + "_dequantized");
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            String b = node.getInput(2);
            float[] bias = floats(initializers.get(b));
            float[] biasScales = new float[channels];
            ByteBuffer values = ByteBuffer.allocate(4 * channels).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < channels; c++) {
                biasScales[c] = inputScale * scales[c];
                values.putInt((int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE,
                        Math.round((double) bias[c] / biasScales[c]))));
            }
            added.add(rawTensor(b + "_int32", OnnxMl.TensorProto.DataType.INT32, List.of((long) channels),
                    values.array()));
            added.add(floatTensor(b + "_scale", List.of((long) channels), biasScales));
            added.add(rawTensor(b + "_zero_point", OnnxMl.TensorProto.DataType.INT32, List.of((long) channels),
                    new byte[4 * channels]));
            nodes.add(node("DequantizeLinear", List.of(b + "_int32", b + "_scale", b + "_zero_point"),
                    b + "_dequantized").toBuilder().addAttribute(intAttribute("axis", 0)).build());
            rewritten.setInput(2, b + "_dequantized");
        }
        return nodes;
    }

    /** The weights' axis that indexes output channels: 0 for Conv and for Gemm with transB=1, 1 for plain Gemm. */
    private static int outputChannelAxis(OnnxMl.NodeProto node) {
        if (node.getOpType().equals("Conv")) {
            return 0;
        }
        return node.getAttributeList().stream().anyMatch(a -> a.getName().equals("transB") && a.getI() == 1) ? 0 : 1;
    }

    /** Flat indices of the elements of channel {@code c} along {@code axis} (0 or 1) of a row-major tensor. */
    private static int[] channelIndices(List<Long> dims, int axis, int c) {
        long total = dims.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
        int channels = Math.toIntExact(dims.get(axis));
        int inner = Math.toIntExact(total / channels / (axis == 0 ? 1 : dims.get(0)));
        int outer = axis == 0 ? 1 : Math.toIntExact(dims.get(0));
        int[] indices = new int[outer * inner];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                indices[k++] = (o * channels + c) * inner + i;
            }
        }
        return indices;
    }

    private static void requireUnitAlphaBeta(OnnxMl.NodeProto gemm) {
        for (OnnxMl.AttributeProto a : gemm.getAttributeList()) {
            if ((a.getName().equals("alpha") || a.getName().equals("beta")) && a.getF() != 1f) {
                throw new IllegalArgumentException("Gemm '" + gemm.getName() + "' has " + a.getName() + "="
                        + a.getF() + ": only alpha=beta=1 is supported");
            }
            if (a.getName().equals("transA") && a.getI() != 0) {
                throw new IllegalArgumentException("Gemm '" + gemm.getName() + "' has transA=1: not supported");
            }
        }
    }

    private static OnnxMl.GraphProto withoutUnusedInitializers(OnnxMl.GraphProto graph) {
        Set<String> used = new HashSet<>();
        graph.getNodeList().forEach(n -> used.addAll(n.getInputList()));
        graph.getOutputList().forEach(o -> used.add(o.getName()));
        OnnxMl.GraphProto.Builder builder = graph.toBuilder().clearInitializer();
        graph.getInitializerList().stream().filter(t -> used.contains(t.getName())).forEach(builder::addInitializer);
        return builder.build();
    }

    private static Map<String, OnnxMl.TensorProto> initializers(OnnxMl.GraphProto graph) {
        Map<String, OnnxMl.TensorProto> byName = new HashMap<>();
        graph.getInitializerList().forEach(t -> byName.put(t.getName(), t));
        return byName;
    }

    private static Map<String, OnnxMl.NodeProto> producers(OnnxMl.GraphProto graph) {
        Map<String, OnnxMl.NodeProto> byOutput = new HashMap<>();
        graph.getNodeList().forEach(n -> n.getOutputList().forEach(o -> byOutput.put(o, n)));
        return byOutput;
    }

    private static Map<String, Integer> readerCounts(OnnxMl.GraphProto graph) {
        Map<String, Integer> counts = new HashMap<>();
        graph.getNodeList().forEach(n -> n.getInputList().forEach(i -> counts.merge(i, 1, Integer::sum)));
        return counts;
    }

    private static boolean isGraphOutput(OnnxMl.GraphProto graph, String tensor) {
        return graph.getOutputList().stream().anyMatch(o -> o.getName().equals(tensor));
    }

    /** A float tensor's values, from {@code raw_data} (little-endian) or {@code float_data}. */
    static float[] floats(OnnxMl.TensorProto tensor) {
        if (tensor == null || tensor.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("expected a float32 initializer, got "
                    + (tensor == null ? "none" : tensor.getName() + " of type " + tensor.getDataType()));
        }
        if (!tensor.getRawData().isEmpty()) {
            FloatBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        }
        float[] values = new float[tensor.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.getFloatData(i);
        }
        return values;
    }

    private static OnnxMl.TensorProto floatTensor(String name, List<Long> dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return rawTensor(name, OnnxMl.TensorProto.DataType.FLOAT, dims, bytes.array());
    }

    private static OnnxMl.TensorProto uint8Tensor(String name, int value) {
        return rawTensor(name, OnnxMl.TensorProto.DataType.UINT8, List.of(), new byte[] {(byte) value});
    }

    private static OnnxMl.TensorProto rawTensor(String name, OnnxMl.TensorProto.DataType type, List<Long> dims,
                                                byte[] bytes) {
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).addAllDims(dims)
                .setRawData(ByteString.copyFrom(bytes)).build();
    }

    private static OnnxMl.NodeProto node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .build();
    }

    private static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.AttributeProto floatAttribute(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    private static float attribute(OnnxMl.NodeProto node, String name, float fallback) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .map(OnnxMl.AttributeProto::getF).orElse(fallback);
    }

    private static OnnxMl.ModelProto parse(byte[] model) {
        try {
            return OnnxMl.ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }
}

package io.digitstream.trainer.ood;

import static io.digitstream.contract.DigitShape.CLASSES;
import static io.digitstream.contract.DigitShape.PIXELS;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.OodScore;
import io.digitstream.trainer.data.DigitArrays;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.math.la.DenseMatrix;

/**
 * The {@link OodScore#IN_GRAPH in-graph} not-a-digit score: how far an image's features lie from every digit class
 * (Mahalanobis distance with one covariance shared by the classes, Lee et al. 2018), added to the max-logit score,
 * each scaled by its spread over validation digits. The features are the penultimate dense layer's values before its
 * ReLU: after the ReLU, outliers' features collapse towards zero, near every class mean (measured on 1.2.0-run5:
 * AUROC against Fashion-MNIST 0.31 after, 0.998 before). The two scores fail on different images, so their sum
 * separates better than either (same model: Fashion-MNIST rejected at 0.5% of MNIST test digits, max-logit 73.7%,
 * distance 90.6%, sum 98.8%).
 *
 * <p>{@link #addTo} writes the score into the ONNX graph as an output {@value OnnxDigitModel#OOD_SCORE_NAME}, so the
 * classifier reads it like any output. With {@code z} the centred features, {@code P} the inverse covariance and
 * {@code m_k} the centred class means, the graph computes {@code min_k (z'Pz - 2 z'P m_k + m_k'P m_k)}: two small
 * matrix products, about 18k multiply-adds per image, next to the network's ~4.8M.
 */
public final class FeatureDistanceScore {

    /** Every name the score adds to a graph starts with this; {@value OnnxDigitModel#OOD_SCORE_NAME} too. */
    static final String PREFIX = "ood_";

    /** Shrinks the covariance towards its mean variance, so that directions the digits never vary in stay finite. */
    static final double SHRINKAGE = 1e-3;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int BATCH = 256;

    private final String featureTensor;
    private final float[] centre;
    private final float[][] precision;
    private final float[][] precisionTimesMeans;
    private final float[] meanTerms;
    private final double distanceMean;
    private final double distanceSpread;
    private final double maxLogitMean;
    private final double maxLogitSpread;

    private FeatureDistanceScore(String featureTensor, float[] centre, float[][] precision,
                                 float[][] precisionTimesMeans, float[] meanTerms, double distanceMean,
                                 double distanceSpread, double maxLogitMean, double maxLogitSpread) {
        this.featureTensor = featureTensor;
        this.centre = centre;
        this.precision = precision;
        this.precisionTimesMeans = precisionTimesMeans;
        this.meanTerms = meanTerms;
        this.distanceMean = distanceMean;
        this.distanceSpread = distanceSpread;
        this.maxLogitMean = maxLogitMean;
        this.maxLogitSpread = maxLogitSpread;
    }

    /**
     * Fits the class means and the shared covariance on {@code train} and the two scores' scales on
     * {@code validation}, through ONNX Runtime on {@code model} (an exported model with a {@code logits} output; a
     * score it already has is left out, so a calibrated model can be calibrated again).
     */
    public static FeatureDistanceScore fit(byte[] model, DigitArrays train, DigitArrays validation) {
        model = withoutScore(model);
        OnnxMl.ModelProto proto = parse(model);
        String feature = featureTensor(proto.getGraph());
        byte[] withFeatures = withOutputs(proto, List.of(feature));
        float[][][] trainOutputs = run(withFeatures, train.pixels(), feature, OnnxDigitModel.LOGITS_NAME);
        float[][] features = trainOutputs[0];
        int dims = features[0].length;

        double[] centre = new double[dims];
        double[][] means = new double[CLASSES][dims];
        int[] counts = new int[CLASSES];
        for (int i = 0; i < features.length; i++) {
            int label = train.labels()[i];
            counts[label]++;
            for (int j = 0; j < dims; j++) {
                means[label][j] += features[i][j];
                centre[j] += features[i][j];
            }
        }
        for (int k = 0; k < CLASSES; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("no training digit labelled " + k);
            }
            for (int j = 0; j < dims; j++) {
                means[k][j] /= counts[k];
            }
        }
        for (int j = 0; j < dims; j++) {
            centre[j] /= features.length;
        }

        double[][] covariance = new double[dims][dims];
        double[] deviation = new double[dims];
        for (int i = 0; i < features.length; i++) {
            double[] mean = means[train.labels()[i]];
            for (int j = 0; j < dims; j++) {
                deviation[j] = features[i][j] - mean[j];
            }
            for (int p = 0; p < dims; p++) {
                for (int q = 0; q <= p; q++) {
                    covariance[p][q] += deviation[p] * deviation[q];
                }
            }
        }
        double trace = 0;
        for (int p = 0; p < dims; p++) {
            for (int q = 0; q <= p; q++) {
                covariance[p][q] /= features.length;
                covariance[q][p] = covariance[p][q];
            }
            trace += covariance[p][p];
        }
        for (int p = 0; p < dims; p++) {
            covariance[p][p] += SHRINKAGE * trace / dims;
        }
        DenseMatrix inverse = DenseMatrix.createDenseMatrix(covariance).choleskyFactorization()
                .orElseThrow(() -> new IllegalStateException("the feature covariance is not positive definite"))
                .solve(DenseMatrix.createIdentity(dims));

        float[][] precision = new float[dims][dims];
        for (int p = 0; p < dims; p++) {
            for (int q = 0; q < dims; q++) {
                precision[p][q] = (float) inverse.get(p, q);
            }
        }
        float[][] precisionTimesMeans = new float[dims][CLASSES];
        float[] meanTerms = new float[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            double[] m = new double[dims];
            for (int j = 0; j < dims; j++) {
                m[j] = means[k][j] - centre[j];
            }
            double term = 0;
            for (int p = 0; p < dims; p++) {
                double pm = 0;
                for (int q = 0; q < dims; q++) {
                    pm += inverse.get(p, q) * m[q];
                }
                precisionTimesMeans[p][k] = (float) pm;
                term += m[p] * pm;
            }
            meanTerms[k] = (float) term;
        }

        // scales from validation digits, through the same graph the classifier will run
        FeatureDistanceScore unscaled = new FeatureDistanceScore(feature, toFloats(centre), precision,
                precisionTimesMeans, meanTerms, 0, 1, 0, 0);
        float[][][] parts = run(unscaled.addTo(model), validation.pixels(), OnnxDigitModel.OOD_SCORE_NAME,
                OnnxDigitModel.LOGITS_NAME);
        double[] distances = column(parts[0]);
        double[] maxLogits = OodCalibration.scores(OodScore.MAX_LOGIT, parts[1]);
        return new FeatureDistanceScore(feature, unscaled.centre, precision, precisionTimesMeans, meanTerms,
                mean(distances), spread(distances), mean(maxLogits), spread(maxLogits));
    }

    /**
     * {@code model} with the score's nodes and its output {@value OnnxDigitModel#OOD_SCORE_NAME} float32 [N,1], in
     * place of any score it had.
     */
    public byte[] addTo(byte[] model) {
        OnnxMl.ModelProto.Builder builder = parse(withoutScore(model)).toBuilder();
        OnnxMl.GraphProto.Builder graph = builder.getGraphBuilder();
        int dims = centre.length;
        graph.addInitializer(tensor("ood_centre", new long[] {dims}, centre));
        graph.addInitializer(tensor("ood_precision", new long[] {dims, dims}, flatten(precision)));
        graph.addInitializer(tensor("ood_precision_means", new long[] {dims, CLASSES}, flatten(precisionTimesMeans)));
        graph.addInitializer(tensor("ood_mean_terms", new long[] {CLASSES}, meanTerms));
        graph.addInitializer(tensor("ood_two", new long[] {}, new float[] {2f}));
        graph.addInitializer(longs("ood_axis", new long[] {1}));
        // with unit spreads and zero means (while fitting) the output is the distance alone
        boolean scaled = maxLogitSpread > 0;
        graph.addInitializer(tensor("ood_distance_scale", new long[] {}, new float[] {(float) (1 / distanceSpread)}));
        graph.addInitializer(tensor("ood_logit_scale", new long[] {}, new float[] {scaled ? (float) (1 / maxLogitSpread) : 0f}));
        graph.addInitializer(tensor("ood_offset", new long[] {}, new float[] {scaled
                ? (float) (-distanceMean / distanceSpread - maxLogitMean / maxLogitSpread) : 0f}));

        graph.addNode(node("Sub", List.of(featureTensor, "ood_centre"), "ood_z"));
        graph.addNode(node("MatMul", List.of("ood_z", "ood_precision"), "ood_zp"));
        graph.addNode(node("Mul", List.of("ood_zp", "ood_z"), "ood_zpz_terms"));
        graph.addNode(node("ReduceSum", List.of("ood_zpz_terms", "ood_axis"), "ood_zpz"));
        graph.addNode(node("MatMul", List.of("ood_z", "ood_precision_means"), "ood_cross"));
        graph.addNode(node("Mul", List.of("ood_cross", "ood_two"), "ood_cross2"));
        graph.addNode(node("Sub", List.of("ood_zpz", "ood_cross2"), "ood_partial"));
        graph.addNode(node("Add", List.of("ood_partial", "ood_mean_terms"), "ood_distances"));
        graph.addNode(node("ReduceMin", List.of("ood_distances"), "ood_distance").toBuilder()
                .addAttribute(ints("axes", 1)).addAttribute(ints("keepdims", 1)).build());
        graph.addNode(node("ReduceMax", List.of(OnnxDigitModel.LOGITS_NAME), "ood_max_logit").toBuilder()
                .addAttribute(ints("axes", 1)).addAttribute(ints("keepdims", 1)).build());
        graph.addNode(node("Mul", List.of("ood_distance", "ood_distance_scale"), "ood_distance_z"));
        graph.addNode(node("Mul", List.of("ood_max_logit", "ood_logit_scale"), "ood_max_logit_z"));
        graph.addNode(node("Sub", List.of("ood_distance_z", "ood_max_logit_z"), "ood_sum"));
        graph.addNode(node("Add", List.of("ood_sum", "ood_offset"), OnnxDigitModel.OOD_SCORE_NAME));
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(OnnxDigitModel.OOD_SCORE_NAME)
                .setType(floatType("batch", 1)));
        return builder.build().toByteArray();
    }

    /** The score of each image ({@code pixels}: rows of 784) by a model {@link #addTo} wrote. */
    public static double[] scores(byte[] scoredModel, float[] pixels) {
        return column(run(scoredModel, pixels, OnnxDigitModel.OOD_SCORE_NAME)[0]);
    }

    /** The feature dimension, for logs. */
    public int dimensions() {
        return centre.length;
    }

    public String featureTensor() {
        return featureTensor;
    }

    /**
     * The input of the last dense layer's activation: going back from {@code logits} through Identity nodes to the
     * Gemm that computes them, the tensor it reads, or that tensor's Relu input when a Relu produced it.
     */
    static String featureTensor(OnnxMl.GraphProto graph) {
        OnnxMl.NodeProto node = producer(graph, OnnxDigitModel.LOGITS_NAME);
        while (node != null && node.getOpType().equals("Identity")) {
            node = producer(graph, node.getInput(0));
        }
        if (node == null || !node.getOpType().equals("Gemm")) {
            throw new IllegalArgumentException("the model's '" + OnnxDigitModel.LOGITS_NAME
                    + "' output does not come from a dense (Gemm) layer");
        }
        String features = node.getInput(0);
        OnnxMl.NodeProto activation = producer(graph, features);
        return activation != null && activation.getOpType().equals("Relu") ? activation.getInput(0) : features;
    }

    /** The node that writes {@code tensor}, or null for a graph input or initializer. */
    private static OnnxMl.NodeProto producer(OnnxMl.GraphProto graph, String tensor) {
        return graph.getNodeList().stream().filter(n -> n.getOutputList().contains(tensor)).findFirst().orElse(null);
    }

    private static byte[] withOutputs(OnnxMl.ModelProto proto, List<String> names) {
        OnnxMl.ModelProto.Builder builder = proto.toBuilder();
        for (String name : names) {
            builder.getGraphBuilder().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name)
                    .setType(floatType("batch", -1)));
        }
        return builder.build().toByteArray();
    }

    /** The named float32 [N, columns] outputs of the images in {@code pixels}, in batches, one thread. */
    private static float[][][] run(byte[] model, float[] pixels, String... names) {
        int n = pixels.length / PIXELS;
        float[][][] outputs = new float[names.length][n][];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = ENV.createSession(model, options)) {
                for (int from = 0; from < n; from += BATCH) {
                    int count = Math.min(BATCH, n - from);
                    try (OnnxTensor input = OnnxTensor.createTensor(ENV,
                                 FloatBuffer.wrap(pixels, from * PIXELS, count * PIXELS).slice(),
                                 new long[] {count, PIXELS});
                         OrtSession.Result result = session.run(Map.of(OnnxDigitModel.INPUT_NAME, input),
                                 Set.of(names))) {
                        for (int o = 0; o < names.length; o++) {
                            float[][] rows = (float[][]) result.get(names[o]).orElseThrow().getValue();
                            System.arraycopy(rows, 0, outputs[o], from, count);
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the model: " + e.getMessage(), e);
        }
        return outputs;
    }

    /**
     * {@code model} without the nodes, initializers and output {@link #addTo} writes (all named {@value #PREFIX}...):
     * ONNX refuses two nodes with one name, so a score is replaced, never added twice.
     */
    static byte[] withoutScore(byte[] model) {
        OnnxMl.ModelProto proto = parse(model);
        OnnxMl.GraphProto graph = proto.getGraph();
        if (graph.getOutputList().stream().noneMatch(output -> output.getName().startsWith(PREFIX))) {
            return model;
        }
        OnnxMl.GraphProto.Builder kept = graph.toBuilder().clearNode().clearInitializer().clearOutput();
        graph.getNodeList().stream().filter(node -> node.getOutputList().stream().noneMatch(o -> o.startsWith(PREFIX)))
                .forEach(kept::addNode);
        graph.getInitializerList().stream().filter(tensor -> !tensor.getName().startsWith(PREFIX))
                .forEach(kept::addInitializer);
        graph.getOutputList().stream().filter(output -> !output.getName().startsWith(PREFIX))
                .forEach(kept::addOutput);
        return proto.toBuilder().setGraph(kept).build().toByteArray();
    }

    private static OnnxMl.ModelProto parse(byte[] model) {
        try {
            return OnnxMl.ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static OnnxMl.NodeProto node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .build();
    }

    private static OnnxMl.AttributeProto ints(String name, long value) {
        OnnxMl.AttributeProto.Builder attribute = OnnxMl.AttributeProto.newBuilder().setName(name);
        return name.equals("axes")
                ? attribute.setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(value).build()
                : attribute.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static OnnxMl.TypeProto floatType(String batch, int columns) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        shape.addDim(columns > 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns)
                : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("features"));
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
    }

    private static OnnxMl.TensorProto tensor(String name, long[] shape, float[] values) {
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        for (long d : shape) {
            tensor.addDims(d);
        }
        for (float v : values) {
            tensor.addFloatData(v);
        }
        return tensor.build();
    }

    private static OnnxMl.TensorProto longs(String name, long[] values) {
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        return tensor.build();
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return flat;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static double[] column(float[][] rows) {
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i][0];
        }
        return values;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double spread(double[] values) {
        double mean = mean(values);
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        if (!(variance > 0)) {
            throw new IllegalStateException("the score does not vary over the validation digits");
        }
        return Math.sqrt(variance);
    }
}

package io.digitstream.core.model;

import static io.digitstream.contract.DigitShape.CLASSES;
import static io.digitstream.contract.DigitShape.PIXELS;

import io.digitstream.core.Sha256;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A digit classifier exported by the trainer, run by ONNX Runtime on the CPU.
 *
 * <p>The contract every model file must meet:
 * <ul>
 *   <li>one input {@value #INPUT_NAME}: float32 {@code [N, 784]}, each row a 28x28 image in row-major order, values
 *       0..1 (unsigned byte / 255), MNIST polarity: white digit on a black background;</li>
 *   <li>an output {@value #OUTPUT_NAME}: float32 {@code [N, 10]}, softmax already applied, column = digit;</li>
 *   <li>optionally an output {@value #LOGITS_NAME}: float32 {@code [N, 10]}, the same scores before the softmax, which
 *       the {@link OodScore#ENERGY energy} and {@link OodScore#MAX_LOGIT max-logit} not-a-digit scores need;</li>
 *   <li>optionally an output {@value #OOD_SCORE_NAME}: float32 {@code [N, 1]}, a not-a-digit score the graph computes
 *       itself, which {@link OodScore#IN_GRAPH} reads;</li>
 *   <li>{@code metadata_props} holding a {@link ModelMetadata}, including check digits for {@link #selfCheck()} and,
 *       optionally, the not-a-digit score method and threshold.</li>
 * </ul>
 * Loading verifies names, element types and shapes and parses the metadata, so a model that loads is one this class
 * can run: a model whose metadata names a score that needs an output it does not have is refused. Instances are safe to share between threads: ONNX Runtime sessions allow concurrent runs.
 */
public final class OnnxDigitModel implements AutoCloseable {

    public static final String INPUT_NAME = "pixels";
    public static final String OUTPUT_NAME = "probabilities";
    public static final String LOGITS_NAME = "logits";
    public static final String OOD_SCORE_NAME = "ood_score";
    /** The input contract in words, as written into {@link ModelMetadata#inputSpec()}. */
    public static final String INPUT_SPEC = INPUT_NAME + ": float32 [N,784], 28x28 row-major, 0..1 (byte/255), "
            + "white digit on black (MNIST polarity); " + OUTPUT_NAME + ": float32 [N,10] softmax";

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    /**
     * Each calling thread's input buffer, native memory that ONNX Runtime reads in place. Given a heap array it would
     * copy it into a new direct buffer on every call, native memory that only a garbage collection frees: under load
     * those piled up and the classifier's resident memory with them (docs/benchmarks.md, "Where the RSS goes").
     */
    private static final ThreadLocal<FloatBuffer> INPUT = ThreadLocal.withInitial(() -> directFloats(0));

    private final OrtSession session;
    private final ModelMetadata metadata;
    private final String sha256;
    private final boolean hasLogits;

    private OnnxDigitModel(OrtSession session, ModelMetadata metadata, String sha256, boolean hasLogits) {
        this.session = session;
        this.metadata = metadata;
        this.sha256 = sha256;
        this.hasLogits = hasLogits;
    }

    /** Loads a model file with one intra-op thread, the right choice for single images on a shared machine. */
    public static OnnxDigitModel load(Path file) throws IOException {
        return load(file, 1);
    }

    public static OnnxDigitModel load(Path file, int intraOpThreads) throws IOException {
        try {
            return fromBytes(Files.readAllBytes(file), intraOpThreads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static OnnxDigitModel fromBytes(byte[] model) {
        return fromBytes(model, 1);
    }

    /**
     * @throws IllegalArgumentException when ONNX Runtime cannot parse the bytes, or the model breaks the contract
     */
    public static OnnxDigitModel fromBytes(byte[] model, int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1: " + intraOpThreads);
        }
        String sha256 = Sha256.of(model);
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            session = ENV.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load model sha256=" + sha256 + ": " + e.getMessage(), e);
        }
        try {
            boolean hasLogits = verifyContract(session);
            ModelMetadata metadata = ModelMetadata.fromProperties(session.getMetadata().getCustomMetadata());
            if (metadata.oodScore().needsLogits() && !hasLogits) {
                throw new IllegalArgumentException("the model's metadata names " + ModelMetadata.KEY_OOD_SCORE + " '"
                        + metadata.oodScore().id() + "', which needs an output '" + LOGITS_NAME + "' float32 [N,"
                        + CLASSES + "], but its outputs are " + describe(session.getOutputInfo()));
            }
            if (metadata.oodScore().inGraph() && !session.getOutputNames().contains(OOD_SCORE_NAME)) {
                throw new IllegalArgumentException("the model's metadata names " + ModelMetadata.KEY_OOD_SCORE + " '"
                        + metadata.oodScore().id() + "', which needs an output '" + OOD_SCORE_NAME
                        + "' float32 [N,1], but its outputs are " + describe(session.getOutputInfo()));
            }
            return new OnnxDigitModel(session, metadata, sha256, hasLogits);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session, e);
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("cannot read model sha256=" + sha256 + ": " + e.getMessage(), e);
        }
    }

    /**
     * Class probabilities for {@code count} images held in the first {@code count * 784} floats of {@code pixels}
     * (a larger array is allowed so that callers can reuse one buffer for batches of any size).
     *
     * @return {@code count} rows of 10 probabilities
     */
    public float[][] probabilities(float[] pixels, int count) {
        return run(pixels, count, null)[0];
    }

    /**
     * Predictions for {@code count} images laid out as for {@link #probabilities}, each with its not-a-digit score by
     * the model's {@link ModelMetadata#oodScore() method}.
     */
    public List<Prediction> predictions(float[] pixels, int count) {
        OodScore score = metadata.oodScore();
        String scoreOutput = score.inGraph() ? OOD_SCORE_NAME : score.needsLogits() ? LOGITS_NAME : null;
        float[][][] outputs = run(pixels, count, scoreOutput);
        List<Prediction> predictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            predictions.add(score.inGraph() ? Prediction.withScore(outputs[0][i], outputs[1][i][0])
                    : Prediction.of(outputs[0][i], score.needsLogits() ? outputs[1][i] : null, score));
        }
        return predictions;
    }

    /** Classifies one image of 784 pixels laid out as the contract says. */
    public Prediction predict(float[] pixels) {
        if (pixels.length != PIXELS) {
            throw new IllegalArgumentException("an image has " + PIXELS + " pixels, got " + pixels.length);
        }
        return predictions(pixels, 1).get(0);
    }

    /**
     * The probabilities and, when not null, a second output ({@value #LOGITS_NAME} or {@value #OOD_SCORE_NAME}) of
     * {@code count} images: {@code [output][image][column]}.
     */
    private float[][][] run(float[] pixels, int count, String secondOutput) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        long needed = (long) count * PIXELS;
        if (pixels.length < needed) {
            throw new IllegalArgumentException(count + " images need " + needed + " floats, got " + pixels.length);
        }
        Set<String> outputs = secondOutput != null ? Set.of(OUTPUT_NAME, secondOutput) : Set.of(OUTPUT_NAME);
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, input(pixels, (int) needed), new long[] {count, PIXELS});
             OrtSession.Result result = session.run(Map.of(INPUT_NAME, input), outputs)) {
            float[][] probabilities = rows(result, OUTPUT_NAME, count, CLASSES);
            if (secondOutput == null) {
                return new float[][][] {probabilities};
            }
            // logits have a column per digit, the in-graph score one
            int columns = secondOutput.equals(LOGITS_NAME) ? CLASSES : 1;
            return new float[][][] {probabilities, rows(result, secondOutput, count, columns)};
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    /** The first {@code floats} of {@code pixels} in this thread's input buffer, grown when too small. */
    private static FloatBuffer input(float[] pixels, int floats) {
        FloatBuffer buffer = INPUT.get();
        if (buffer.capacity() < floats) {
            buffer = directFloats(floats);
            INPUT.set(buffer);
        }
        buffer.clear();
        buffer.put(pixels, 0, floats);
        return buffer.flip();
    }

    private static FloatBuffer directFloats(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static float[][] rows(OrtSession.Result result, String name, int count, int columns) throws OrtException {
        float[][] rows = (float[][]) result.get(name).orElseThrow().getValue();
        if (rows.length != count || rows[0].length != columns) {
            throw new IllegalStateException("model returned " + rows.length + "x" + rows[0].length + " " + name
                    + " for " + count + " images");
        }
        return rows;
    }

    /**
     * Classifies the check digits embedded in the model's metadata, so a server can refuse a broken or mismatched
     * model before it serves a single request.
     *
     * @return how many check digits were classified correctly (all of them)
     * @throws IllegalStateException naming every check digit the model got wrong, or when it carries none
     */
    public int selfCheck() {
        List<CheckDigit> digits = metadata.checkDigits();
        if (digits.isEmpty()) {
            throw new IllegalStateException(describe() + " carries no check digits, so it cannot be self-checked");
        }
        float[] batch = new float[digits.size() * PIXELS];
        for (int i = 0; i < digits.size(); i++) {
            System.arraycopy(digits.get(i).normalizedPixels(), 0, batch, i * PIXELS, PIXELS);
        }
        float[][] probabilities = probabilities(batch, digits.size());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < digits.size(); i++) {
            Prediction prediction = Prediction.fromProbabilities(probabilities[i]);
            int label = digits.get(i).label();
            if (prediction.digit() != label) {
                failures.add(String.format(Locale.ROOT, "#%d labelled %d was classified as %d (p=%.3f)",
                        i, label, prediction.digit(), prediction.confidence()));
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(describe() + " failed its self-check on " + failures.size() + " of "
                    + digits.size() + " check digits: " + String.join("; ", failures));
        }
        return digits.size();
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** Whether the model has the optional {@value #LOGITS_NAME} output. */
    public boolean hasLogits() {
        return hasLogits;
    }

    /** SHA-256 of the model bytes, lower-case hex: identifies exactly which file is being served. */
    public String sha256() {
        return sha256;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX Runtime session", e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private String describe() {
        return "model " + metadata.modelVersion() + " (sha256 " + sha256.substring(0, 12) + ")";
    }

    /** @return whether the model has the optional logits output (which then meets the contract too) */
    private static boolean verifyContract(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (inputs.size() != 1 || !matches(inputs.get(INPUT_NAME), PIXELS)) {
            throw new IllegalArgumentException("the model must take exactly one input '" + INPUT_NAME
                    + "' float32 [N," + PIXELS + "], but its inputs are " + describe(inputs));
        }
        if (!matches(outputs.get(OUTPUT_NAME), CLASSES)) {
            throw new IllegalArgumentException("the model must have an output '" + OUTPUT_NAME
                    + "' float32 [N," + CLASSES + "], but its outputs are " + describe(outputs));
        }
        if (outputs.containsKey(LOGITS_NAME) && !matches(outputs.get(LOGITS_NAME), CLASSES)) {
            throw new IllegalArgumentException("the model's optional output '" + LOGITS_NAME + "' must be float32 [N,"
                    + CLASSES + "], but its outputs are " + describe(outputs));
        }
        if (outputs.containsKey(OOD_SCORE_NAME) && !matches(outputs.get(OOD_SCORE_NAME), 1)) {
            throw new IllegalArgumentException("the model's optional output '" + OOD_SCORE_NAME
                    + "' must be float32 [N,1], but its outputs are " + describe(outputs));
        }
        return outputs.containsKey(LOGITS_NAME);
    }

    private static boolean matches(NodeInfo node, int columns) {
        return node != null
                && node.getInfo() instanceof TensorInfo tensor
                && tensor.type == OnnxJavaType.FLOAT
                && tensor.getShape().length == 2
                && tensor.getShape()[1] == columns;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        return nodes.values().stream()
                .map(n -> n.getInfo() instanceof TensorInfo t
                        ? n.getName() + " " + t.type + Arrays.toString(t.getShape())
                        : n.getName() + " " + n.getInfo())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static void closeQuietly(OrtSession session, Exception cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}

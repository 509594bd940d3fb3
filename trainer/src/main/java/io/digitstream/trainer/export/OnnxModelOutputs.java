package io.digitstream.trainer.export;

import static io.digitstream.contract.DigitShape.CLASSES;
import static io.digitstream.contract.DigitShape.PIXELS;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The outputs of a model file, {@code probabilities} and (when the file has them) {@code logits} and
 * {@code ood_score}, with its raw {@code metadata_props}: what the trainer checks and measures. Serving goes through
 * {@link OnnxDigitModel}.
 */
public final class OnnxModelOutputs implements AutoCloseable {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int BATCH = 256;

    /**
     * @param logits    null when the model has no logits output
     * @param oodScores null when the model has no ood_score output
     */
    public record Outputs(float[][] probabilities, float[][] logits, double[] oodScores) {
    }

    private final OrtSession session;
    private final boolean hasLogits;
    private final boolean hasOodScore;

    private OnnxModelOutputs(OrtSession session) throws OrtException {
        this.session = session;
        this.hasLogits = session.getOutputNames().contains(OnnxExporter.LOGITS_OUTPUT);
        this.hasOodScore = session.getOutputNames().contains(OnnxDigitModel.OOD_SCORE_NAME);
    }

    public static OnnxModelOutputs load(Path file, int threads) throws IOException {
        try {
            return fromBytes(Files.readAllBytes(file), threads);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when ONNX Runtime cannot load the bytes */
    public static OnnxModelOutputs fromBytes(byte[] model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            return new OnnxModelOutputs(ENV.createSession(model, options));
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    public boolean hasLogits() {
        return hasLogits;
    }

    /** Whether the graph computes its own not-a-digit score ({@link io.digitstream.core.model.OodScore#IN_GRAPH}). */
    public boolean hasOodScore() {
        return hasOodScore;
    }

    /** The file's {@code metadata_props}, including entries {@link io.digitstream.core.model.ModelMetadata} ignores. */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read model metadata: " + e.getMessage(), e);
        }
    }

    /** Runs {@code pixels.length / 784} images in batches. */
    public Outputs run(float[] pixels) {
        int n = pixels.length / PIXELS;
        float[][] probabilities = new float[n][];
        float[][] logits = hasLogits ? new float[n][] : null;
        double[] oodScores = hasOodScore ? new double[n] : null;
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(OnnxDigitModel.OUTPUT_NAME);
        if (hasLogits) {
            wanted.add(OnnxExporter.LOGITS_OUTPUT);
        }
        if (hasOodScore) {
            wanted.add(OnnxDigitModel.OOD_SCORE_NAME);
        }
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            try (OnnxTensor input = OnnxTensor.createTensor(ENV,
                         FloatBuffer.wrap(pixels, from * PIXELS, count * PIXELS).slice(), new long[] {count, PIXELS});
                 OrtSession.Result result = session.run(Map.of(OnnxDigitModel.INPUT_NAME, input), wanted)) {
                copy((float[][]) result.get(OnnxDigitModel.OUTPUT_NAME).orElseThrow().getValue(), probabilities, from);
                if (hasLogits) {
                    copy((float[][]) result.get(OnnxExporter.LOGITS_OUTPUT).orElseThrow().getValue(), logits, from);
                }
                if (hasOodScore) {
                    float[][] scores = (float[][]) result.get(OnnxDigitModel.OOD_SCORE_NAME).orElseThrow().getValue();
                    for (int i = 0; i < count; i++) {
                        oodScores[from + i] = scores[i][0];
                    }
                }
            } catch (OrtException e) {
                throw new IllegalStateException("inference failed: " + e.getMessage(), e);
            }
        }
        return new Outputs(probabilities, logits, oodScores);
    }

    private static void copy(float[][] batch, float[][] into, int from) {
        if (batch.length > 0 && batch[0].length != CLASSES) {
            throw new IllegalStateException("expected " + CLASSES + " columns, got " + batch[0].length);
        }
        System.arraycopy(batch, 0, into, from, batch.length);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX Runtime session", e);
        }
    }
}

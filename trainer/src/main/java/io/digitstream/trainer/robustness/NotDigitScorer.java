package io.digitstream.trainer.robustness;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The not-a-digit score of a model, as issue 11 defines it: higher means less like a digit, and an image is rejected
 * when its score is strictly above the threshold. The method is named by the model's metadata key {@code ood.score}
 * ({@code energy} = -logsumexp(logits), {@code max-logit} = -max logit, {@code msp} = -max probability, the default
 * and the only one for a model without a {@code logits} output); the threshold by {@code ood.threshold}.
 *
 * <p>Stand-in: core's model API does not expose the score yet, so this is the one class of the benchmark that reads
 * those metadata keys (through an ONNX Runtime session of its own) and computes the score; once core's
 * {@code OnnxDigitModel} and {@code Prediction} offer it, this class should delegate to them.
 */
public final class NotDigitScorer implements AutoCloseable {

    public static final String KEY_SCORE = "ood.score";
    public static final String KEY_THRESHOLD = "ood.threshold";
    public static final String LOGITS_OUTPUT = "logits";

    /** How the score is computed from the model's outputs. */
    public enum Method {
        MSP("msp"), ENERGY("energy"), MAX_LOGIT("max-logit");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Method of(String id) {
            for (Method m : values()) {
                if (m.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException(KEY_SCORE + " '" + id + "' is none of msp, energy, max-logit");
        }
    }

    /** Class probabilities and the not-a-digit score of each image of a batch. */
    public record Scored(float[][] probabilities, double[] scores) {
    }

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OnnxDigitModel model;
    private final OrtSession session;
    private final Method method;
    private final OptionalDouble threshold;

    private NotDigitScorer(OnnxDigitModel model, OrtSession session, Method method, OptionalDouble threshold) {
        this.model = model;
        this.session = session;
        this.method = method;
        this.threshold = threshold;
    }

    /**
     * The scorer of {@code model}, loaded from {@code file}; the model stays open and owned by the caller.
     *
     * @throws IllegalArgumentException when the metadata names an unknown method, a threshold that is not a number, or
     *                                  a logit method for a model without a {@code logits} output
     */
    public static NotDigitScorer open(Path file, OnnxDigitModel model, int threads) throws IOException {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            session = ENV.createSession(Files.readAllBytes(file), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, String> props = session.getMetadata().getCustomMetadata();
            Method method = props.containsKey(KEY_SCORE) ? Method.of(props.get(KEY_SCORE)) : Method.MSP;
            if (method != Method.MSP && !session.getOutputNames().contains(LOGITS_OUTPUT)) {
                throw new IllegalArgumentException(file + ": " + KEY_SCORE + " is " + method.id()
                        + " but the model has no '" + LOGITS_OUTPUT + "' output");
            }
            OptionalDouble threshold = OptionalDouble.empty();
            if (props.containsKey(KEY_THRESHOLD)) {
                try {
                    threshold = OptionalDouble.of(Double.parseDouble(props.get(KEY_THRESHOLD).strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ": " + KEY_THRESHOLD + " is not a number: '"
                            + props.get(KEY_THRESHOLD) + "'", e);
                }
            }
            return new NotDigitScorer(model, session, method, threshold);
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public Method method() {
        return method;
    }

    /** The model's own threshold ({@code ood.threshold}), empty for a model that has none. */
    public OptionalDouble threshold() {
        return threshold;
    }

    /** Runs {@code count} images held in the first {@code count * 784} floats of {@code pixels}. */
    public Scored run(float[] pixels, int count) {
        if (method == Method.MSP) {
            float[][] probabilities = model.probabilities(pixels, count);
            double[] scores = new double[count];
            for (int i = 0; i < count; i++) {
                scores[i] = score(method, probabilities[i], null);
            }
            return new Scored(probabilities, scores);
        }
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(pixels, 0, count * DigitShape.PIXELS),
                     new long[] {count, DigitShape.PIXELS});
             OrtSession.Result result = session.run(Map.of(OnnxDigitModel.INPUT_NAME, input),
                     Set.of(OnnxDigitModel.OUTPUT_NAME, LOGITS_OUTPUT))) {
            float[][] probabilities = (float[][]) result.get(OnnxDigitModel.OUTPUT_NAME).orElseThrow().getValue();
            float[][] logits = (float[][]) result.get(LOGITS_OUTPUT).orElseThrow().getValue();
            double[] scores = new double[count];
            for (int i = 0; i < count; i++) {
                scores[i] = score(method, probabilities[i], logits[i]);
            }
            return new Scored(probabilities, scores);
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    /** The score of one image; {@code logits} may be null for {@link Method#MSP}. */
    static double score(Method method, float[] probabilities, float[] logits) {
        return switch (method) {
            case MSP -> -max(probabilities);
            case MAX_LOGIT -> -max(logits);
            case ENERGY -> {
                double m = max(logits);
                double sum = 0;
                for (float l : logits) {
                    sum += Math.exp(l - m);
                }
                yield -(m + Math.log(sum));
            }
        };
    }

    private static double max(float[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Closes the scorer's own session, not the model. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX Runtime session", e);
        }
    }
}

package io.digitstream.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a digit model file says about itself, stored as ONNX {@code metadata_props} (string key/value pairs).
 * The keys below are the only place that names them; maps and lists are stored as JSON.
 *
 * @param modelVersion        free-form version the trainer assigned, e.g. {@code 2024-05-01T10-00-00Z-full}
 * @param hyperparameters     the CNN family point and training options, as strings
 * @param validationAccuracy  accuracy on the held-out validation split (NaN when there was none)
 * @param testAccuracy        accuracy on the MNIST test set (NaN when not measured)
 * @param inputSpec           the input contract the model was exported for
 * @param preprocessing       how raw images became the pixels the model was trained on
 * @param trainingDataSha256  SHA-256 of each training data file, by file name
 * @param trainedAt           when training finished
 * @param checkDigits         labelled images that the model must classify correctly, see {@link OnnxDigitModel#selfCheck()}
 * @param oodScore            how the model scores not-a-digit images ({@value #KEY_OOD_SCORE}); {@link OodScore#MSP}
 *                            for models that do not say
 * @param oodThreshold        the score above which an image is not a digit ({@value #KEY_OOD_THRESHOLD}); NaN when the
 *                            model has none, and then nothing is rejected unless the operator sets a threshold
 */
public record ModelMetadata(
        String modelVersion,
        Map<String, String> hyperparameters,
        double validationAccuracy,
        double testAccuracy,
        String inputSpec,
        String preprocessing,
        Map<String, String> trainingDataSha256,
        Instant trainedAt,
        List<CheckDigit> checkDigits,
        OodScore oodScore,
        double oodThreshold) {

    public static final String KEY_METADATA_FORMAT = "digitstream.metadata_format";
    public static final String KEY_MODEL_VERSION = "digitstream.model_version";
    public static final String KEY_HYPERPARAMETERS = "digitstream.hyperparameters";
    public static final String KEY_VALIDATION_ACCURACY = "digitstream.validation_accuracy";
    public static final String KEY_TEST_ACCURACY = "digitstream.test_accuracy";
    public static final String KEY_INPUT_SPEC = "digitstream.input_spec";
    public static final String KEY_PREPROCESSING = "digitstream.preprocessing";
    public static final String KEY_TRAINING_DATA_SHA256 = "digitstream.training_data_sha256";
    public static final String KEY_TRAINED_AT = "digitstream.trained_at";
    public static final String KEY_CHECK_DIGITS = "digitstream.check_digits";
    /** Optional, {@link OodScore#id()}; named without the project prefix, as the trainer and classifier agreed. */
    public static final String KEY_OOD_SCORE = "ood.score";
    /** Optional, decimal text. */
    public static final String KEY_OOD_THRESHOLD = "ood.threshold";

    /** Bumped when a key changes meaning; readers refuse formats they do not know. */
    public static final String METADATA_FORMAT = "1";

    /** How the trainer turns MNIST IDX bytes into model input; a serving path must do the same. */
    public static final String MNIST_PREPROCESSING =
            "MNIST IDX unsigned bytes scaled by 1/255; white digit on black; no centering or standardization";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelMetadata {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(inputSpec, "inputSpec");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(trainedAt, "trainedAt");
        // sorted copies so that equal metadata writes byte-identical JSON
        hyperparameters = Collections.unmodifiableSortedMap(new TreeMap<>(hyperparameters));
        trainingDataSha256 = Collections.unmodifiableSortedMap(new TreeMap<>(trainingDataSha256));
        checkDigits = List.copyOf(checkDigits);
        Objects.requireNonNull(oodScore, "oodScore");
        if (Double.isInfinite(oodThreshold)) {
            throw new IllegalArgumentException("oodThreshold must be finite, or NaN for none: " + oodThreshold);
        }
    }

    /** Metadata of a model that says nothing about not-a-digit images: {@link OodScore#MSP}, no threshold. */
    public ModelMetadata(String modelVersion, Map<String, String> hyperparameters, double validationAccuracy,
                         double testAccuracy, String inputSpec, String preprocessing,
                         Map<String, String> trainingDataSha256, Instant trainedAt, List<CheckDigit> checkDigits) {
        this(modelVersion, hyperparameters, validationAccuracy, testAccuracy, inputSpec, preprocessing,
                trainingDataSha256, trainedAt, checkDigits, OodScore.MSP, Double.NaN);
    }

    /** This metadata with another OOD score method and threshold (NaN: none). */
    public ModelMetadata withOod(OodScore score, double threshold) {
        return new ModelMetadata(modelVersion, hyperparameters, validationAccuracy, testAccuracy, inputSpec,
                preprocessing, trainingDataSha256, trainedAt, checkDigits, score, threshold);
    }

    /** Whether the model names a not-a-digit threshold. */
    public boolean hasOodThreshold() {
        return !Double.isNaN(oodThreshold);
    }

    /** The {@code metadata_props} entries that encode this metadata. */
    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(KEY_METADATA_FORMAT, METADATA_FORMAT);
        props.put(KEY_MODEL_VERSION, modelVersion);
        props.put(KEY_HYPERPARAMETERS, toJson(JSON.valueToTree(hyperparameters)));
        props.put(KEY_VALIDATION_ACCURACY, Double.toString(validationAccuracy));
        props.put(KEY_TEST_ACCURACY, Double.toString(testAccuracy));
        props.put(KEY_INPUT_SPEC, inputSpec);
        props.put(KEY_PREPROCESSING, preprocessing);
        props.put(KEY_TRAINING_DATA_SHA256, toJson(JSON.valueToTree(trainingDataSha256)));
        props.put(KEY_TRAINED_AT, trainedAt.toString());
        ArrayNode digits = JSON.createArrayNode();
        for (CheckDigit digit : checkDigits) {
            digits.addObject().put("label", digit.label()).put("pixels", digit.pixelsBase64());
        }
        props.put(KEY_CHECK_DIGITS, toJson(digits));
        // left out at their defaults, so that a model that says nothing about them has the bytes it always had
        if (oodScore != OodScore.MSP) {
            props.put(KEY_OOD_SCORE, oodScore.id());
        }
        if (hasOodThreshold()) {
            props.put(KEY_OOD_THRESHOLD, Double.toString(oodThreshold));
        }
        return props;
    }

    /**
     * Reads metadata written by {@link #toProperties()}; other entries are ignored.
     *
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static ModelMetadata fromProperties(Map<String, String> props) {
        String format = props.get(KEY_METADATA_FORMAT);
        if (format == null) {
            throw new IllegalArgumentException("not a digit-stream model: metadata_props has no "
                    + KEY_METADATA_FORMAT + " (found keys " + new TreeMap<>(props).keySet() + ")");
        }
        if (!METADATA_FORMAT.equals(format)) {
            throw new IllegalArgumentException("unsupported " + KEY_METADATA_FORMAT + " '" + format
                    + "', this reader knows '" + METADATA_FORMAT + "'");
        }
        JsonNode digitNodes = readJson(props, KEY_CHECK_DIGITS);
        if (!digitNodes.isArray()) {
            throw new IllegalArgumentException(KEY_CHECK_DIGITS + " must be a JSON array");
        }
        List<CheckDigit> digits = new ArrayList<>();
        for (JsonNode node : digitNodes) {
            if (!node.path("label").isInt() || !node.path("pixels").isTextual()) {
                throw new IllegalArgumentException(KEY_CHECK_DIGITS + ": each entry needs an int label and base64 pixels");
            }
            digits.add(CheckDigit.fromBase64(node.get("label").intValue(), node.get("pixels").textValue()));
        }
        return new ModelMetadata(
                required(props, KEY_MODEL_VERSION),
                readStringMap(props, KEY_HYPERPARAMETERS),
                readDouble(props, KEY_VALIDATION_ACCURACY),
                readDouble(props, KEY_TEST_ACCURACY),
                required(props, KEY_INPUT_SPEC),
                required(props, KEY_PREPROCESSING),
                readStringMap(props, KEY_TRAINING_DATA_SHA256),
                readInstant(props, KEY_TRAINED_AT),
                digits,
                readOodScore(props),
                readOodThreshold(props));
    }

    private static OodScore readOodScore(Map<String, String> props) {
        String value = props.get(KEY_OOD_SCORE);
        if (value == null) {
            return OodScore.MSP;
        }
        try {
            return OodScore.named(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_OOD_SCORE + ": " + e.getMessage(), e);
        }
    }

    private static double readOodThreshold(Map<String, String> props) {
        if (!props.containsKey(KEY_OOD_THRESHOLD)) {
            return Double.NaN;
        }
        double threshold = readDouble(props, KEY_OOD_THRESHOLD);
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException(KEY_OOD_THRESHOLD + " must be a finite number: '"
                    + props.get(KEY_OOD_THRESHOLD) + "'");
        }
        return threshold;
    }

    private static String required(Map<String, String> props, String key) {
        String value = props.get(key);
        if (value == null) {
            throw new IllegalArgumentException("model metadata lacks " + key);
        }
        return value;
    }

    private static double readDouble(Map<String, String> props, String key) {
        String value = required(props, key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
        }
    }

    private static Instant readInstant(Map<String, String> props, String key) {
        String value = required(props, key);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is not an ISO-8601 instant: '" + value + "'", e);
        }
    }

    private static Map<String, String> readStringMap(Map<String, String> props, String key) {
        JsonNode node = readJson(props, key);
        if (!node.isObject()) {
            throw new IllegalArgumentException(key + " must be a JSON object");
        }
        Map<String, String> map = new TreeMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static JsonNode readJson(Map<String, String> props, String key) {
        String value = required(props, key);
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(key + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String toJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON tree", e);
        }
    }
}

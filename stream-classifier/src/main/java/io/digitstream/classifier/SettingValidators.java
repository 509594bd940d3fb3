package io.digitstream.classifier;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef.LambdaValidator;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The checks of {@link ClassifierConfig}'s settings that Kafka's own validators do not make. Each names what it
 * accepts, for the settings table of docs/operations.md, and refuses with a {@link ConfigException} naming the setting.
 */
final class SettingValidators {

    /** What {@code record.max.bytes} and {@code topic.replication.factor} take for "derive it" and "the broker's". */
    static final int DEFAULT_MARKER = -1;
    static final int ADMIN_TOKEN_MIN_LENGTH = 16;
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private SettingValidators() {
    }

    /** Refused at start rather than by the broker when the topics are created. */
    static Validator topicName() {
        return validator((name, value) -> {
            String topic = (String) value;
            if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new ConfigException(name, value, "a topic name is 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
            }
        }, "a Kafka topic name");
    }

    static Validator replicationFactor() {
        return validator((name, value) -> {
            int replicas = (Integer) value;
            if (replicas != DEFAULT_MARKER && (replicas < 1 || replicas > Short.MAX_VALUE)) {
                throw new ConfigException(name, value, "must be positive, or -1 for the broker's default");
            }
        }, "-1, [1,...,32767]");
    }

    /** Above 1 sends everything to review, which is a legitimate setting (audit a new model). */
    static Validator reviewThreshold() {
        return validator((name, value) -> {
            double threshold = (Double) value;
            if (!(threshold >= 0.0) || Double.isInfinite(threshold)) {
                throw new ConfigException(name, value, "must be a number >= 0");
            }
        }, "[0,...], finite");
    }

    /** OOD scores may be negative (the energy of a digit is): any finite number, empty or {@code none}. */
    static Validator notDigitThreshold() {
        return validator((name, value) -> {
            String text = ((String) value).strip();
            if (text.isEmpty() || text.equals(ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE)) {
                return;
            }
            double threshold;
            try {
                threshold = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                threshold = Double.NaN;
            }
            if (!Double.isFinite(threshold)) {
                throw new ConfigException(name, value, "must be a finite number, empty for the served model's "
                        + "threshold, or " + ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE);
            }
        }, "empty, " + ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE + ", or a finite number");
    }

    /** A dead letter must hold at least its headers and the start of the record. */
    static Validator recordMaxBytes() {
        return validator((name, value) -> {
            int bytes = (Integer) value;
            if (bytes != DEFAULT_MARKER && bytes < 16 * 1024) {
                throw new ConfigException(name, value, "must be at least 16384, or -1 for the default");
            }
        }, "-1, [16384,...]");
    }

    /** Empty (off) or printable ASCII without spaces, long enough not to be guessed; the message never shows it. */
    static Validator adminToken() {
        return validator((name, value) -> {
            String token = ((Password) value).value();
            if (!token.isEmpty() && (token.length() < ADMIN_TOKEN_MIN_LENGTH
                    || !token.chars().allMatch(c -> c > ' ' && c < 0x7f))) {
                // the value is a Password: the message shows [hidden]
                throw new ConfigException(name, value, "must be at least " + ADMIN_TOKEN_MIN_LENGTH + " printable "
                        + "ASCII characters without spaces (e.g. openssl rand -hex 32), or empty to turn "
                        + "POST /model/reload off; the one given has " + token.length() + " characters");
            }
        }, "empty, or " + ADMIN_TOKEN_MIN_LENGTH + "+ printable ASCII characters without spaces");
    }

    /** ISO-8601 ({@code PT10M}) as {@link Duration#parse} reads it: positive, or also zero. */
    static Validator duration(boolean zeroAllowed) {
        return validator((name, value) -> {
            Duration duration;
            try {
                duration = Duration.parse((String) value);
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, value, "must be an ISO-8601 duration such as PT10M");
            }
            if (duration.isNegative() || duration.isZero() && !zeroAllowed) {
                throw new ConfigException(name, value, zeroAllowed ? "must be >= 0" : "must be positive");
            }
        }, zeroAllowed ? "ISO-8601 duration >= 0" : "ISO-8601 duration > 0");
    }

    private static Validator validator(Validator check, String accepts) {
        return LambdaValidator.with(check::ensureValid, () -> accepts);
    }
}

package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.ImageEvent;
import io.digitstream.contract.ImageEventDecoder;
import io.digitstream.contract.RejectedEventException;
import io.digitstream.core.PropertyCheck;
import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageProperties;
import io.digitstream.core.image.ImageRejectedException.Reason;
import io.digitstream.core.image.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever record arrives, decoding it and preprocessing its image, as the classify processor does, ends as 784 floats
 * in 0..1 or as a rejection with a documented dead-letter reason code, never as another exception.
 */
class ImageEventDecoderPropertyTest {

    /** {@link DeadLetter}'s codes and the preprocessor's: everything the DLQ contract documents. */
    private static final Set<String> REASON_CODES = Stream.concat(Arrays.stream(Reason.values()).map(Reason::code),
            Stream.of(DeadLetter.BAD_JSON, DeadLetter.BAD_LABEL, DeadLetter.TOO_LARGE)).collect(Collectors.toSet());
    private static final String[] CONTENT_TYPES = {"application/json", "application/JSON; charset=utf-8", "text/json",
        "image/png", "application/octet-stream", ""};
    private static final String[] ODD_VALUES = {"null", "true", "false", "0", "-0", "7.0", "1e400", "-1", "10",
        "12345678901234567890123456789", "\"\"", "\" 7 \"", "\"7\\u0000\"", "[]", "{}", "[7]", "{\"a\":7}", "\"\\ud800\"",
        "\"AQID\"", "\"AQ\\r\\nID\"", "\"AQ==ID\"", "\"====\"", "\"\\u0041\\u0051\\u0049\\u0044\""};

    private final DigitPreprocessor preprocessor = new DigitPreprocessor(ClassifierConfig.defaults().imageLimits());
    private final ImageEventDecoder decoder = new ImageEventDecoder(ClassifierConfig.defaults().maxJsonBytes());
    /** Small enough that some envelopes are too large. */
    private final ImageEventDecoder strictDecoder = new ImageEventDecoder(2048);
    private final Map<String, Integer> outcomes = new TreeMap<>();

    /** One input record: its value and headers, and whether the strict decoder reads it. */
    record InputRecord(byte[] value, byte[] label, byte[] contentType, boolean strict) {
    }

    @AfterEach
    void printOutcomes() {
        System.out.println("  outcomes: " + outcomes);
    }

    @Test
    void anyRecordEndsAsPixelsOrAReasonCode() {
        PropertyCheck.forAll("random records", 2000, random -> {
            byte[] value = switch (random.nextInt(4)) {
                case 0 -> Mutations.randomBytes(random, random.nextInt(64));
                case 1 -> concat(utf8(" \t\r\n".substring(random.nextInt(4)) + "{"),
                        Mutations.randomBytes(random, random.nextInt(300)));
                case 2 -> ImageProperties.validInput(random);
                default -> random.nextBoolean() ? null : Mutations.randomBytes(random, random.nextInt(3000));
            };
            return new InputRecord(value, label(random), contentType(random), random.nextInt(4) == 0);
        }, RECORDS, this::endsAsPixelsOrAReasonCode);
    }

    @Test
    void damagedEnvelopesEndAsPixelsOrAReasonCode() {
        PropertyCheck.forAll("damaged envelopes", 2000, random -> {
            byte[] image = ImageProperties.validInput(random);
            if (random.nextInt(3) == 0) {
                image = Mutations.mutate(image, random);
            }
            byte[] json = envelope(random, image);
            if (random.nextBoolean()) {
                json = Mutations.mutate(json, random);
            }
            return new InputRecord(json, random.nextInt(3) == 0 ? label(random) : null,
                    random.nextBoolean() ? null : utf8("application/json"), random.nextInt(4) == 0);
        }, RECORDS, this::endsAsPixelsOrAReasonCode);
    }

    @Test
    void envelopesWithOddValuesEndAsPixelsOrAReasonCode() {
        PropertyCheck.forAll("odd envelopes", 2000, random -> {
            List<String> fields = new ArrayList<>(List.of(
                    "\"image\":" + (random.nextInt(3) == 0 ? odd(random)
                            : "\"" + Base64.getEncoder().encodeToString(ImageProperties.validInput(random)) + "\""),
                    "\"id\":" + (random.nextBoolean() ? odd(random) : "\"a\""),
                    "\"label\":" + (random.nextBoolean() ? odd(random) : "3")));
            if (random.nextInt(4) == 0) {
                fields.add(fields.get(random.nextInt(fields.size()))); // a duplicate key
            }
            if (random.nextInt(4) == 0) {
                fields.remove(random.nextInt(fields.size()));
            }
            String json = "{" + String.join(",", fields) + "}";
            json = switch (random.nextInt(6)) {
                case 0 -> "[".repeat(1 + random.nextInt(3000)) + json;
                case 1 -> json + " trailing";
                case 2 -> "\ufeff" + json;
                case 3 -> json.substring(0, random.nextInt(json.length()));
                default -> json;
            };
            byte[] bytes = random.nextInt(8) == 0 ? json.getBytes(StandardCharsets.UTF_16) : utf8(json);
            return new InputRecord(bytes, null, random.nextBoolean() ? null : utf8("application/json"),
                    random.nextInt(4) == 0);
        }, RECORDS, this::endsAsPixelsOrAReasonCode);
    }

    private void endsAsPixelsOrAReasonCode(InputRecord record) {
        String outcome;
        try {
            ImageEvent event = (record.strict() ? strictDecoder : decoder).decode("key", record.value(),
                    record.label(), record.contentType());
            assertThat(event.id()).isNotNull();
            event.label().ifPresent(label -> assertThat(label).isBetween(0, 9));
            outcome = ImageProperties.endsAsPixelsOrAReasonCode(preprocessor, event.image());
        } catch (RejectedEventException e) {
            assertThat(e.reason()).isIn(REASON_CODES);
            assertThat(e.getMessage()).isNotBlank();
            outcome = e.reason();
        }
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** A valid envelope for {@code image}, spelt one of many ways: field order, spacing, id and label types. */
    private static byte[] envelope(Random random, byte[] image) {
        String base64 = Base64.getEncoder().encodeToString(image);
        if (random.nextBoolean()) {
            StringBuilder wrapped = new StringBuilder();
            for (int i = 0; i < base64.length(); i += 76) {
                wrapped.append(base64, i, Math.min(base64.length(), i + 76)).append("\\r\\n");
            }
            base64 = wrapped.toString();
        }
        String space = random.nextBoolean() ? "" : " \n ";
        List<String> fields = new ArrayList<>();
        fields.add("\"image\":" + space + "\"" + base64 + "\"");
        switch (random.nextInt(4)) {
            case 0 -> fields.add("\"id\":" + space + "\"event-" + random.nextInt(1000) + "\"");
            case 1 -> fields.add("\"id\":" + space + random.nextInt(1000));
            case 2 -> fields.add("\"id\":" + space + "null");
            default -> {
            }
        }
        switch (random.nextInt(4)) {
            case 0 -> fields.add("\"label\":" + space + random.nextInt(10));
            case 1 -> fields.add("\"label\":" + space + "\"" + random.nextInt(10) + "\"");
            case 2 -> fields.add("\"label\":" + space + "null");
            default -> {
            }
        }
        java.util.Collections.shuffle(fields, random);
        return utf8(space + "{" + space + String.join("," + space, fields) + space + "}");
    }

    private static String odd(Random random) {
        return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
    }

    private static byte[] label(Random random) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> null;
            case 2 -> utf8(" " + random.nextInt(10) + " ");
            case 3 -> utf8(Integer.toString(random.nextInt(200) - 100));
            default -> Mutations.randomBytes(random, random.nextInt(8));
        };
    }

    private static byte[] contentType(Random random) {
        if (random.nextBoolean()) {
            return null;
        }
        return random.nextInt(4) == 0 ? Mutations.randomBytes(random, random.nextInt(20))
                : utf8(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records shrink by their value (as bytes do) and by dropping a header. */
    private static final PropertyCheck.Inputs<InputRecord> RECORDS = new PropertyCheck.Inputs<>() {
        @Override
        public String describe(InputRecord r) {
            return "value " + (r.value() == null ? "null" : PropertyCheck.BYTES.describe(r.value()))
                    + ", label header " + (r.label() == null ? "none" : PropertyCheck.hex(r.label()))
                    + ", content-type header " + (r.contentType() == null ? "none" : PropertyCheck.hex(r.contentType()))
                    + (r.strict() ? ", strict decoder" : "");
        }

        @Override
        public byte[] bytes(InputRecord r) {
            return r.value() == null ? new byte[0] : r.value();
        }

        @Override
        public Iterable<InputRecord> smaller(InputRecord r) {
            List<InputRecord> headersDropped = new ArrayList<>();
            if (r.label() != null) {
                headersDropped.add(new InputRecord(r.value(), null, r.contentType(), r.strict()));
            }
            if (r.contentType() != null) {
                headersDropped.add(new InputRecord(r.value(), r.label(), null, r.strict()));
            }
            if (r.value() == null) {
                return headersDropped;
            }
            Iterable<byte[]> values = PropertyCheck.BYTES.smaller(r.value());
            return () -> Stream.concat(headersDropped.stream(), java.util.stream.StreamSupport
                    .stream(values.spliterator(), false)
                    .map(v -> new InputRecord(v, r.label(), r.contentType(), r.strict()))).iterator();
        }
    };
}

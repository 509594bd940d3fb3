package io.digitstream.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Turns an input record's value and headers into an {@link ImageEvent}.
 *
 * <p>The value is a JSON envelope {@code {"id":..., "image":"<base64>", "label":7}} when the {@code content-type}
 * header says {@code json}, or, without a content type, when its first non-blank byte is <code>{</code> (no image
 * format starts that way, and a raw MNIST image starts with black corner pixels). Anything else is passed on as image
 * bytes for the preprocessor to judge. Thread-safe.
 */
public final class ImageEventDecoder {

    private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\r\\n]+");

    private final int maxJsonBytes;
    private final ObjectMapper json;

    /** @param maxJsonBytes longest JSON envelope parsed; longer ones are rejected as {@code too-large} */
    public ImageEventDecoder(int maxJsonBytes) {
        if (maxJsonBytes <= 0) {
            throw new IllegalArgumentException("maxJsonBytes must be positive: " + maxJsonBytes);
        }
        this.maxJsonBytes = maxJsonBytes;
        // Jackson's own string limit (20M chars) would otherwise cap large configured images below maxJsonBytes
        this.json = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxJsonBytes).build())
                .build());
    }

    /**
     * @param id          the event id from the record key, or the caller's fallback id; a JSON {@code id} replaces it
     * @param value       the record value, possibly null
     * @param labelHeader the {@link ImageHeaders#LABEL} header's value, or null
     * @param contentType the {@link ImageHeaders#CONTENT_TYPE} header's value, or null
     */
    public ImageEvent decode(String id, byte[] value, byte[] labelHeader, byte[] contentType)
            throws RejectedEventException {
        OptionalInt headerLabel = labelHeader == null ? OptionalInt.empty()
                : parseLabel(new String(labelHeader, StandardCharsets.UTF_8), "label header");
        byte[] bytes = value == null ? new byte[0] : value;
        if (!isJson(bytes, contentType)) {
            return new ImageEvent(id, bytes, headerLabel);
        }
        return decodeJson(id, bytes, headerLabel);
    }

    private ImageEvent decodeJson(String id, byte[] bytes, OptionalInt headerLabel) throws RejectedEventException {
        if (bytes.length > maxJsonBytes) {
            throw new RejectedEventException(DeadLetter.TOO_LARGE,
                    "JSON envelope is " + bytes.length + " bytes, limit " + maxJsonBytes);
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new RejectedEventException(DeadLetter.BAD_JSON, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RejectedEventException(DeadLetter.BAD_JSON, "invalid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RejectedEventException(DeadLetter.BAD_JSON, "JSON envelope must be an object");
        }
        JsonNode image = root.get("image");
        if (image == null || !image.isTextual()) {
            throw new RejectedEventException(DeadLetter.BAD_JSON, "JSON envelope needs a string field \"image\"");
        }
        byte[] decoded;
        try {
            // the MIME decoder would skip any character outside the alphabet; only line breaks are forgiven here
            decoded = Base64.getDecoder().decode(WHITESPACE.matcher(image.textValue()).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new RejectedEventException(DeadLetter.BAD_JSON, "\"image\" is not base64: " + e.getMessage(), e);
        }
        JsonNode idNode = root.get("id");
        String eventId = id;
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual() && !idNode.isIntegralNumber()) {
                throw new RejectedEventException(DeadLetter.BAD_JSON, "\"id\" must be a string or an integer");
            }
            eventId = idNode.asText();
        }
        OptionalInt label = headerLabel;
        JsonNode labelNode = root.get("label");
        if (labelNode != null && !labelNode.isNull()) {
            OptionalInt fieldLabel = labelNode.isTextual() || labelNode.isIntegralNumber()
                    ? parseLabel(labelNode.asText(), "\"label\" field")
                    : rejectLabel("\"label\" field", labelNode.toString());
            if (headerLabel.isPresent() && headerLabel.getAsInt() != fieldLabel.getAsInt()) {
                throw new RejectedEventException(DeadLetter.BAD_LABEL, "label header " + headerLabel.getAsInt()
                        + " disagrees with \"label\" field " + fieldLabel.getAsInt());
            }
            label = fieldLabel;
        }
        return new ImageEvent(eventId, decoded, label);
    }

    private static boolean isJson(byte[] bytes, byte[] contentType) {
        if (contentType != null) {
            return new String(contentType, StandardCharsets.UTF_8).toLowerCase().contains("json");
        }
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private static OptionalInt parseLabel(String text, String where) throws RejectedEventException {
        String t = text.strip();
        if (t.length() == 1 && t.charAt(0) >= '0' && t.charAt(0) <= '9') {
            return OptionalInt.of(t.charAt(0) - '0');
        }
        return rejectLabel(where, text);
    }

    private static OptionalInt rejectLabel(String where, String text) throws RejectedEventException {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        throw new RejectedEventException(DeadLetter.BAD_LABEL, where + " must be a digit 0-9, got '" + shown + "'");
    }
}

package io.digitstream.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules for an event id, the record key and the prediction's {@code id}: UTF-8 text of at most
 * {@code event.id.max.bytes} bytes without control characters. The bound is what keeps every prediction small
 * whatever a producer sends (an id is written into the key and into the JSON, where a control character grows
 * six-fold).
 */
public final class EventIds {

    /** The default {@code event.id.max.bytes}. */
    public static final int DEFAULT_MAX_BYTES = 256;

    private EventIds() {
    }

    /**
     * The id a record key holds.
     *
     * @throws RejectedEventException {@link DeadLetter#BAD_ID} when it breaks the rules
     */
    public static String fromKey(byte[] key, int maxBytes) throws RejectedEventException {
        if (key.length > maxBytes) {
            throw tooLong("record key", key.length, maxBytes);
        }
        String id;
        if (isAscii(key)) {
            // the usual id: no decoder (and no allocation beyond the string) on the hot path
            id = new String(key, StandardCharsets.US_ASCII);
            requireNoControl(id, "record key");
            return id;
        }
        try {
            id = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new RejectedEventException(DeadLetter.BAD_ID, "the record key (the event id) is not valid UTF-8");
        }
        requireNoControl(id, "record key");
        return id;
    }

    /**
     * Checks an id from the event's own JSON.
     *
     * @throws RejectedEventException {@link DeadLetter#BAD_ID} when it breaks the rules
     */
    public static String check(String id, int maxBytes) throws RejectedEventException {
        // UTF-8 takes at least one byte a char, so only a long enough string needs encoding
        if (id.length() > maxBytes) {
            throw tooLong("\"id\"", id.getBytes(StandardCharsets.UTF_8).length, maxBytes);
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw tooLong("\"id\"", bytes, maxBytes);
        }
        requireNoControl(id, "\"id\"");
        return id;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static void requireNoControl(String id, String where) throws RejectedEventException {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new RejectedEventException(DeadLetter.BAD_ID, "the " + where + " (the event id) contains the "
                        + "control character U+" + String.format("%04X", (int) c) + " at position " + i);
            }
        }
    }

    private static RejectedEventException tooLong(String where, int bytes, int maxBytes) {
        return new RejectedEventException(DeadLetter.BAD_ID, "the " + where + " (the event id) is " + bytes
                + " bytes, limit " + maxBytes + " (setting event.id.max.bytes)");
    }
}

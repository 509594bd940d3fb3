package io.digitstream.classifier.event;

import io.digitstream.contract.PredictionEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link PredictionEvent} in the label join's store (and its changelog), where each prediction awaiting its label is
 * written once: a compact binary form, half its JSON's size, written without a JSON generator. The first byte
 * is {@link #BINARY}; a value that starts otherwise is read as the contract's JSON, which the stores of classifiers
 * before this form hold. Failures are Kafka's {@link SerializationException}.
 */
public final class PredictionEventSerde implements Serde<PredictionEvent> {

    /** The binary form's first byte: neither '{' (JSON) nor an accuracy delta's tag (0 or 1). */
    static final byte BINARY = 2;
    private static final byte ABSENT = -1;

    @Override
    public Serializer<PredictionEvent> serializer() {
        return (topic, event) -> event == null ? null : write(event);
    }

    @Override
    public Deserializer<PredictionEvent> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != BINARY) {
                try {
                    return PredictionEvent.fromJson(bytes);
                } catch (IllegalArgumentException e) {
                    throw new SerializationException(e.getMessage(), e.getCause());
                }
            }
            try {
                return read(ByteBuffer.wrap(bytes, 1, bytes.length - 1));
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new SerializationException("not a prediction event: " + e.getMessage(), e);
            }
        };
    }

    private static byte[] write(PredictionEvent e) {
        byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
        byte[] version = e.modelVersion().getBytes(StandardCharsets.UTF_8);
        byte[] reason = e.rejectReason() == null ? null : e.rejectReason().getBytes(StandardCharsets.UTF_8);
        int size = 1 + 4 + id.length + 1 + 4 + 1 + 4 * e.probabilities().length + 4 + version.length + 1 + 1 + 8 + 8
                + 1 + 4 + (reason == null ? 0 : reason.length) + 1 + 8;
        ByteBuffer b = ByteBuffer.allocate(size).put(BINARY);
        putBytes(b, id);
        b.put((byte) e.digit()).putFloat(e.confidence()).put((byte) e.probabilities().length);
        for (float p : e.probabilities()) {
            b.putFloat(p);
        }
        putBytes(b, version);
        b.put(e.label() == null ? ABSENT : e.label().byteValue());
        b.put(e.correct() == null ? ABSENT : (byte) (e.correct() ? 1 : 0));
        b.putLong(e.receivedAt()).putLong(e.classifiedAt()).put((byte) (e.accepted() ? 1 : 0));
        putBytes(b, reason);
        b.put((byte) (e.oodScore() == null ? 0 : 1)).putDouble(e.oodScore() == null ? 0 : e.oodScore());
        return b.array();
    }

    private static PredictionEvent read(ByteBuffer b) {
        String id = getRequiredString(b, "id");
        int digit = b.get();
        float confidence = b.getFloat();
        int classes = b.get() & 0xFF;
        if (classes * Float.BYTES > b.remaining()) {
            throw new IllegalArgumentException(classes + " probabilities with " + b.remaining() + " bytes left");
        }
        float[] probabilities = new float[classes];
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] = b.getFloat();
        }
        String version = getRequiredString(b, "modelVersion");
        byte label = b.get();
        byte correct = b.get();
        long receivedAt = b.getLong();
        long classifiedAt = b.getLong();
        boolean accepted = b.get() == 1;
        String reason = getString(b);
        boolean hasScore = b.get() == 1;
        double score = b.getDouble();
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " byte(s) after the event");
        }
        return new PredictionEvent(id, digit, confidence, probabilities, version,
                label == ABSENT ? null : (int) label, correct == ABSENT ? null : correct == 1, receivedAt,
                classifiedAt, accepted, reason, hasScore ? score : null);
    }

    private static void putBytes(ByteBuffer b, byte[] bytes) {
        b.putInt(bytes == null ? ABSENT : bytes.length);
        if (bytes != null) {
            b.put(bytes);
        }
    }

    private static String getRequiredString(ByteBuffer b, String field) {
        String s = getString(b);
        if (s == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return s;
    }

    private static String getString(ByteBuffer b) {
        int length = b.getInt();
        if (length == ABSENT) {
            return null;
        }
        if (length < 0 || length > b.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes with " + b.remaining() + " left");
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + length);
        return s;
    }
}

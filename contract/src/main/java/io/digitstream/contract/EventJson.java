package io.digitstream.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the events the classifier writes ({@link PredictionEvent}, {@link AccuracyReport}): Jackson's defaults,
 * fields in record order, unknown fields ignored when read so consumers survive additions to the contract.
 */
final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EventJson() {
    }

    static byte[] write(Object event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + event, e);
        }
    }

    /** @param what for the message: "a prediction event" */
    static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not " + what, e);
        }
    }
}

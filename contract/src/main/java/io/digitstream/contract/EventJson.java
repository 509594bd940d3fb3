package io.digitstream.contract;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the events the classifier writes ({@link PredictionEvent}, {@link AccuracyReport}): Jackson's defaults,
 * fields in record order, unknown fields ignored when read so consumers survive additions to the contract. Numbers are
 * written and read with Jackson's fast (Schubfach, FastDoubleParser) code: the same values, shortest digits that read
 * back exactly; JDK 17's {@code Float.toString} was the top method of the JSON stage in the classifier's profile.
 */
final class EventJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

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

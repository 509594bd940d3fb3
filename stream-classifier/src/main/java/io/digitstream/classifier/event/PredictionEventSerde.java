package io.digitstream.classifier.event;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.contract.PredictionEvent;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON for {@link PredictionEvent}. Unknown fields are ignored so consumers survive additions to the contract. */
public final class PredictionEventSerde implements Serde<PredictionEvent> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static byte[] toJson(PredictionEvent event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + event, e);
        }
    }

    public static PredictionEvent fromJson(byte[] json) {
        try {
            return JSON.readValue(json, PredictionEvent.class);
        } catch (IOException e) {
            throw new SerializationException("not a prediction event", e);
        }
    }

    @Override
    public Serializer<PredictionEvent> serializer() {
        return (topic, event) -> event == null ? null : toJson(event);
    }

    @Override
    public Deserializer<PredictionEvent> deserializer() {
        return (topic, json) -> json == null ? null : fromJson(json);
    }
}

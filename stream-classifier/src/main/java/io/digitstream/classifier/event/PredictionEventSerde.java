package io.digitstream.classifier.event;

import io.digitstream.contract.PredictionEvent;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@link PredictionEvent}'s JSON as a Kafka serde: failures are Kafka's {@link SerializationException}. */
public final class PredictionEventSerde implements Serde<PredictionEvent> {

    @Override
    public Serializer<PredictionEvent> serializer() {
        return (topic, event) -> {
            if (event == null) {
                return null;
            }
            try {
                return PredictionEvent.toJson(event);
            } catch (UncheckedIOException e) {
                throw new SerializationException(e.getMessage(), e.getCause());
            }
        };
    }

    @Override
    public Deserializer<PredictionEvent> deserializer() {
        return (topic, json) -> {
            if (json == null) {
                return null;
            }
            try {
                return PredictionEvent.fromJson(json);
            } catch (IllegalArgumentException e) {
                throw new SerializationException(e.getMessage(), e.getCause());
            }
        };
    }
}

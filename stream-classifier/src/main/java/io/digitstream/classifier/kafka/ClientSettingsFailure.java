package io.digitstream.classifier.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;

/**
 * A Kafka client that could not even be created from its settings (a trust store that is missing or has another
 * password, a {@code sasl.jaas.config} without its closing semicolon), said in one line. Kafka's own top message
 * ("Failed to create new KafkaAdminClient") names none of that; the causes below it do, and name no secret: Kafka
 * prints password settings as {@code [hidden]}.
 */
public final class ClientSettingsFailure {

    private static final int MAX_CAUSES = 32;
    /** The first causes say what is wrong; deeper ones are the JDK's details of it. */
    private static final int MAX_MESSAGES = 2;
    /** {@code org.apache.kafka.common.KafkaException: } in a message that repeats its cause's {@code toString()}. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*: ");
    /** "Failed to create new NetworkClient": says nothing the top message did not. */
    private static final Pattern BARE_WRAPPER = Pattern.compile("Failed to (?:create|construct) (?:new )?[\\w ]+");

    private ClientSettingsFailure() {
    }

    public static String explain(KafkaException creationFailure) {
        List<String> messages = new ArrayList<>();
        Throwable t = creationFailure.getCause();
        for (int depth = 0; t != null && depth < MAX_CAUSES && messages.size() < MAX_MESSAGES;
             depth++, t = t.getCause()) {
            String message = t.getMessage() == null ? "" : CLASS_NAME.matcher(t.getMessage()).replaceAll("").strip();
            // a wrapper's message often is its cause's own: keep each once
            if (!message.isEmpty() && !BARE_WRAPPER.matcher(message).matches()
                    && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        String causes = messages.isEmpty() ? String.valueOf(creationFailure.getMessage())
                : String.join(": ", messages);
        return "the Kafka client settings are not usable (" + causes.replace('\n', ' ') + "): check security.protocol, "
                + "the ssl.* settings (trust store location and password) and sasl.jaas.config";
    }
}

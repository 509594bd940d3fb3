package io.digitstream.classifier;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where settings come from besides flags: a properties file, and {@code KAFKA_}-prefixed environment variables as
 * container platforms set them ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} is {@code security.protocol=SASL_SSL}).
 */
public final class KafkaClientSettings {

    public static final String ENV_PREFIX = "KAFKA_";

    private static final Set<String> CLIENT_SETTINGS = clientSettings();

    private KafkaClientSettings() {
    }

    /** Whether {@code key} is a setting of the Kafka admin, producer or consumer client. */
    public static boolean isClientSetting(String key) {
        return CLIENT_SETTINGS.contains(key);
    }

    /**
     * The Kafka client settings among {@code KAFKA_*} variables of {@code environment}. Others with the prefix, such
     * as {@code KAFKA_HEAP_OPTS} or {@code KAFKA_OPTS} of Kafka's own scripts, are not client settings and are left
     * alone.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (isClientSetting(key)) {
                    settings.put(key, value);
                }
            }
        });
        return settings;
    }

    /** Reads a properties file (ISO-8859-1 escapes are not needed: it is read as UTF-8). */
    public static Map<String, String> load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such settings file");
        }
        Map<String, String> settings = new TreeMap<>();
        props.stringPropertyNames().forEach(key -> settings.put(key, props.getProperty(key).strip()));
        return settings;
    }

    private static Set<String> clientSettings() {
        Set<String> names = new HashSet<>(AdminClientConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        return Set.copyOf(names);
    }
}

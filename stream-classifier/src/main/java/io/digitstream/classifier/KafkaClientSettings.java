package io.digitstream.classifier;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Where settings come from besides flags: a properties file, and {@code KAFKA_}-prefixed environment variables as
 * container platforms set them ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} is {@code security.protocol=SASL_SSL}).
 */
public final class KafkaClientSettings {

    public static final String ENV_PREFIX = "KAFKA_";

    /** How Kafka prints a password setting; so do we. */
    public static final String HIDDEN = "[hidden]";

    private static final Set<String> CLIENT_SETTINGS = clientSettings();
    private static final Set<String> SECRET_SETTINGS = secretSettings();

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

    /**
     * Whether {@code key} holds a secret: a password-type Kafka client setting ({@code sasl.jaas.config},
     * {@code ssl.truststore.password}, ...), also behind a prefix such as {@code streams.producer.}.
     */
    public static boolean isSecret(String key) {
        return SECRET_SETTINGS.stream().anyMatch(secret -> key.equals(secret) || key.endsWith("." + secret));
    }

    /** {@code settings} with the value of each {@linkplain #isSecret secret} replaced by {@value #HIDDEN}. */
    public static Map<String, String> redacted(Map<String, String> settings) {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, isSecret(key) ? HIDDEN : value));
        return shown;
    }

    private static Set<String> secretSettings() {
        Set<String> names = new HashSet<>();
        for (ConfigDef def : List.of(AdminClientConfig.configDef(), ProducerConfig.configDef(),
                ConsumerConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type() == ConfigDef.Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return Set.copyOf(names);
    }

    private static Set<String> clientSettings() {
        Set<String> names = new HashSet<>(AdminClientConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        return Set.copyOf(names);
    }
}

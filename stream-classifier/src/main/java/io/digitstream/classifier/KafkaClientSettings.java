package io.digitstream.classifier;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka's own setting names, and where settings come from besides flags: a properties file, and
 * {@code KAFKA_}-prefixed environment variables as container platforms set them ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}
 * is {@code security.protocol=SASL_SSL}).
 */
public final class KafkaClientSettings {

    public static final String ENV_PREFIX = "KAFKA_";
    /** What is shown instead of a secret's value. */
    public static final String HIDDEN = "[hidden]";

    private static final Set<String> CLIENT_SETTINGS = clientSettings();
    private static final Set<String> PASSWORD_SETTINGS = passwordSettings();
    private static final Set<String> STREAMS_SETTINGS = Set.copyOf(StreamsConfig.configDef().names());
    private static final Set<String> TOPIC_SETTINGS = topicSettings();
    private static final List<String> CONSUMER_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX);
    // longest first: main.consumer. before consumer.
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of(StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private KafkaClientSettings() {
    }

    /** Whether {@code key} is a setting of the Kafka admin, producer or consumer client. */
    public static boolean isClientSetting(String key) {
        return CLIENT_SETTINGS.contains(key);
    }

    /**
     * Whether Kafka Streams takes setting {@code key}: one of its own; a client setting, which it passes to every
     * client it creates; a consumer, producer or admin setting behind the prefix that sends it to those clients
     * alone ({@code main.consumer.max.poll.records}, {@code producer.linger.ms}, {@code admin.retries}); a topic
     * setting behind {@code topic.} for its internal topics; or a {@code client.tag.} of rack-aware assignment.
     */
    public static boolean isStreamsSetting(String key) {
        if (STREAMS_SETTINGS.contains(key) || isClientSetting(key)) {
            return true;
        }
        for (String prefix : CONSUMER_PREFIXES) {
            if (key.startsWith(prefix)) {
                return ConsumerConfig.configNames().contains(key.substring(prefix.length()));
            }
        }
        if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
            return ProducerConfig.configNames().contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()));
        }
        if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            return AdminClientConfig.configNames().contains(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()));
        }
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return TOPIC_SETTINGS.contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()));
        }
        return key.startsWith(StreamsConfig.CLIENT_TAG_PREFIX) && key.length() > StreamsConfig.CLIENT_TAG_PREFIX.length();
    }

    /**
     * Whether the value of Kafka setting {@code key} is a secret: a setting of type {@code PASSWORD} of the admin,
     * producer, consumer or Streams configuration ({@code sasl.jaas.config}, {@code ssl.key.password},
     * {@code ssl.keystore.key}, ...), also behind a Kafka Streams client prefix ({@code producer.ssl.key.password}),
     * or, for settings Kafka does not declare, a name that ends in {@code password} or {@code jaas.config} or
     * mentions a secret.
     */
    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        for (String prefix : STREAMS_CLIENT_PREFIXES) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
                break;
            }
        }
        return PASSWORD_SETTINGS.contains(name) || name.endsWith("password") || name.endsWith("jaas.config")
                || name.contains("secret");
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

    /**
     * Every setting of a properties file, whatever it is for, values stripped; read as UTF-8, so ISO-8859-1 escapes
     * are not needed.
     */
    public static Map<String, String> readPropertiesFile(Path file) throws IOException {
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

    private static Set<String> passwordSettings() {
        Set<String> names = new HashSet<>();
        for (ConfigDef def : List.of(AdminClientConfig.configDef(), ProducerConfig.configDef(),
                ConsumerConfig.configDef(), StreamsConfig.configDef())) {
            def.configKeys().values().stream().filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .forEach(key -> names.add(key.name));
        }
        return Set.copyOf(names);
    }

    /** The names {@link TopicConfig} declares: the client library holds no list of them. */
    private static Set<String> topicSettings() {
        Set<String> names = new HashSet<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && field.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read TopicConfig." + field.getName(), e);
                }
            }
        }
        return Set.copyOf(names);
    }
}

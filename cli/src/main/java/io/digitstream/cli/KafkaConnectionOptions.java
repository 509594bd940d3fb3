package io.digitstream.cli;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.KafkaClientSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How every Kafka command connects, the same way: a properties file, then {@code KAFKA_*} environment variables,
 * then {@code --bootstrap-servers}. The file may also name the topics, so one file serves {@code serve},
 * {@code produce} and {@code tail} alike.
 */
final class KafkaConnectionOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS, else bootstrap.servers of --config, else "
                    + ClassifierConfig.BOOTSTRAP_SERVERS + ").")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: Kafka client settings (security.protocol, sasl.jaas.config, ssl.*), topic "
                    + "names and the classifier's settings (docs/operations.md). KAFKA_* environment variables "
                    + "override it (KAFKA_SASL_MECHANISM is sasl.mechanism), flags override both.")
    Path configFile;

    /** The settings from the file, the environment and {@code --bootstrap-servers}, in that order of precedence. */
    Map<String, String> settings(Map<String, String> environment) throws IOException {
        Map<String, String> settings = new HashMap<>();
        if (configFile != null) {
            settings.putAll(KafkaClientSettings.readPropertiesFile(configFile));
        }
        settings.putAll(KafkaClientSettings.fromEnvironment(environment));
        if (bootstrapServers != null) {
            settings.put(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, bootstrapServers);
        }
        return settings;
    }

    /** The connection and topic settings for a client tool, from this process's environment. */
    ClassifierConfig config() throws IOException {
        return ClassifierConfig.fromMap(settings(System.getenv()));
    }
}

package io.digitstream.localbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker per test class whose client listener requires TLS and SASL/SCRAM-SHA-512, as a production
 * cluster does: a self-signed certificate for 127.0.0.1 made with keytool, and the user {@value #USER} created when
 * the data directory is formatted. Clients reach it only with {@link #clientSettings()} (or a variant of them).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SecuredKafkaFixture KAFKA = new SecuredKafkaFixture();
 * ... KAFKA.bootstrapServers() ... KAFKA.clientSettings() ...
 * }</pre>
 */
public final class SecuredKafkaFixture implements BeforeAllCallback, AfterAllCallback {

    public static final String USER = "digits";
    /** Test secrets, distinctive so that a test can tell they were not printed. */
    public static final String PASSWORD = "scram-secret-7f3a";
    public static final String WRONG_PASSWORD = "wrong-secret-91c2";
    private static final String STORE_PASSWORD = "store-secret-5e8d";

    private Path directory;
    private TestCertificates certificates;
    private TestCertificates otherCertificates;
    private LocalKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("kafka-secured-");
        certificates = TestCertificates.create(directory, "broker", STORE_PASSWORD);
        otherCertificates = TestCertificates.create(directory, "stranger", STORE_PASSWORD);
        LocalKafkaBroker.SecuredListener listener = new LocalKafkaBroker.SecuredListener(0, certificates.keyStore(),
                STORE_PASSWORD, Map.of(USER, PASSWORD));
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(directory.resolve("data")).withPort(0)
                .withStartTimeout(Duration.ofMinutes(2)).withSecuredListener(listener));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(SecuredKafkaFixture::delete);
            }
        }
    }

    /** The SASL_SSL listener's address. */
    public String bootstrapServers() {
        return started().securedBootstrapServers().orElseThrow();
    }

    /** What a client of the secured listener sets besides {@code bootstrap.servers}, with the right password. */
    public Map<String, String> clientSettings() {
        return clientSettings(USER, PASSWORD, certificates.trustStore());
    }

    /** The same with {@link #WRONG_PASSWORD}. */
    public Map<String, String> clientSettingsWithWrongPassword() {
        return clientSettings(USER, WRONG_PASSWORD, certificates.trustStore());
    }

    /** The right password, but a trust store holding another certificate than the broker's. */
    public Map<String, String> clientSettingsTrustingAnotherCertificate() {
        return clientSettings(USER, PASSWORD, otherCertificates.trustStore());
    }

    /** {@code settings} plus {@code bootstrap.servers}, as objects for a Kafka client's constructor. */
    public Map<String, Object> clientProperties(Map<String, String> settings) {
        Map<String, Object> props = new LinkedHashMap<>(settings);
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** Writes {@code settings} (and {@code extra}, e.g. topic names) as a properties file for {@code --config}. */
    public static Path writeProperties(Path file, Map<String, String> settings, Map<String, String> extra)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putAll(extra);
        // backslashes of Windows paths would be read as escapes; none of these values needs one
        Files.writeString(file, all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    public LocalKafkaBroker broker() {
        return started();
    }

    private static Map<String, String> clientSettings(String user, String password, Path trustStore) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", LocalKafkaBroker.SecuredListener.PROTOCOL);
        settings.put("sasl.mechanism", LocalKafkaBroker.SecuredListener.MECHANISM);
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + user + "\" password=\"" + password + "\";");
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.password", STORE_PASSWORD);
        settings.put("ssl.truststore.type", TestCertificates.TYPE);
        return settings;
    }

    private LocalKafkaBroker started() {
        if (broker == null) {
            throw new IllegalStateException("SecuredKafkaFixture is not started; register it as a static "
                    + "@RegisterExtension");
        }
        return broker;
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

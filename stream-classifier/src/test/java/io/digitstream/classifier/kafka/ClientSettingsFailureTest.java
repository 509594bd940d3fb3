package io.digitstream.classifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class ClientSettingsFailureTest {

    @Test
    void saysWhatTheCausesSayOnceWithoutClassNamesOrBareWrappers() {
        // as Kafka nests them when a trust store has another password
        IOException jdk = new IOException("keystore password was incorrect",
                new IllegalStateException("failed to decrypt safe contents entry"));
        KafkaException load = new KafkaException("Failed to load SSL keystore /etc/ts.p12 of type PKCS12", jdk);
        KafkaException network = new KafkaException("Failed to create new NetworkClient",
                new KafkaException(load.toString(), load));

        String line = ClientSettingsFailure.explain(new KafkaException("Failed to create new KafkaAdminClient",
                network));

        assertThat(line).isEqualTo("the Kafka client settings are not usable (Failed to load SSL keystore "
                + "/etc/ts.p12 of type PKCS12: keystore password was incorrect): check security.protocol, the ssl.* "
                + "settings (trust store location and password) and sasl.jaas.config");
    }

    @Test
    void withoutCausesItSaysTheTopMessage() {
        assertThat(ClientSettingsFailure.explain(new KafkaException("Failed to create new KafkaAdminClient")))
                .startsWith("the Kafka client settings are not usable (Failed to create new KafkaAdminClient)");
    }
}

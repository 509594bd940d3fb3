package io.digitstream.cli;

import io.digitstream.classifier.kafka.AuthenticationFailure;
import io.digitstream.classifier.kafka.ClientSettingsFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Fails fast, with the fix in the message, when no broker answers or the broker refuses the client's login, rather
 * than letting {@code produce} or {@code tail} block a minute. A part of the command line, not of the producer tools:
 * its advice names the commands, and it reads Kafka's failures with the classifier's explainers.
 */
final class BrokerCheck {

    private BrokerCheck() {
    }

    /**
     * @throws IllegalStateException naming the address and what to do when no broker answers within timeout, or the
     *                               setting to check when it refuses the login (TLS or SASL)
     */
    static void requireReachable(Map<String, Object> clientProperties, Duration timeout) {
        String servers = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            Optional<String> login = AuthenticationFailure.explain(e);
            if (login.isPresent()) {
                throw new IllegalStateException("cannot connect to Kafka at " + servers + ": " + login.get(), e);
            }
            // a listener that speaks TLS to a client that does not (or the reverse) looks like no broker at all
            throw new IllegalStateException("no Kafka broker reachable at " + servers + ": start one with "
                    + "'./digits kafka' (or './digits serve', which starts one) or pass --bootstrap-servers; if one "
                    + "runs there, check that security.protocol (" + clientProperties.getOrDefault(
                    AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + ") is its listener's", e);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot connect to Kafka at " + servers + ": "
                    + ClientSettingsFailure.explain(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching " + servers, e);
        }
    }
}

package io.digitstream.classifier.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start for a broker that is not there yet (it may be starting beside the classifier), saying so every few
 * seconds, and gives up with one clear message after a timeout. A broker that answers but refuses the client
 * (credentials, ACLs) is not waited for.
 */
public final class BrokerWait {

    static final Duration ATTEMPT = Duration.ofSeconds(3);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(BrokerWait.class);

    private BrokerWait() {
    }

    /**
     * Returns once a broker answers.
     *
     * @param settingName what the user sets to point at other brokers, for the message
     * @throws IllegalStateException when none answered within {@code timeout}
     */
    public static void await(Map<String, Object> clientProperties, Duration timeout, String settingName) {
        String servers = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "digit-stream-broker-wait");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextLog = start;
        Throwable last = null;
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
                    if (last != null) {
                        log.info("Kafka at {} answers after {} s", servers, (System.nanoTime() - start) / 1_000_000_000);
                    }
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    last = e.getCause() == null ? e : e.getCause();
                    if (last instanceof AuthenticationException || last instanceof AuthorizationException) {
                        return; // it answers; the caller's first real call reports the refusal with its fix
                    }
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    throw new IllegalStateException("no Kafka broker answered at " + servers + " within " + timeout
                            + " (" + last.getClass().getSimpleName() + "): start one, or point " + settingName
                            + " at a running cluster");
                }
                if (now >= nextLog) {
                    log.warn("Waiting for Kafka at {} ({} s of {} s)", servers, (now - start) / 1_000_000_000,
                            timeout.toSeconds());
                    nextLog = now + LOG_EVERY.toNanos();
                }
                Thread.sleep(Math.min(1000, Math.max(1, (deadline - now) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka at " + servers, e);
        } catch (KafkaException e) {
            // settings a client cannot even be created with (a missing trust store, a malformed sasl.jaas.config)
            throw new IllegalStateException("cannot connect to Kafka at " + servers + ": "
                    + ClientSettingsFailure.explain(e), e);
        }
    }
}

package io.digitstream.classifier.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the brokers every few seconds whether they answer and whether the topics the application writes exist, so that
 * readiness can say what is wrong while Kafka Streams itself only waits: a broker outage or a deleted dead-letter
 * topic leaves its threads RUNNING. Each change is logged once.
 */
public final class KafkaHealthCheck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaHealthCheck.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final String bootstrapServers;
    private final Collection<String> topics;
    private final ScheduledExecutorService timer;
    private volatile Optional<String> problem = Optional.empty();

    private KafkaHealthCheck(Admin admin, String bootstrapServers, Collection<String> topics) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param clientProperties connection settings (brokers, security)
     * @param topics           the topics that must exist for every record to find its way
     */
    public static KafkaHealthCheck start(Map<String, Object> clientProperties, Collection<String> topics,
                                         Duration interval) {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "digit-stream-health");
        KafkaHealthCheck check = new KafkaHealthCheck(Admin.create(props),
                String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)), topics);
        check.timer.scheduleWithFixedDelay(check::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return check;
    }

    /** What is wrong with Kafka as last seen, or empty when the brokers answer and every topic exists. */
    public Optional<String> problem() {
        return problem;
    }

    void check() {
        Optional<String> now;
        try {
            admin.describeCluster().nodes().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> existing = admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(topic);
                }
            }
            now = missing.isEmpty() ? Optional.empty() : Optional.of("topic(s) " + missing + " missing: records bound "
                    + "for them wait (nothing is skipped) until they are created again");
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            now = Optional.of("Kafka at " + bootstrapServers + " does not answer (" + cause.getClass().getSimpleName()
                    + "): processing waits and goes on by itself when it is back");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            now = Optional.of("cannot check Kafka at " + bootstrapServers + ": " + e);
        }
        if (!now.equals(problem)) {
            if (now.isPresent()) {
                log.warn("Not ready: {}", now.get());
            } else {
                log.info("Kafka at {} answers and every topic exists again", bootstrapServers);
            }
        }
        problem = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}

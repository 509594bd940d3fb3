package io.digitstream.classifier.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics that do not exist yet, the one way every part of the project does it. */
public final class MissingTopics {

    private MissingTopics() {
    }

    /**
     * Creates each topic of {@code partitions} that is missing, with that many partitions.
     *
     * @param replication replicas per partition, or empty for the broker's default (one on a dev broker, more in
     *                    production)
     * @return the topics this call created (not those that existed, nor those another client created meanwhile)
     * @throws IllegalStateException when the broker refuses (a failed login says which setting to check) or does not
     *                               answer within {@code timeout}
     */
    public static Set<String> create(Admin admin, Map<String, Integer> partitions, Optional<Short> replication,
                                     Duration timeout) {
        return create(admin, partitions, replication, Map.of(), timeout);
    }

    /** As {@link #create(Admin, Map, Optional, Duration)}, with topic {@code configs} for the topics it creates. */
    public static Set<String> create(Admin admin, Map<String, Integer> partitions, Optional<Short> replication,
                                     Map<String, String> configs, Duration timeout) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = partitions.entrySet().stream()
                    .filter(topic -> !existing.contains(topic.getKey()))
                    .map(topic -> new NewTopic(topic.getKey(), Optional.of(topic.getValue()), replication)
                            .configs(configs))
                    .toList();
            Set<String> created = new HashSet<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    // another client created it meanwhile: just as good
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot create topics " + partitions.keySet() + ": "
                    + AuthenticationFailure.explain(cause).orElse(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + partitions.keySet(), e);
        }
    }
}

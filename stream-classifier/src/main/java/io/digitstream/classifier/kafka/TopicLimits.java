package io.digitstream.classifier.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What the broker says of existing topics: the largest record each takes, as its {@code max.message.bytes} (or the
 * broker's default) says, and how many partitions one has.
 */
public final class TopicLimits {

    private TopicLimits() {
    }

    /** {@code max.message.bytes} of each existing topic of {@code topics}; missing ones are left out. */
    public static Map<String, Integer> maxMessageBytes(Admin admin, Collection<String> topics, Duration timeout) {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<String, Integer> limits = new LinkedHashMap<>();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), timeout,
                "max.message.bytes of " + topics);
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                limits.put(resource.name(), Integer.parseInt(entry.value()));
            }
        });
        return limits;
    }

    /** How many partitions {@code topic} has. */
    public static int partitions(Admin admin, String topic, Duration timeout) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, "the partitions of " + topic)
                .get(topic).partitions().size();
    }

    private static <T> T get(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot read " + what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what, e);
        }
    }
}

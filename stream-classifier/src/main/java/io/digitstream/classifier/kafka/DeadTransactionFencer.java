package io.digitstream.classifier.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under exactly-once, aborts the open transaction of an instance that left the group without closing (SIGKILL, a lost
 * machine, a session that expired) as soon as the group has let it go, instead of leaving it to the broker.
 *
 * <p>Why: when an instance dies in the middle of a commit, its tasks cannot be taken over until that transaction ends
 * (their input offsets are pending in it and their changelogs end in it), and the broker aborts it only at its first
 * scan for timed-out transactions after {@code transaction.timeout.ms}: up to that timeout plus 10 s (Kafka's default
 * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}) after the kill. {@link Admin#fenceProducers}
 * aborts it at once, as a restarted instance with the same transactional id would.
 *
 * <p>How a dead instance is told from a live one: Kafka Streams names each stream thread's transactional id
 * {@code <application.id>-<process id>-<thread index>} and its consumer {@code <application.id>-<process
 * id>-StreamThread-<n>-consumer}. An ongoing transaction of the application whose process id no member of the group
 * has belongs to an instance that is gone. The transactions are listed before the group is described, so an instance
 * that joins in between is seen as a member. When any member's client id does not have that form (a {@code client.id}
 * of the user's) or this instance is not among the members, nothing is fenced: the broker's timeout still applies.
 */
public final class DeadTransactionFencer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadTransactionFencer.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    /** After a rebalance starts, and once more in case a member was still leaving at the first look. */
    private static final List<Duration> CHECKS_AFTER_REBALANCE = List.of(Duration.ZERO, Duration.ofSeconds(3));

    private final Admin admin;
    private final String applicationId;
    private final Pattern transactionalId;
    private final Pattern memberClientId;
    private final ScheduledExecutorService timer;

    private DeadTransactionFencer(Admin admin, String applicationId) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.transactionalId = Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-\\d+");
        this.memberClientId = Pattern.compile(
                Pattern.quote(applicationId) + "-(" + UUID + ")-StreamThread-\\d+-consumer");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dead-transaction-fencer");
            t.setDaemon(true);
            return t;
        });
    }

    /** @param clientProperties connection settings (brokers, security) */
    public static DeadTransactionFencer create(Map<String, Object> clientProperties, String applicationId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "digit-stream-fencer");
        return new DeadTransactionFencer(Admin.create(props), applicationId);
    }

    /**
     * Looks for dead instances' transactions in the background, now and a few seconds later; called when a
     * rebalance starts, which is how the group lets a dead member go.
     *
     * @param ownConsumerClientId a consumer client id of this instance's stream threads, to find itself in the group;
     *                            asked in the background, empty when there is none
     */
    public void rebalanceStarted(Supplier<Optional<String>> ownConsumerClientId) {
        try {
            for (Duration delay : CHECKS_AFTER_REBALANCE) {
                timer.schedule(() -> fenceInBackground(ownConsumerClientId), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            log.debug("Closed: not looking for dead instances' transactions"); // a stream thread outlived close()
        }
    }

    private void fenceInBackground(Supplier<Optional<String>> ownConsumerClientId) {
        try {
            ownConsumerClientId.get().ifPresent(this::fenceDeadInstances);
        } catch (RuntimeException e) {
            // the executor would keep it in a future nobody reads
            log.warn("Could not look for dead instances' transactions; the broker aborts them after "
                    + "transaction.timeout.ms", e);
        }
    }

    /**
     * Fences the ongoing transactions of the application's instances that are not in its group any more.
     *
     * @return the transactional ids fenced; empty when there were none or it could not tell (logged)
     */
    Set<String> fenceDeadInstances(String ownConsumerClientId) {
        try {
            Set<String> dead = deadTransactions(ownConsumerClientId);
            if (!dead.isEmpty()) {
                admin.fenceProducers(dead).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Aborted the open transactions {} of instances that left the group without closing, so "
                        + "that their tasks can be taken over now rather than after the broker's timeout", dead);
            }
            return dead;
        } catch (ExecutionException | TimeoutException e) {
            // the broker's transaction timeout still ends them: slower, nothing lost
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn("Could not look for or abort dead instances' transactions ({}); the broker aborts them after "
                    + "transaction.timeout.ms", cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Set.of();
    }

    private Set<String> deadTransactions(String ownConsumerClientId)
            throws ExecutionException, InterruptedException, TimeoutException {
        Optional<String> own = processId(memberClientId, ownConsumerClientId);
        if (own.isEmpty()) {
            log.debug("Not fencing: this instance's client id {} is not Kafka Streams' own", ownConsumerClientId);
            return Set.of();
        }
        // transactions first: a member that joins after this is in the description below
        Map<String, String> ongoing = new HashMap<>();
        for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(List.of(TransactionState.ONGOING)))
                .all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            processId(transactionalId, listing.transactionalId())
                    .ifPresent(process -> ongoing.put(listing.transactionalId(), process));
        }
        if (ongoing.isEmpty()) {
            return Set.of();
        }
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                .describedGroups().get(applicationId).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Set<String> live = new TreeSet<>();
        for (MemberDescription member : group.members()) {
            Optional<String> process = processId(memberClientId, member.clientId());
            if (process.isEmpty()) {
                log.debug("Not fencing: group member {} has a client id of its own", member.clientId());
                return Set.of();
            }
            live.add(process.get());
        }
        if (!live.contains(own.get())) {
            log.debug("Not fencing: this instance ({}) is not in the group's members {}", own.get(), live);
            return Set.of();
        }
        Set<String> dead = new TreeSet<>();
        ongoing.forEach((id, process) -> {
            if (!live.contains(process)) {
                dead.add(id);
            }
        });
        return dead;
    }

    private static Optional<String> processId(Pattern pattern, String id) {
        Matcher m = pattern.matcher(id == null ? "" : id);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}

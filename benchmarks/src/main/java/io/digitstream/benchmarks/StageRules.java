package io.digitstream.benchmarks;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Charges a sampled stack to a {@link ProfileStage}. The rule: walk the stack from its top frame (the code running
 * when the sample was taken) towards the thread's root, and the <em>first frame a rule names decides</em>; frames of
 * the JDK and of libraries no rule names (collections, Kafka's shared {@code org.apache.kafka.common} and network
 * client, ...) are charged to the stage that called them. Within one frame the rules are tried in order, so a commit
 * inside the producer ({@code KafkaProducer.commitTransaction}, the {@code TransactionManager}) is a commit, not a
 * produce, and Kafka Streams' stores and record collector are not its runtime. A stack no rule names is
 * {@link ProfileStage#KAFKA_OTHER} when Kafka's code is in it (the admin client's thread), else
 * {@link ProfileStage#OTHER}.
 *
 * <p>What follows from the rule: a record serialized to JSON inside a producer call is JSON; a changelog or repartition
 * record is produced by the same {@code KafkaProducer} as an output record, so they are all "produce" (the stack does
 * not say which topic a send was for); RocksDB's own work inside a store is "state stores".
 */
final class StageRules {

    private record Rule(ProfileStage stage, Predicate<SampledFrame> matches) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(ProfileStage.COMMITS, StageRules::isCommit),
            new Rule(ProfileStage.MODEL, f -> f.type().startsWith("ai.onnxruntime.")
                    || f.type().startsWith("io.digitstream.core.model.")
                    || f.type().startsWith("io.digitstream.classifier.OnnxDigitClassifier")
                    || f.type().startsWith("io.digitstream.classifier.ReloadableDigitClassifier")
                    // the pass-through's constant classifier stands where the model would
                    || f.type().equals("io.digitstream.benchmarks.ClassifierMain")
                            && f.method().startsWith("lambda$passThrough")),
            new Rule(ProfileStage.DECODE, f -> f.type().startsWith("io.digitstream.contract.ImageEventDecoder")
                    || f.type().startsWith("io.digitstream.contract.EventIds")
                    || f.type().startsWith("javax.imageio.") || f.type().startsWith("com.sun.imageio.")),
            new Rule(ProfileStage.PREPROCESS, f -> f.type().startsWith("io.digitstream.core.image.")),
            new Rule(ProfileStage.JSON, f -> f.type().startsWith("com.fasterxml.jackson.")
                    || f.type().startsWith("io.digitstream.contract.EventJson")),
            new Rule(ProfileStage.METRICS, f -> f.type().startsWith("io.micrometer.")
                    || f.type().startsWith("io.prometheus.")
                    || f.type().startsWith("org.apache.kafka.common.metrics.")
                    || f.type().startsWith("org.apache.kafka.streams.processor.internals.metrics.")
                    || f.type().startsWith("io.digitstream.classifier.observe.")
                    || f.type().startsWith("com.sun.net.httpserver.") || f.type().startsWith("sun.net.httpserver.")),
            new Rule(ProfileStage.STATE_STORES, f -> f.type().startsWith("org.apache.kafka.streams.state.")
                    || f.type().startsWith("org.rocksdb.")),
            new Rule(ProfileStage.PRODUCE, f -> f.type().startsWith("org.apache.kafka.clients.producer.")
                    || f.type().startsWith("org.apache.kafka.streams.processor.internals.RecordCollectorImpl")
                    || f.type().startsWith("org.apache.kafka.streams.processor.internals.StreamsProducer")),
            new Rule(ProfileStage.CONSUME, f -> f.type().startsWith("org.apache.kafka.clients.consumer.")),
            new Rule(ProfileStage.PROFILER, f -> f.type().startsWith("jdk.jfr.")),
            new Rule(ProfileStage.TOPOLOGY, f -> f.type().startsWith("io.digitstream.")),
            new Rule(ProfileStage.STREAMS_RUNTIME, f -> f.type().startsWith("org.apache.kafka.streams.")));

    private static final Set<String> TRANSACTION_METHODS = Set.of("beginTransaction", "commitTransaction",
            "abortTransaction", "sendOffsetsToTransaction", "initTransactions");

    /**
     * Native methods in which a thread waits rather than computes: a sample there is not CPU (the thread is blocked in
     * the kernel), though the JVM counts the thread as running native code.
     */
    private static final Set<String> WAITING_NATIVE_METHODS = Set.of(
            "sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.poll", "sun.nio.ch.Net.accept",
            "java.lang.ref.Reference.waitForReferencePendingList", "java.lang.Object.wait",
            "jdk.internal.misc.Unsafe.park", "java.lang.Thread.sleep", "java.lang.Thread.sleep0",
            "java.lang.ProcessHandleImpl.waitForProcessExit0", "sun.nio.fs.LinuxWatchService.poll",
            "java.io.FileInputStream.readBytes");

    private StageRules() {
    }

    /** The stage of a stack given top frame first: the first frame, from the top, that a rule names. */
    static ProfileStage stageOf(List<SampledFrame> topFirst) {
        for (SampledFrame frame : topFirst) {
            for (Rule rule : RULES) {
                if (rule.matches().test(frame)) {
                    return rule.stage();
                }
            }
        }
        return topFirst.stream().anyMatch(f -> f.type().startsWith("org.apache.kafka.")) ? ProfileStage.KAFKA_OTHER
                : ProfileStage.OTHER;
    }

    /** Whether a native sample whose top frame is {@code top} shows a thread waiting, not computing. */
    static boolean isWaiting(SampledFrame top) {
        return WAITING_NATIVE_METHODS.contains(top.qualifiedName());
    }

    /** The JVM's own Java threads, which run no Java code the samplers see. */
    private static final Set<String> JVM_THREADS = Set.of("Reference Handler", "Finalizer", "Signal Dispatcher",
            "Service Thread", "Monitor Deflation Thread", "Notification Thread", "Common-Cleaner");

    /**
     * Where the CPU of a thread with no sample in the window goes, by the thread's name: the JIT compilers, the JVM's
     * and JFR's own threads run no Java code that the samplers see, and a Kafka client thread that was only blocked
     * (a consumer's heartbeat thread) belongs to its client.
     */
    static ProfileStage stageOfUnsampledThread(String threadName) {
        if (threadName.startsWith("C1 CompilerThread") || threadName.startsWith("C2 CompilerThread")
                || threadName.equals("Sweeper thread")) {
            return ProfileStage.JIT;
        }
        if (threadName.startsWith("JFR ")) {
            return ProfileStage.PROFILER;
        }
        if (JVM_THREADS.contains(threadName)) {
            return ProfileStage.GC_AND_VM;
        }
        if (threadName.startsWith("kafka-coordinator-heartbeat-thread")) {
            return ProfileStage.CONSUME;
        }
        if (threadName.startsWith("kafka-producer-network-thread")) {
            return ProfileStage.PRODUCE;
        }
        if (threadName.startsWith("kafka-admin-client-thread")) {
            return ProfileStage.KAFKA_OTHER;
        }
        if (threadName.contains("-StreamThread-") || threadName.contains("-StateUpdater-")) {
            return ProfileStage.STREAMS_RUNTIME;
        }
        if (threadName.startsWith("metrics-http")) {
            return ProfileStage.METRICS;
        }
        return ProfileStage.OTHER;
    }

    private static boolean isCommit(SampledFrame f) {
        String type = f.type();
        String method = f.method();
        return type.startsWith("org.apache.kafka.clients.producer.internals.TransactionManager")
                || type.startsWith("org.apache.kafka.clients.producer.internals.TransactionalRequestResult")
                || type.equals("org.apache.kafka.clients.producer.internals.Sender")
                        && method.equals("maybeSendAndPollTransactionalRequest")
                || type.equals("org.apache.kafka.clients.producer.KafkaProducer")
                        && TRANSACTION_METHODS.contains(method)
                || type.equals("org.apache.kafka.streams.processor.internals.StreamsProducer")
                        && (TRANSACTION_METHODS.contains(method) || method.equals("maybeBeginTransaction"))
                || (type.equals("org.apache.kafka.streams.processor.internals.TaskManager")
                        || type.equals("org.apache.kafka.streams.processor.internals.TaskExecutor"))
                        && method.startsWith("commit")
                || type.startsWith("org.apache.kafka.clients.consumer.")
                        && (method.startsWith("commitSync") || method.startsWith("commitAsync")
                                || method.startsWith("commitOffsets") || method.startsWith("sendOffsetCommitRequest"));
    }
}

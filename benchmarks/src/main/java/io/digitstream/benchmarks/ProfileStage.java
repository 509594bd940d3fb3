package io.digitstream.benchmarks;

/**
 * What a CPU sample of the classifier was doing, as the benchmark's profile reports it: a stage of the pipeline, or
 * the JVM's own work. {@link StageRules} decides which stage a sampled stack belongs to.
 */
public enum ProfileStage {

    DECODE("decode (image parsing)"),
    PREPROCESS("preprocess (io.digitstream.core.image)"),
    MODEL("model (ONNX Runtime, OnnxDigitModel)"),
    JSON("JSON (Jackson)"),
    PRODUCE("produce (Kafka producer: outputs, repartitions, changelogs)"),
    CONSUME("consume / poll (Kafka consumer)"),
    STATE_STORES("state stores (Kafka Streams stores, RocksDB)"),
    COMMITS("commits / transactions"),
    METRICS("metrics (Micrometer, Kafka metrics, /metrics)"),
    STREAMS_RUNTIME("Kafka Streams runtime (task loop, record queues, punctuation)"),
    TOPOLOGY("the classifier's own processors (io.digitstream)"),
    KAFKA_OTHER("other Kafka client work (admin client, network)"),
    JIT("JIT compiler threads"),
    GC_AND_VM("GC and the JVM's own threads (not sampled)"),
    PROFILER("JFR, the profile's own cost"),
    OTHER("other Java");

    private final String label;

    ProfileStage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

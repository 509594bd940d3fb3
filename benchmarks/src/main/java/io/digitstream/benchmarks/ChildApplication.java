package io.digitstream.benchmarks;

/** What a phase's child JVM runs. */
public enum ChildApplication {

    /** {@link BareStreamsMain}: an identity Kafka Streams application, the pipeline's ceiling. */
    BARE("bare Kafka Streams"),
    /** {@link ClassifierMain} with a constant prediction in the model's place: the product's topology, no model. */
    PASS_THROUGH("pass-through"),
    /** {@link ClassifierMain} with the model: the product as {@code serve} runs it. */
    MODEL("model");

    private final String label;

    ChildApplication(String label) {
        this.label = label;
    }

    /** How the report names it. */
    public String label() {
        return label;
    }
}

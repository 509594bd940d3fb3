package io.digitstream.cli;

import java.nio.file.Path;

/**
 * Where the CLI finds the project's files by default: one place for every default path but Kafka Streams' state
 * directory, which is a setting of the classifier ({@code streams.state.dir}).
 */
final class ProjectPaths {

    static final String DEFAULT_MODEL = "models/digits-cnn.onnx";
    /** The float32 model the shipped int8 one was quantized from: what {@code quantize} reads by default. */
    static final String FLOAT32_MODEL = "models/digits-cnn-float32.onnx";

    private ProjectPaths() {
    }

    /** The project root: set by the launcher, else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("digits.home", ".")).toAbsolutePath().normalize();
    }

    static Path defaultModel() {
        return home().resolve(DEFAULT_MODEL);
    }

    static Path float32Model() {
        return home().resolve(FLOAT32_MODEL);
    }

    static Path runsDirectory() {
        return home().resolve("runs");
    }

    /** Where the local broker of {@code kafka} and {@code serve --local-broker} keeps its data across restarts. */
    static Path kafkaDataDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "digit-stream", "kafka");
    }

    /** The log of the local broker of {@code serve --local-broker}, which runs in a JVM of its own. */
    static Path kafkaLogFile() {
        return Path.of(System.getProperty("user.home"), ".cache", "digit-stream", "kafka.log");
    }
}

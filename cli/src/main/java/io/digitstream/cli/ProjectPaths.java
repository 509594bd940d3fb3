package io.digitstream.cli;

import java.nio.file.Path;

/**
 * Where the CLI finds the project's files by default: one place for every default path but Kafka Streams' state
 * directory, which is a setting of the classifier ({@code streams.state.dir}).
 */
final class ProjectPaths {

    static final String DEFAULT_MODEL = "models/digits-cnn.onnx";

    private ProjectPaths() {
    }

    /** The project root: set by the launcher, else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("digits.home", ".")).toAbsolutePath().normalize();
    }

    static Path defaultModel() {
        return home().resolve(DEFAULT_MODEL);
    }

    static Path runsDirectory() {
        return home().resolve("runs");
    }

    /** Where the local broker of {@code kafka} and {@code serve} keeps its data across restarts. */
    static Path kafkaDataDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "digit-stream", "kafka");
    }
}

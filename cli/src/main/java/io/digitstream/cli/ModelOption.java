package io.digitstream.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option of every command that runs a model; defaults to the shipped one. */
final class ModelOption {

    @Option(names = "--model", paramLabel = "FILE", description = "ONNX model (default: the shipped ${DEFAULT-VALUE}).")
    Path file = ProjectPaths.defaultModel();
}

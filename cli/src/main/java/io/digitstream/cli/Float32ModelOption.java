package io.digitstream.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model} of the commands that work on a float32 model (calibrate, quantize): the shipped model is the int8
 * copy, so their default is the float32 model it was quantized from.
 */
final class Float32ModelOption {

    @Option(names = "--model", paramLabel = "FILE",
            description = "float32 ONNX model (default: ${DEFAULT-VALUE}, which the shipped model was quantized from).")
    Path file = ProjectPaths.float32Model();
}

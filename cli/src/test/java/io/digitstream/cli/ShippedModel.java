package io.digitstream.cli;

import java.nio.file.Path;

/** Where the tests find the model the project ships and its float32 source (the cli module's tests run in cli/). */
final class ShippedModel {

    static final Path FILE = Path.of("..").resolve(ProjectPaths.DEFAULT_MODEL).toAbsolutePath().normalize();
    /** The float32 model that {@link #FILE} is the int8 copy of. */
    static final Path FLOAT32 = Path.of("..").resolve(ProjectPaths.FLOAT32_MODEL).toAbsolutePath().normalize();

    private ShippedModel() {
    }
}

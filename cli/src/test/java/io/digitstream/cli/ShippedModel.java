package io.digitstream.cli;

import java.nio.file.Path;

/** Where the tests find the model the project ships (the cli module's tests run in cli/). */
final class ShippedModel {

    static final Path FILE = Path.of("..").resolve(ProjectPaths.DEFAULT_MODEL).toAbsolutePath().normalize();

    private ShippedModel() {
    }
}

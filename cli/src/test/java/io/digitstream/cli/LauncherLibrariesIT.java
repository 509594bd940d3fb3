package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./digits} runs with {@code cli/target/lib/*} on its class path, so that folder must hold one version of each
 * library: a jar left there by an older build (kafka 4.3.1 beside 4.4.0 after an upgrade) broke the embedded broker
 * with a {@code NoSuchMethodError}. The build empties the folder before copying the dependencies (cli/pom.xml).
 */
class LauncherLibrariesIT {

    // artifact-1.2.3.jar, artifact-1.2.3-classifier.jar; a version starts with a digit
    private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^-]*)(-[^.]+)?\\.jar");

    @Test
    void theLauncherClassPathHoldsOneVersionOfEachLibrary() throws IOException {
        Path lib = Path.of("target", "lib");
        assertThat(lib).isDirectory();
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).toList();
        }
        assertThat(jars).as("jars in %s", lib.toAbsolutePath()).isNotEmpty()
                .anyMatch(name -> name.startsWith("kafka-streams-"));

        Map<String, List<String>> byArtifact = jars.stream()
                .collect(Collectors.groupingBy(LauncherLibrariesIT::artifact));
        assertThat(byArtifact).allSatisfy((artifact, versions) ->
                assertThat(versions).as("versions of %s on the launcher's class path", artifact).hasSize(1));
    }

    /** The artifact id and classifier of a copied jar: {@code kafka_2.13-4.4.0.jar} is {@code kafka_2.13}. */
    private static String artifact(String fileName) {
        Matcher m = JAR.matcher(fileName);
        return m.matches() ? m.group(1) + (m.group(3) == null ? "" : m.group(3)) : fileName;
    }
}

package io.digitstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime 1.29.0 crashed the JVM inside {@code OrtEnvironment.getEnvironment()} whenever the process command line
 * exceeded ~4 KB; this guards the pinned version against that in a real child JVM.
 */
class LongCommandLineIT {

    @Test
    void loadsAModelInAJvmWithACommandLineOverFourKilobytes(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("template.onnx");
        Files.write(model, TemplateDigitModels.modelBytes(TemplateDigitModels.metadata(TemplateDigitModels.checkDigits())));
        String padding = "-Ddigitstream.padding=" + "x".repeat(8_000);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), padding, "-cp", System.getProperty("java.class.path"),
                LongCommandLineChild.class.getName(), model.toString());
        assertThat(String.join(" ", command).length()).isGreaterThan(8_000);

        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("child JVM finished within 2 minutes; output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("self-check passed 10");
    }
}

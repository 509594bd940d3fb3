package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.benchmarks.StreamBenchmark;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command line as the container images run it: they leave the benchmarks module out (a provided dependency of
 * the CLI), so without it {@code ./digits} must still load, run its other commands and not offer {@code benchmark} or
 * {@code soak}.
 */
class WithoutBenchmarksModuleIT {

    @Test
    void withTheModuleBenchmarkAndSoakAreOffered() {
        CommandRun help = CommandRun.execute("--help");

        assertThat(DigitsCommand.benchmarksPresent()).isTrue();
        assertThat(help.out()).contains("  benchmark ", "  soak ", "./digits soak ");
    }

    @Test
    @Timeout(180)
    void withoutItTheOtherCommandsRunAndBenchmarkAndSoakAreNotOffered() throws Exception {
        Run help = runWithoutBenchmarks("--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("  serve ", "  produce ", "  train ", "./digits serve ")
                .doesNotContain("  benchmark ", "  soak ", "./digits soak ", "NoClassDefFoundError");

        Run serveHelp = runWithoutBenchmarks("serve", "--help");
        assertThat(serveHelp.exitCode()).as(serveHelp.output()).isZero();
        assertThat(serveHelp.output()).contains("--metrics-port");

        Run soak = runWithoutBenchmarks("soak");
        assertThat(soak.exitCode()).as(soak.output()).isEqualTo(2);
        assertThat(soak.output()).contains("Unmatched argument at index 0: 'soak'");
    }

    private record Run(int exitCode, String output) {
    }

    /** {@code java -cp <this class path without the benchmarks module> DigitsCommand args}. */
    private static Run runWithoutBenchmarks(String... args) throws Exception {
        Path benchmarks = Path.of(StreamBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classPath = new ArrayList<>(List.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)));
        assertThat(classPath.removeIf(entry -> Path.of(entry).toAbsolutePath().equals(benchmarks)))
                .as("the benchmarks module %s on the class path", benchmarks).isTrue();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", String.join(File.pathSeparator, classPath), DigitsCommand.class.getName()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(process.exitValue(), output);
    }
}

package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images leave the local broker out (the layer filter {@code images.broker-jars} in the POM): on that
 * class path the CLI still starts and {@code serve} runs, and the commands that need a local broker say it is missing.
 */
class ImageClassPathIT {

    private static final Pattern BROKER_JARS = Pattern.compile("<images\\.broker-jars>(.*?)</images\\.broker-jars>",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void withoutTheBrokersJarsServeRunsAndTheLocalBrokerIsSaidToBeMissing() throws Exception {
        List<String> classPath = imageClassPath();
        assertThat(classPath).noneMatch(entry -> entry.contains("scala") || entry.contains("kafka_2.13")
                || entry.contains("local-broker"));

        Run help = run(classPath, "serve", "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("--local-broker");

        Path config = Files.writeString(dir.resolve("c.properties"), "broker.wait.timeout=PT2S\n");
        Run serve = run(classPath, "serve", "--bootstrap-servers", "127.0.0.1:1", "--metrics-port", "0",
                "--config", config.toString(), "--model", ShippedModel.FILE.toString());
        assertThat(serve.exitCode()).isOne();
        assertThat(serve.output()).contains("digits serve: no Kafka broker answered at 127.0.0.1:1");

        for (String[] command : new String[][] {{"kafka", "--port", "0"}, {"serve", "--local-broker"}}) {
            Run missing = run(classPath, command);
            assertThat(missing.exitCode()).as(missing.output()).isOne();
            assertThat(missing.output()).as(command[0])
                    .contains("digits " + command[0] + ": this installation has no local Kafka broker")
                    .doesNotContain("NoClassDefFoundError");
        }
    }

    /** This JVM's class path without what the images' layer filter drops (their libraries are files in /app/libs). */
    private static List<String> imageClassPath() throws IOException {
        PathMatcher dropped = FileSystems.getDefault().getPathMatcher("glob:" + brokerJarsGlob());
        List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        assertThat(all).as("the broker's jar, packaged (verify runs after package)")
                .anyMatch(entry -> entry.matches(".*digit-stream-local-broker-[^/\\\\]*\\.jar"));
        return all.stream().filter(entry -> !dropped.matches(Path.of("/app/libs", Path.of(entry).getFileName()
                .toString()))).toList();
    }

    /** The glob, from this module's POM or the parent's. */
    private static String brokerJarsGlob() throws IOException {
        for (Path pom : List.of(Path.of("pom.xml"), Path.of("..", "pom.xml"))) {
            Matcher glob = BROKER_JARS.matcher(Files.readString(pom));
            if (glob.find()) {
                return glob.group(1).strip();
            }
        }
        throw new AssertionError("no images.broker-jars in cli/pom.xml or pom.xml");
    }

    private Run run(List<String> classPath, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Duser.home=" + dir, DigitsCommand.class.getName()));
        command.addAll(List.of(args));
        Path output = dir.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // through the environment: ONNX Runtime has failed on long JVM command lines (see the parent POM)
        builder.environment().put("CLASSPATH", String.join(File.pathSeparator, classPath));
        Process process = builder.start();
        // a guard against a hung command, not a timing assertion
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("digits " + String.join(" ", args) + " did not finish:\n"
                    + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String output) {
    }
}

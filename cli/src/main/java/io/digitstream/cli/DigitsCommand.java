package io.digitstream.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.UsageMessageSpec;

/** The {@code ./digits} command line: one subcommand per job. */
@Command(
        name = "digits",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "digit-stream: recognise handwritten digits in a stream of images.",
        subcommands = {
            FetchDataCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            CalibrateCommand.class,
            QuantizeCommand.class,
            ClassifyCommand.class,
            BenchmarkCommand.class,
            KafkaCommand.class,
            ServeCommand.class,
            ProduceCommand.class,
            TailCommand.class,
            DemoCommand.class,
            SoakCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  ./digits demo                     the whole pipeline: broker, classifier, 10k images, live accuracy",
            "  ./digits fetch-data               put MNIST into the local data cache",
            "  ./digits train --quick            train, evaluate, export a model in minutes",
            "  ./digits classify my-digit.png    classify images with the shipped model",
            "  ./digits evaluate --model m.onnx  test accuracy and classification report",
            "  ./digits serve                    classify the digits.images topic, metrics on :8080",
            "  ./digits produce --rate 500       publish MNIST test images; ./digits tail prints predictions",
            "  ./digits soak                     10 minutes of images and hostile records: memory and exactly-once"
        })
public final class DigitsCommand implements Runnable {

    /** A class of the benchmarks module, by name: this class must load without it. */
    static final String BENCHMARKS_CLASS = "io.digitstream.benchmarks.StreamBenchmark";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DigitsCommand())
                .setExecutionExceptionHandler(new ErrorReporter());
        if (!benchmarksPresent()) {
            // the container images leave the benchmarks module out: offer only the commands that run there
            UsageMessageSpec usage = commandLine.getCommandSpec().usageMessage();
            for (String command : List.of("benchmark", "soak")) {
                commandLine.getCommandSpec().removeSubcommand(command);
                usage.footer(Arrays.stream(usage.footer()).filter(line -> !line.contains("./digits " + command + " "))
                        .toArray(String[]::new));
            }
        }
        return commandLine;
    }

    /** Whether the benchmarks module, behind {@code benchmark} and {@code soak}, is on the class path. */
    static boolean benchmarksPresent() {
        try {
            Class.forName(BENCHMARKS_CLASS, false, DigitsCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

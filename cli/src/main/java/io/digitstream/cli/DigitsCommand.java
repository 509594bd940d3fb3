package io.digitstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        return new CommandLine(new DigitsCommand())
                .setExecutionExceptionHandler(new ErrorReporter());
    }
}

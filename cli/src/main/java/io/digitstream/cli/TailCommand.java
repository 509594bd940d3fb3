package io.digitstream.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.ClassificationReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.producer.TopicTail;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Print the classifier's output as it arrives: one line per prediction (id, digit, confidence, "
                + "label and whether it was right when known, model version), or the record's JSON with --json. "
                + "Reads committed records only, without joining a consumer group. --summary adds a running accuracy "
                + "line and, at the end, the confusion matrix and classification report.",
        footer = {"", "Examples:",
                  "  ./digits tail                              new predictions, until Ctrl-C",
                  "  ./digits tail --from-beginning --summary --idle-timeout 10s",
                  "  ./digits tail --topic dlq                  dead letters with their reasons",
                  "  ./digits tail --topic review --json | jq .confidence",
                  "  ./digits tail --topic accuracy --count 1 --from-beginning"})
final class TailCommand implements Callable<Integer> {

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "predictions",
            description = "predictions, review, dlq, accuracy, labels, or any topic name (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--json", description = "Print each record's value as it is (JSON for predictions, review and "
            + "accuracy); for dead letters a JSON object with the key, the reason headers and the value's size.")
    boolean json;

    @Option(names = "--summary", description = "A running accuracy line on standard error every second, and the "
            + "confusion matrix and classification report of the labelled predictions at the end.")
    boolean summary;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of the newest.")
    boolean fromBeginning;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N records; 0 for no limit (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop when nothing arrived for this long: 10s, 1m (default: wait until Ctrl-C).")
    Duration idleTimeout = Duration.ZERO;

    @Mixin
    KafkaConnectionOptions connection;

    @Spec
    CommandSpec spec;

    private long predictionsRead;
    /** The labelled predictions read, for --summary. */
    private ConfusionMatrix labelled = ConfusionMatrix.emptyDigits();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClassifierConfig config = connection.config();
        String topicName = topicName(config);
        boolean predictions = topicName.equals(config.predictionsTopic()) || topicName.equals(config.reviewTopic());
        BrokerCheck.requireReachable(config.clientProperties(), Duration.ofSeconds(10));
        err.println("Reading " + topicName + " on " + config.bootstrapServers()
                + (fromBeginning ? " from the beginning" : " from now") + ". Ctrl-C stops.");
        err.flush();
        AtomicBoolean stop = new AtomicBoolean();
        // Ctrl-C: stop reading, and print the summary before the JVM exits
        try (StopOnShutdown ctrlC = new StopOnShutdown("tail-stop", () -> stop.set(true))) {
            long read;
            try (TopicTail tail = new TopicTail(config.clientProperties(), topicName, fromBeginning)) {
                long[] lastLine = {System.nanoTime()};
                read = tail.run(record -> {
                    print(out, record, topicName, config, predictions);
                    if (summary && predictions && System.nanoTime() - lastLine[0] > 1_000_000_000L) {
                        lastLine[0] = System.nanoTime();
                        err.println(runningLine());
                        err.flush();
                    }
                }, count, idleTimeout, stop::get);
            }
            out.flush();
            if (summary && predictions) {
                printSummary(out);
            }
            err.printf(Locale.ROOT, "%,d record(s) read from %s.%n", read, topicName);
            err.flush();
        }
        return 0;
    }

    private String topicName(ClassifierConfig config) {
        return switch (topic) {
            case "predictions" -> config.predictionsTopic();
            case "review" -> config.reviewTopic();
            case "dlq" -> config.dlqTopic();
            case "accuracy" -> config.accuracyTopic();
            case "labels" -> config.labelsTopic();
            case "images" -> config.inputTopic();
            default -> topic;
        };
    }

    private void print(PrintWriter out, ConsumerRecord<byte[], byte[]> record, String topicName,
                       ClassifierConfig config, boolean predictions) {
        if (predictions) {
            PredictionEvent p;
            try {
                p = PredictionEvent.fromJson(record.value());
            } catch (RuntimeException e) {
                out.println("(not a prediction at " + where(record) + ": " + e.getMessage() + ")");
                return;
            }
            predictionsRead++;
            if (p.label() != null) {
                labelled = labelled.add(p.label(), p.digit());
            }
            out.println(json ? utf8(record.value()) : PredictionLine.of(p));
        } else if (topicName.equals(config.dlqTopic())) {
            out.println(json ? DeadLetterLine.json(record) : DeadLetterLine.text(record));
        } else {
            String key = record.key() == null ? "" : utf8(record.key());
            out.println(json ? utf8(record.value()) : key + "\t" + utf8(record.value()));
        }
    }

    private String runningLine() {
        return String.format(Locale.ROOT, "predictions %,d, labelled %,d, accuracy %s", predictionsRead,
                labelled.total(), labelled.total() == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%",
                        100 * labelled.accuracy()));
    }

    private void printSummary(PrintWriter out) {
        out.println();
        out.println(runningLine());
        if (labelled.total() > 0) {
            out.println();
            out.println("Confusion matrix (row = label, column = predicted):");
            out.println(labelled.toText());
            out.println(ClassificationReport.from(labelled).toText());
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }


    /** One human line per prediction. */
    static final class PredictionLine {
        private PredictionLine() {
        }

        static String of(PredictionEvent p) {
            String truth = p.label() == null ? "" : String.format(Locale.ROOT, "  label %d %s", p.label(),
                    p.label() == p.digit() ? "correct" : "WRONG");
            return String.format(Locale.ROOT, "%s  digit %d  confidence %.4f%s  model %s", p.id(), p.digit(),
                    p.confidence(), truth, p.modelVersion());
        }
    }

    /** A dead letter by its key and the reason headers the classifier adds. */
    static final class DeadLetterLine {
        private DeadLetterLine() {
        }

        static String text(ConsumerRecord<byte[], byte[]> r) {
            return String.format(Locale.ROOT, "%s  %s  %s  (from %s/%s@%s, %d bytes)",
                    r.key() == null ? "(no key)" : utf8(r.key()), header(r, DeadLetter.REASON),
                    header(r, DeadLetter.MESSAGE), header(r, DeadLetter.SOURCE_TOPIC),
                    header(r, DeadLetter.SOURCE_PARTITION), header(r, DeadLetter.SOURCE_OFFSET),
                    r.value() == null ? 0 : r.value().length);
        }

        static String json(ConsumerRecord<byte[], byte[]> r) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("key", r.key() == null ? null : utf8(r.key()));
            for (Header h : r.headers()) {
                node.put(h.key(), utf8(h.value()));
            }
            node.put("valueBytes", r.value() == null ? 0 : r.value().length);
            return node.toString();
        }

        private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
            Header h = r.headers().lastHeader(key);
            return h == null ? "?" : utf8(h.value());
        }
    }
}

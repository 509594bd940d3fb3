package io.digitstream.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.digitstream.classifier.ClassifierConfig;
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
                + "Reads committed records only, without joining a consumer group. A prediction rejected as not a digit "
                + "says not-a-digit and its score after the confidence. --summary adds a running accuracy line and, "
                + "at the end, the confusion matrix and classification report; rejected predictions are counted "
                + "apart, not in the accuracy.",
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
            + "confusion matrix and classification report of the labelled predictions at the end; predictions "
            + "rejected as not a digit are counted apart and left out of them.")
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

    private final PredictionSummary summaryCounts = new PredictionSummary();

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
                        err.println(summaryCounts.runningLine());
                        err.flush();
                    }
                }, count, idleTimeout, stop::get);
            }
            out.flush();
            if (summary && predictions) {
                summaryCounts.print(out);
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
            summaryCounts.add(p);
            out.println(json ? utf8(record.value()) : PredictionLine.of(p));
        } else if (topicName.equals(config.dlqTopic())) {
            out.println(json ? DeadLetterLine.json(record) : DeadLetterLine.text(record));
        } else {
            String key = record.key() == null ? "" : utf8(record.key());
            out.println(json ? utf8(record.value()) : key + "\t" + utf8(record.value()));
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }


    /** One human line per prediction; a rejected one says why after its confidence. */
    static final class PredictionLine {
        private PredictionLine() {
        }

        static String of(PredictionEvent p) {
            String rejected = p.accepted() ? "" : "  " + p.rejectReason()
                    + (p.oodScore() == null ? "" : String.format(Locale.ROOT, " (score %.4f)", p.oodScore()));
            String truth = p.label() == null ? "" : String.format(Locale.ROOT, "  label %d %s", p.label(),
                    p.label() == p.digit() ? "correct" : "WRONG");
            return String.format(Locale.ROOT, "%s  digit %d  confidence %.4f%s%s  model %s", p.id(), p.digit(),
                    p.confidence(), rejected, truth, p.modelVersion());
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

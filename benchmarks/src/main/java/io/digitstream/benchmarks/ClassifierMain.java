package io.digitstream.benchmarks;

import io.digitstream.classifier.Classification;
import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.DigitClassifier;
import io.digitstream.classifier.KafkaClientSettings;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The classifier that the stream benchmark and the soak measure, in a child JVM of its own:
 * {@link ClassifierApplication} as {@code ./digits serve} runs it, with the model file or, for the benchmark's
 * pass-through phase, a constant prediction in the model's place. Decoding, preprocessing, JSON and Kafka cost the
 * same in both, so the difference between them is the model.
 * {@code ClassifierMain <properties file> <model file | pass-through>}, the properties with the keys of
 * {@code serve --config}. Exits 1 when Kafka Streams fails, 0 on SIGTERM.
 */
public final class ClassifierMain {

    /** The second argument that puts the pass-through in the model's place; also the version it names. */
    public static final String PASS_THROUGH = "pass-through";

    private ClassifierMain() {
    }

    /**
     * Always digit 0 with certainty: above any review threshold, so nothing extra goes to review. A batch gets its
     * answers without the per-image copies of {@link DigitClassifier#classifyAll}'s default, which the ONNX classifier
     * does not make either (it reads the batch in place): 3 KB of garbage per image that is not the topology's.
     */
    static DigitClassifier passThrough() {
        float[] probabilities = new float[DigitShape.CLASSES];
        probabilities[0] = 1f;
        Classification constant = new Classification(Prediction.fromProbabilities(probabilities), PASS_THROUGH);
        return new DigitClassifier() {
            @Override
            public Classification classify(float[] pixels) {
                return constant;
            }

            @Override
            public List<Classification> classifyAll(float[] pixels, int count) {
                return Collections.nCopies(count, constant);
            }
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ClassifierMain <classifier properties file> <model file | " + PASS_THROUGH
                    + ">");
            System.exit(2);
        }
        ClassifierConfig config = ClassifierConfig.fromMap(KafkaClientSettings.readPropertiesFile(Path.of(args[0])));
        ClassifierApplication app = args[1].equals(PASS_THROUGH)
                ? ClassifierApplication.start(config, passThrough())
                : ClassifierApplication.start(config, Path.of(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "classifier-shutdown"));
        // ClassifierProcess finds /metrics through this line
        System.out.println("classifying " + config.inputTopic() + " -> " + config.predictionsTopic() + " with "
                + args[1] + "; metrics at http://" + config.metricsHost() + ":" + app.metricsPort() + "/metrics");
        while (!app.awaitTermination(Duration.ofHours(1))) {
            // classifying until SIGTERM or a failure
        }
        System.exit(app.state() == KafkaStreams.State.ERROR ? 1 : 0);
    }
}

package io.digitstream.cli.bench;

import io.digitstream.classifier.Classification;
import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.DigitClassifier;
import io.digitstream.classifier.KafkaClientSettings;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The stream classifier with the model replaced by a constant prediction: the same topology, settings and metrics
 * as {@code ./digits serve}, so decoding, preprocessing, JSON and Kafka still cost what they cost, and the difference
 * to the real classifier is the model. Run as a child JVM by the stream benchmark:
 * {@code PassThroughClassifierMain <properties file>} (the same keys as {@code serve --config}).
 */
public final class PassThroughClassifierMain {

    public static final String MODEL_VERSION = "pass-through";

    private PassThroughClassifierMain() {
    }

    /** Always digit 0 with certainty: above any review threshold, so nothing extra goes to review. */
    static DigitClassifier passThrough() {
        float[] probabilities = new float[OnnxDigitModel.CLASSES];
        probabilities[0] = 1f;
        Classification constant = new Classification(Prediction.fromProbabilities(probabilities), MODEL_VERSION);
        return pixels -> constant;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PassThroughClassifierMain <classifier properties file>");
            System.exit(2);
        }
        ClassifierConfig config = ClassifierConfig.fromMap(KafkaClientSettings.load(Path.of(args[0])));
        ClassifierApplication app = ClassifierApplication.start(config, passThrough());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "pass-through-shutdown"));
        // the benchmark reads the classifier's own timers from /metrics, as from serve
        System.out.println("pass-through classifier started: " + config.inputTopic() + " -> "
                + config.predictionsTopic() + "; metrics at http://" + config.metricsHost() + ":" + app.metricsPort()
                + "/metrics");
        while (!app.awaitTermination(Duration.ofHours(1))) {
            // classifying
        }
        System.exit(app.state() == KafkaStreams.State.ERROR ? 1 : 0);
    }
}

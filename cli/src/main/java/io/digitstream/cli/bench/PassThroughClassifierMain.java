package io.digitstream.cli.bench;

import io.digitstream.classifier.Classification;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.ClassifierTopology;
import io.digitstream.classifier.DigitClassifier;
import io.digitstream.classifier.KafkaClientSettings;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.classifier.observe.MetricsHttpServer;
import io.digitstream.classifier.observe.Readiness;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.Prediction;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The stream classifier with the model replaced by a constant prediction: the same topology, settings and metrics
 * as {@code ./digits serve}, so decoding, preprocessing, JSON and Kafka still cost what they cost, and the difference
 * to the real classifier is the model. Run as a child JVM by the stream benchmark:
 * {@code PassThroughClassifierMain <properties file>} (the same keys as {@code serve --config}).
 */
public final class PassThroughClassifierMain {

    public static final String MODEL_VERSION = "pass-through";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private PassThroughClassifierMain() {
    }

    /** Always digit 0 with certainty: above any review threshold, so nothing extra goes to review. */
    static DigitClassifier passThrough() {
        float[] probabilities = new float[DigitShape.CLASSES];
        probabilities[0] = 1f;
        Classification constant = new Classification(Prediction.fromProbabilities(probabilities), MODEL_VERSION);
        return pixels -> constant;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PassThroughClassifierMain <classifier properties file>");
            System.exit(2);
        }
        ClassifierConfig config = ClassifierConfig.fromMap(KafkaClientSettings.readPropertiesFile(Path.of(args[0])));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClassifierMetrics metrics = new ClassifierMetrics(registry);
        KafkaStreams streams = new KafkaStreams(ClassifierTopology.build(config, passThrough(), metrics),
                config.toStreamsProperties());
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        // the benchmark reads the classifier's own timers from /metrics, as from serve
        MetricsHttpServer http = MetricsHttpServer.start(config.metricsHost(), config.metricsPort(), registry,
                Readiness.of(() -> streams.state() == KafkaStreams.State.RUNNING));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CLOSE_TIMEOUT);
            http.close();
            streamsMetrics.close();
            metrics.close();
            registry.close();
        }, "pass-through-shutdown"));
        streams.start();
        System.out.println("pass-through classifier started: " + config.inputTopic() + " -> "
                + config.predictionsTopic() + "; metrics at http://" + config.metricsHost() + ":" + http.port()
                + "/metrics");
        stopped.await();
        System.exit(streams.state() == KafkaStreams.State.ERROR ? 1 : 0);
    }
}

package io.digitstream.classifier;

import io.digitstream.contract.PredictionEvent;

/**
 * What {@link ClassifyProcessor} makes of one input record: a prediction or a dead letter, which
 * {@link ClassifierTopology} routes to their topics. The record that carries an outcome already has the key, timestamp
 * and headers its output topic gets.
 */
sealed interface ClassificationOutcome permits ClassificationOutcome.Predicted, DeadLettered {

    /**
     * A prediction and its JSON, written once: the value of the predictions topic, of the review topic when
     * {@code forReview} (its confidence is below the threshold, or it was rejected as not-a-digit), and of the
     * accuracy branch; {@code sourcePartition} is the input partition it was read from, which decides whether the
     * label join needs it elsewhere ({@link ByIdPartitions}).
     */
    record Predicted(PredictionEvent event, byte[] json, boolean forReview, int sourcePartition)
            implements ClassificationOutcome {
    }
}

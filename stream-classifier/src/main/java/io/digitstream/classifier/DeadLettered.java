package io.digitstream.classifier;

/**
 * A record a processor turned down, as its dead letter ({@link DeadLetterRecords}): the record that carries this has
 * the dead letter's key, timestamp and headers, and this is its value.
 */
record DeadLettered(byte[] value) implements ClassificationOutcome, LabelOutcome {
}

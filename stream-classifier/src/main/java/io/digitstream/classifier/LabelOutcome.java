package io.digitstream.classifier;

/**
 * What {@link LabelProcessor} makes of one record of the labels topic: the digit it names or a dead letter, which
 * {@link ClassifierTopology} routes. The record that carries an outcome has the key and headers it came with, or
 * the dead letter's.
 */
sealed interface LabelOutcome permits LabelOutcome.ValidLabel, DeadLettered {

    /** The true digit of the event whose id is the record's key. */
    record ValidLabel(int digit) implements LabelOutcome {
    }
}

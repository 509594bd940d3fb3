package io.digitstream.trainer.ood;

import io.digitstream.core.model.OodScore;

/**
 * How well one score tells digits from non-digits, with the threshold it would get.
 *
 * @param score            the score measured
 * @param auroc            area under the ROC curve, non-digits as positives
 * @param threshold        the threshold chosen on the digits (NaN when none was)
 * @param digitsRejected   share of the digits scoring above the threshold
 * @param outliersRejected share of the non-digits scoring above the threshold
 */
public record OodSeparation(OodScore score, double auroc, double threshold, double digitsRejected,
                            double outliersRejected) {
}

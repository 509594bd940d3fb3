package io.digitstream.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The exactly-once accounting at the end of a soak: every image the broker took must be one prediction, every hostile
 * record one dead letter with its expected reason, and nothing else may appear on either topic.
 *
 * @param imagesSent            images sent
 * @param imagesRefused         images the broker refused (not expected anywhere)
 * @param imagesPredicted       distinct images predicted
 * @param duplicatePredictions  predictions of an image already predicted
 * @param imagesLost            images the broker took and no prediction has
 * @param imagesDeadLettered    images that became dead letters, by reason
 * @param unexpectedPredictions predictions whose key is no image of this soak (a hostile record classified?)
 * @param hostileSent           hostile records sent
 * @param hostileRefused        hostile records the broker refused
 * @param hostileDeadLettered   distinct hostile records dead-lettered
 * @param duplicateDeadLetters  dead letters of a hostile record already dead-lettered
 * @param hostileLost           hostile records the broker took and no dead letter has
 * @param wrongReason           hostile records dead-lettered with another reason than expected
 * @param unexpectedDeadLetters dead letters that are neither a hostile record nor an image of this soak
 * @param examples              the first few unexpected records, for the report
 * @param deadLettersByReason   every dead letter read, by its {@code error.reason}
 * @param kinds                 the hostile records by kind
 * @param hostileBytes          key and value bytes of the hostile records sent
 */
public record SoakAccounting(long imagesSent, long imagesRefused, long imagesPredicted, long duplicatePredictions,
                             long imagesLost, Map<String, Long> imagesDeadLettered, long unexpectedPredictions,
                             long hostileSent, long hostileRefused, long hostileDeadLettered,
                             long duplicateDeadLetters, long hostileLost, long wrongReason,
                             long unexpectedDeadLetters, List<String> examples, Map<String, Long> deadLettersByReason,
                             List<KindCount> kinds, long hostileBytes) {

    /** One kind of hostile record: how many were sent and what became of them. */
    public record KindCount(String kind, String reason, long sent, long refused, long deadLettered, long wrongReason,
                            long lost) {
    }

    public SoakAccounting {
        imagesDeadLettered = Map.copyOf(imagesDeadLettered);
        examples = List.copyOf(examples);
        deadLettersByReason = Map.copyOf(deadLettersByReason);
        kinds = List.copyOf(kinds);
    }

    /** Nothing lost, nothing twice, nothing refused, nothing unexpected, every reason as expected. */
    public boolean exact() {
        return problems().isEmpty();
    }

    /** What broke exactly-once, in words; empty when nothing did. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        problem(problems, imagesLost, "images lost (no prediction)");
        problem(problems, duplicatePredictions, "duplicate predictions");
        problem(problems, imagesDeadLettered.values().stream().mapToLong(Long::longValue).sum(),
                "images dead-lettered");
        problem(problems, unexpectedPredictions, "unexpected predictions");
        problem(problems, hostileLost, "hostile records lost (no dead letter)");
        problem(problems, duplicateDeadLetters, "duplicate dead letters");
        problem(problems, wrongReason, "hostile records with an unexpected reason");
        problem(problems, unexpectedDeadLetters, "unexpected dead letters");
        problem(problems, imagesRefused + hostileRefused, "records the broker refused");
        return problems;
    }

    private static void problem(List<String> problems, long count, String what) {
        if (count != 0) {
            problems.add(count + " " + what);
        }
    }
}

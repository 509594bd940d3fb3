package io.digitstream.trainer.baseline;

import java.util.Map;

/** How one classical model did on the test split; {@code details} holds its settings for the report. */
public record BaselineResult(String name, double accuracy, double trainSeconds, double predictSeconds,
                             Map<String, String> details) {

    public BaselineResult {
        details = Map.copyOf(details);
    }
}

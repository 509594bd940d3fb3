package io.digitstream.producer;

import java.time.Duration;
import java.util.Map;

/**
 * What a publish run did. Every image is either sent (acknowledged by the broker) or failed, with the reason among
 * {@code errors}; nothing is left unaccounted for.
 *
 * @param sent         images the broker acknowledged
 * @param failed       images not sent: unreadable, or refused by the broker
 * @param labelsSent   withheld labels acknowledged
 * @param labelsFailed withheld labels not sent
 * @param elapsed      from the first send to the last acknowledgement
 * @param errors       error message -> how many images failed with it (the first few distinct messages)
 */
public record PublishSummary(long sent, long failed, long labelsSent, long labelsFailed, Duration elapsed,
                             Map<String, Long> errors) {

    public PublishSummary {
        errors = Map.copyOf(errors);
    }

    /** Images sent per second over the run. */
    public double imagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : sent / seconds;
    }
}

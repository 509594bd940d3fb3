package io.digitstream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one soak saw: the classifier's memory, threads and rate over time, its resident memory growth after the
 * warm-up, and the exactly-once accounting; rendered as Markdown that reads the same on a terminal.
 *
 * @param offeredPerSecond  records per second actually sent over the load (below the rate on a starved machine)
 * @param classifierExit    null while the classifier still ran at the end, else how it ended
 * @param seconds           wall time from the start of the load to the end of the accounting
 */
public record SoakReport(String machine, Instant startedAt, String model, String broker, List<String> childJvmOptions,
                         Duration duration, int rate, double hostileShare, long hostileBytesPerSecond,
                         Duration warmup, double offeredPerSecond, List<SoakSample> samples,
                         SoakAccounting accounting, String classifierExit, double seconds) {

    public static final double TARGET_RSS_GROWTH_PERCENT = 10;

    public SoakReport {
        childJvmOptions = List.copyOf(childJvmOptions);
        samples = List.copyOf(samples);
    }

    public boolean classifierDied() {
        return classifierExit != null;
    }

    /** Exactly-once held and the classifier lived to the end. */
    public boolean passed() {
        return accounting.exact() && !classifierDied();
    }

    /** Why the soak failed, in words; empty when it passed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(accounting.problems());
        if (classifierDied()) {
            problems.add(0, "the classifier died (" + classifierExit + ")");
        }
        return problems;
    }

    /** The first sample under load at or after the warm-up. */
    public Optional<SoakSample> afterWarmup() {
        return samples.stream().filter(s -> s.underLoad() && s.seconds() >= warmup.toMillis() / 1e3 - 0.5)
                .findFirst();
    }

    /** The last sample under load: the end of the load. */
    public Optional<SoakSample> endOfLoad() {
        return samples.stream().filter(SoakSample::underLoad).reduce((a, b) -> b);
    }

    /** Resident memory growth from {@link #afterWarmup()} to {@link #endOfLoad()}, in percent; NaN without both. */
    public double rssGrowthPercent() {
        Optional<SoakSample> from = afterWarmup();
        Optional<SoakSample> to = endOfLoad();
        if (from.isEmpty() || to.isEmpty() || from.get().rssKb() == 0) {
            return Double.NaN;
        }
        return 100.0 * (to.get().rssKb() - from.get().rssKb()) / from.get().rssKb();
    }

    public double peakRssMegabytes() {
        return samples.stream().mapToDouble(SoakSample::rssMegabytes).max().orElse(0);
    }

    /** Predictions per second over the whole load, from the first sample to the end of the load. */
    public double imagesPerSecond() {
        return endOfLoad().map(s -> s.seconds() <= 0 ? 0 : s.predicted() / s.seconds()).orElse(0.0);
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        SoakAccounting a = accounting;
        md.append(String.format(Locale.ROOT, "Machine: %s. Run started %s, took %.0f s. Broker: %s.%n", machine,
                startedAt.truncatedTo(ChronoUnit.SECONDS), seconds, broker));
        md.append(String.format(Locale.ROOT, "Classifier: `ClassifierApplication`, as `serve` runs it, in a child JVM (%s), model %s, default settings "
                + "(exactly-once).%n", String.join(" ", childJvmOptions), model));
        md.append(String.format(Locale.ROOT, "Load: %s at %,d records/s (sent %,.0f/s), %.1f%% hostile, large hostile "
                        + "records within %,d KiB/s (%,.1f MB hostile in all).%n%n", humane(duration), rate,
                offeredPerSecond,
                100 * hostileShare, hostileBytesPerSecond / 1024, a.hostileBytes() / 1e6));

        md.append("| time | RSS | heap used | heap committed | old gen after GC | non-heap | threads | images/s "
                + "| classifier CPU | sent | predicted | dead letters |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (SoakSample s : samples) {
            md.append(String.format(Locale.ROOT, "| %.0f s%s | %.0f MB | %s | %s | %s | %s | %s | %s | %s | %,d | %,d "
                            + "| %,d |%n", s.seconds(), s.underLoad() ? "" : " (drained)", s.rssMegabytes(),
                    SoakSample.megabytes(s.heapBytes()), SoakSample.megabytes(s.heapCommittedBytes()),
                    SoakSample.megabytes(s.liveDataBytes()), SoakSample.megabytes(s.nonHeapBytes()),
                    SoakSample.number(s.threads()), SoakSample.number(s.imagesPerSecond()),
                    SoakSample.cores(s.classifierCores()), s.sent(), s.predicted(), s.deadLetters()));
        }
        md.append('\n');
        double growth = rssGrowthPercent();
        if (Double.isNaN(growth)) {
            md.append("RSS growth after warm-up: not measured (no sample after the warm-up).\n");
        } else {
            md.append(String.format(Locale.ROOT, "RSS after the warm-up (%.0f s) %.0f MB, at the end of the load "
                            + "(%.0f s) %.0f MB: **growth %+.1f%%** (target: under %.0f%%); peak %.0f MB. "
                            + "Images/s over the load: %,.0f.%n",
                    afterWarmup().orElseThrow().seconds(), afterWarmup().orElseThrow().rssMegabytes(),
                    endOfLoad().orElseThrow().seconds(), endOfLoad().orElseThrow().rssMegabytes(), growth,
                    TARGET_RSS_GROWTH_PERCENT, peakRssMegabytes(), imagesPerSecond()));
            SoakSample from = afterWarmup().orElseThrow();
            SoakSample to = endOfLoad().orElseThrow();
            md.append(String.format(Locale.ROOT, "Over the same span: heap committed %s -> %s, old gen after GC %s -> "
                            + "%s, non-heap %s -> %s, threads %s -> %s.%n%n",
                    SoakSample.megabytes(from.heapCommittedBytes()), SoakSample.megabytes(to.heapCommittedBytes()),
                    SoakSample.megabytes(from.liveDataBytes()), SoakSample.megabytes(to.liveDataBytes()),
                    SoakSample.megabytes(from.nonHeapBytes()), SoakSample.megabytes(to.nonHeapBytes()),
                    SoakSample.number(from.threads()), SoakSample.number(to.threads())));
        }

        md.append("| exactly-once accounting (read_committed) | sent | refused by the broker | exactly once "
                + "| duplicates | lost |\n| --- | --- | --- | --- | --- | --- |\n");
        md.append(String.format(Locale.ROOT, "| images -> predictions | %,d | %,d | %,d | %,d | %,d |%n",
                a.imagesSent(), a.imagesRefused(), a.imagesPredicted(), a.duplicatePredictions(), a.imagesLost()));
        md.append(String.format(Locale.ROOT, "| hostile records -> dead letters with the expected reason | %,d | %,d "
                        + "| %,d | %,d | %,d |%n", a.hostileSent(), a.hostileRefused(),
                a.hostileDeadLettered() - a.wrongReason(), a.duplicateDeadLetters(), a.hostileLost()));
        md.append('\n');
        md.append("Dead letters by reason: ").append(reasons(a.deadLettersByReason())).append(".\n");
        md.append(String.format(Locale.ROOT, "Images dead-lettered: %s; unexpected predictions: %,d; unexpected "
                        + "dead letters: %,d; hostile records with another reason: %,d.%n%n",
                a.imagesDeadLettered().isEmpty() ? "0" : reasons(a.imagesDeadLettered()), a.unexpectedPredictions(),
                a.unexpectedDeadLetters(), a.wrongReason()));
        md.append("| hostile kind | expected reason | sent | dead-lettered with it | other reason | lost |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        for (SoakAccounting.KindCount k : a.kinds()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d |%n", k.kind(), k.reason(),
                    k.sent(), k.deadLettered() - k.wrongReason(), k.wrongReason(), k.lost()));
        }
        md.append('\n');
        if (!a.examples().isEmpty()) {
            md.append("First unexpected records: ").append(String.join("; ", a.examples())).append(".\n\n");
        }
        md.append(classifierDied() ? "The classifier died: " + classifierExit + ".\n"
                : "The classifier ran to the end.\n");
        md.append(passed() ? "**PASSED**: every image predicted exactly once, every hostile record dead-lettered "
                + "exactly once with its reason.\n" : "**FAILED**: " + String.join("; ", problems()) + ".\n");
        return md.toString();
    }

    /** 10 min, 90 s. */
    static String humane(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toSeconds() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static String reasons(Map<String, Long> byReason) {
        return byReason.isEmpty() ? "none" : byReason.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    public void writeMarkdown(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toMarkdown());
    }
}

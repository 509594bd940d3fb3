package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./digits soak} for ten seconds against its embedded broker: the report accounts for every record, each image
 * once in the predictions and each kind of hostile record once in the dead letters with its reason. Never asserts on
 * memory or speed: a ten-second run says nothing about either.
 */
class SoakCommandIT {

    /** Every kind of hostile record the soak sends, with the reason its dead letter must give. */
    private static final List<String> HOSTILE_KINDS = List.of("empty | empty", "text | not-an-image",
            "truncated-png | undecodable", "blank-png | blank", "bad-json | bad-json", "bad-label-header | bad-label",
            "non-utf8-key | bad-id", "label-not-a-digit | bad-label", "control-char-key | bad-id",
            "long-json-id | bad-id", "label-huge-key | bad-id", "huge-key | bad-id", "too-large | too-large");

    @TempDir
    Path work;

    @Test
    @Timeout(300)
    void tenSecondsOfImagesAndHostileRecordsAreEachAccountedForExactlyOnce() throws Exception {
        Path report = work.resolve("soak.md");

        CommandRun run = CommandRun.execute("soak", "--duration", "PT10S", "--rate", "100", "--sample-interval", "2s",
                "--hostile-share", "0.05", "--hostile-budget", "2m",
                "--data-dir", MnistSampleCache.createIn(work).toString(),
                "--model", ShippedModel.FILE.toString(), "--report", report.toString());

        assertThat(run.exitCode()).as(run.out() + "\n" + run.err()).isZero();
        String md = Files.readString(report);
        // 1,000 records, one in twenty hostile
        assertThat(md).contains("| images -> predictions | 950 | 0 | 950 | 0 | 0 |")
                .contains("| hostile records -> dead letters with the expected reason | 50 | 0 | 50 | 0 | 0 |")
                .contains("Images dead-lettered: 0; unexpected predictions: 0; unexpected dead letters: 0")
                .contains("The classifier ran to the end.").contains("**PASSED**")
                .contains("RSS after the warm-up").contains("heap used").contains("threads");
        for (String kind : HOSTILE_KINDS) {
            Matcher row = Pattern.compile("\\| " + Pattern.quote(kind) + " \\| (\\d+) \\| (\\d+) \\| 0 \\| 0 \\|")
                    .matcher(md);
            assertThat(row.find()).as(kind + " in\n" + md).isTrue();
            assertThat(Integer.parseInt(row.group(1))).as(kind).isPositive();
            assertThat(row.group(2)).as(kind).isEqualTo(row.group(1));
        }
        assertThat(run.out()).contains("RSS").contains("images/s").contains("report written to " + report);
    }
}

package io.digitstream.trainer.robustness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.trainer.robustness.RobustnessReport.ConditionResult;
import io.digitstream.trainer.robustness.RobustnessReport.FontResult;
import io.digitstream.trainer.robustness.RobustnessReport.NotDigitResult;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes a {@link RobustnessReport}: {@code robustness.json} for machines, {@code robustness.md} (tables ready for
 * the model card) and {@code robustness-examples.png} (what the model saw, per condition and font).
 */
public final class RobustnessReportWriter {

    public static final String JSON = "robustness.json";
    public static final String MARKDOWN = "robustness.md";
    public static final String EXAMPLES_PNG = "robustness-examples.png";

    /** Issue 11's targets, which this benchmark measures. */
    static final double TARGET_SUITE_MEAN = 0.98;
    static final double TARGET_WORST = 0.93;
    static final double TARGET_AUROC = 0.99;
    static final double TARGET_FASHION_REJECTED = 0.95;
    static final double TARGET_MNIST_REJECTED = 0.01;

    private static final int TILE = 2;
    private static final int LABEL_WIDTH = 230;

    private RobustnessReportWriter() {
    }

    /** Writes the three files into {@code directory} (created when missing) and returns their paths. */
    public static List<Path> write(RobustnessBenchmark.Outcome outcome, Path directory) throws IOException {
        Files.createDirectories(directory);
        RobustnessReport report = outcome.report();
        Path json = directory.resolve(JSON);
        Files.writeString(json, json(report), StandardCharsets.UTF_8);
        Path markdown = directory.resolve(MARKDOWN);
        Files.writeString(markdown, markdown(report), StandardCharsets.UTF_8);
        Path png = directory.resolve(EXAMPLES_PNG);
        System.setProperty("java.awt.headless", "true");
        ImageIO.write(examples(outcome.examples()), "png", png.toFile());
        return List.of(json, markdown, png);
    }

    /** The report with a summary object first. */
    static String json(RobustnessReport report) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode summary = root.putObject("summary");
        summary.put("suiteMeanAccuracy", report.suiteMeanAccuracy());
        summary.put("mnistCMeanAccuracy", report.meanAccuracy(Condition.Kind.MNIST_C.id()));
        summary.put("scanMeanAccuracy", report.meanAccuracy(Condition.Kind.SCAN.id()));
        report.worst().ifPresent(w -> summary.putObject("worst").put("id", w.id()).put("accuracy", w.accuracy()));
        if (!report.fonts().isEmpty()) {
            summary.put("fontAccuracy", report.fontAccuracy());
        }
        root.setAll((ObjectNode) mapper.valueToTree(report));
        return mapper.writeValueAsString(root) + "\n";
    }

    /** The Markdown page: summary against the targets, then one table per part. */
    public static String markdown(RobustnessReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# Robustness benchmark\n\n");
        md.append(String.format(Locale.ROOT, "Model `%s`, version %s, sha256 `%s`. Not-a-digit score `%s`, threshold %s. "
                        + "Seed %d; %.0f s.%n%n", report.modelFile(), report.modelVersion(), report.modelSha256(),
                report.scoreMethod(), thresholdText(report), report.seed(), report.seconds()));
        for (String note : report.notes()) {
            md.append("- ").append(note).append('\n');
        }
        if (!report.notes().isEmpty()) {
            md.append('\n');
        }

        md.append("## Summary\n\n| measure | measured | target |\n| --- | --- | --- |\n");
        int mnistC = (int) report.suite().stream().filter(c -> c.kind().equals(Condition.Kind.MNIST_C.id())).count();
        int scan = report.suite().size() - mnistC;
        row(md, String.format(Locale.ROOT, "mean accuracy over the corruption suite (%d MNIST-C, %d scan-like)",
                mnistC, scan), pct(report.suiteMeanAccuracy()), atLeast(report.suiteMeanAccuracy(), TARGET_SUITE_MEAN));
        row(md, "mean accuracy, MNIST-C corruptions", pct(report.meanAccuracy(Condition.Kind.MNIST_C.id())), "");
        row(md, "mean accuracy, scan-like transforms", pct(report.meanAccuracy(Condition.Kind.SCAN.id())), "");
        report.worst().ifPresent(w -> row(md, "worst single corruption", w.id() + " " + pct(w.accuracy()),
                atLeast(w.accuracy(), TARGET_WORST)));
        if (!report.fonts().isEmpty()) {
            row(md, "foreign handwriting (" + report.fonts().size() + " fonts)", pct(report.fontAccuracy()), "");
        }
        NotDigitResult nd = report.notDigit();
        if (nd != null) {
            row(md, "not-a-digit AUROC (MNIST test vs Fashion-MNIST test)", String.format(Locale.ROOT, "%.4f", nd.auroc()),
                    atLeast(nd.auroc(), TARGET_AUROC, String.format(Locale.ROOT, "%.2f", TARGET_AUROC)));
            row(md, "Fashion-MNIST test rejected at the threshold", pct(nd.fashionRejected()),
                    nd.fashionRejected() == null ? ">= 95% (no threshold)" : atLeast(nd.fashionRejected(), TARGET_FASHION_REJECTED));
            row(md, "MNIST test digits rejected at the threshold", pct(nd.mnistRejected()),
                    nd.mnistRejected() == null ? "<= 1% (no threshold)"
                            : "<= 1%" + (nd.mnistRejected() <= TARGET_MNIST_REJECTED ? " (met)" : " (not met)"));
        }

        md.append("\n## Per corruption\n\nAccuracy counts every image (rejected or not); rejected is the share whose "
                + "not-a-digit score is above the threshold. MNIST-C corruptions act on the 28x28 image and go to the "
                + "model directly, as MNIST-C evaluates; scan-like transforms are encoded files that go through "
                + "`DigitPreprocessor`, as `./digits classify` and the stream do.\n\n");
        md.append("| corruption | kind | images | accuracy | rejected | what it does |\n| --- | --- | --- | --- | --- | --- |\n");
        for (ConditionResult c : report.conditions()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %s | %s%s |%n", c.id(), c.kind(), c.images(),
                    pct(c.accuracy()), pct(c.rejected()), c.description(), c.unreadable() > 0
                            ? String.format(Locale.ROOT, " (%.2f%% refused by the preprocessor, counted wrong)",
                            100 * c.unreadable()) : ""));
        }

        if (!report.fonts().isEmpty()) {
            md.append(String.format(Locale.ROOT, "%n## Foreign handwriting%n%nDigits 0-9 drawn %d times each in every "
                    + "benchmark font (random height 40-80 px, slant up to 0.3, rotation up to 8 degrees, position), "
                    + "dark ink on paper, 112x112 PNG through `DigitPreprocessor`. These fonts are never training "
                    + "data.%n%n", RobustnessBenchmark.FONT_VARIANTS));
            md.append("| font | images | accuracy | rejected |\n| --- | --- | --- | --- |\n");
            for (FontResult f : report.fonts()) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", f.font()
                        + (f.missingDigits().isEmpty() ? "" : " (no glyph for " + f.missingDigits() + ")"),
                        f.images(), pct(f.accuracy()), pct(f.rejected())));
            }
            int images = report.fonts().stream().mapToInt(FontResult::images).sum();
            md.append(String.format(Locale.ROOT, "| **all fonts** | %,d | **%s** | %s |%n", images,
                    pct(report.fontAccuracy()), pct(report.fontRejected())));
        }

        if (nd != null) {
            md.append(String.format(Locale.ROOT, "%n## Not a digit%n%nMNIST test digits against Fashion-MNIST test "
                    + "images (clothing: never a digit; a benchmark only, never training data nor used to pick a "
                    + "threshold).%n%n| measure | value |%n| --- | --- |%n"));
            row(md, "images", String.format(Locale.ROOT, "%,d MNIST, %,d Fashion-MNIST", nd.mnistImages(), nd.fashionImages()));
            row(md, "AUROC of the `" + report.scoreMethod() + "` score", String.format(Locale.ROOT, "%.4f", nd.auroc()));
            row(md, "threshold", thresholdText(report));
            row(md, "Fashion-MNIST rejected", pct(nd.fashionRejected()));
            row(md, "MNIST digits rejected", pct(nd.mnistRejected()));
        }
        return md.toString();
    }

    /** The console table: one line per condition and font, then the summary. */
    public static String text(RobustnessReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-16s %-9s %7s %9s %9s%n", "condition", "kind", "images", "accuracy",
                "rejected"));
        for (ConditionResult c : report.conditions()) {
            out.append(String.format(Locale.ROOT, "%-16s %-9s %7d %9s %9s%n", c.id(), c.kind(), c.images(),
                    pct(c.accuracy()), pct(c.rejected())));
        }
        for (FontResult f : report.fonts()) {
            out.append(String.format(Locale.ROOT, "%-26s %7d %9s %9s%n", trim("font " + f.font(), 26), f.images(),
                    pct(f.accuracy()), pct(f.rejected())));
        }
        out.append(String.format(Locale.ROOT, "%nsuite mean accuracy %s (MNIST-C %s, scan-like %s)%n",
                pct(report.suiteMeanAccuracy()), pct(report.meanAccuracy(Condition.Kind.MNIST_C.id())),
                pct(report.meanAccuracy(Condition.Kind.SCAN.id()))));
        report.worst().ifPresent(w -> out.append("worst corruption    " + w.id() + " " + pct(w.accuracy()) + "\n"));
        if (!report.fonts().isEmpty()) {
            out.append("foreign handwriting " + pct(report.fontAccuracy()) + " over " + report.fonts().size() + " fonts\n");
        }
        NotDigitResult nd = report.notDigit();
        if (nd != null) {
            out.append(String.format(Locale.ROOT, "not a digit         AUROC %.4f (%s), Fashion rejected %s, MNIST "
                    + "rejected %s at threshold %s%n", nd.auroc(), report.scoreMethod(), pct(nd.fashionRejected()),
                    pct(nd.mnistRejected()), thresholdText(report)));
        }
        for (String note : report.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }

    /** One row per condition and font: its name, then its first model inputs as the model sees them. */
    static BufferedImage examples(Map<String, float[][]> examples) {
        int side = 28 * TILE;
        int columns = examples.values().stream().mapToInt(r -> r.length).max().orElse(1);
        int rows = Math.max(1, examples.size());
        BufferedImage image = new BufferedImage(LABEL_WIDTH + columns * (side + 4) + 8, rows * (side + 4) + 8,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int r = 0;
            for (Map.Entry<String, float[][]> e : examples.entrySet()) {
                int y = 4 + r * (side + 4);
                g.setColor(new Color(0x222222));
                g.drawString(trim(e.getKey(), 32), 8, y + side / 2 + 5);
                float[][] inputs = e.getValue();
                for (int k = 0; k < inputs.length; k++) {
                    int x = LABEL_WIDTH + k * (side + 4);
                    for (int p = 0; p < 784; p++) {
                        int v = Math.round(255 * Math.max(0f, Math.min(1f, inputs[k][p])));
                        g.setColor(new Color(v, v, v));
                        g.fillRect(x + (p % 28) * TILE, y + (p / 28) * TILE, TILE, TILE);
                    }
                }
                r++;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String atLeast(double measured, double target) {
        return atLeast(measured, target, pct(target));
    }

    private static String atLeast(double measured, double target, String targetText) {
        return ">= " + targetText + (measured >= target ? " (met)" : " (not met)");
    }

    static String pct(Double share) {
        return share == null || share.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static String pct(double share) {
        return pct(Double.valueOf(share));
    }

    private static String thresholdText(RobustnessReport report) {
        return report.threshold() == null ? "none (nothing rejected; the model has no " + ModelMetadata.KEY_OOD_THRESHOLD + ")"
                : String.format(Locale.ROOT, "%s (%s)", report.threshold(), report.thresholdSource());
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

package io.digitstream.trainer.report;

import io.digitstream.contract.ClassificationReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.trainer.baseline.BaselineResult;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.search.SearchResult;
import io.digitstream.trainer.search.Trial;
import io.digitstream.trainer.train.EpochMetrics;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The report's {@code index.html}: one self-contained page, styles inline, the PNGs beside it. */
final class ReportPage {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328;
                   max-width: 1120px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
            h1 { margin-bottom: 4px; } h2 { margin-top: 36px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
            .muted { color: #656d76; }
            table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
            th, td { border: 1px solid #d0d7de; padding: 5px 10px; text-align: left; }
            th { background: #f6f8fa; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.best td { background: #fff8c5; font-weight: 600; }
            tr.ours td { background: #dafbe1; font-weight: 600; }
            .headline { font-size: 20px; }
            pre { background: #f6f8fa; padding: 12px; border-radius: 6px; display: inline-block; font-size: 14px; }
            figure { margin: 16px 0; } figcaption { color: #656d76; font-size: 14px; }
            img { max-width: 100%; border: 1px solid #d0d7de; border-radius: 4px; }
            """;

    private ReportPage() {
    }

    static String html(ReportData data, ConfusionMatrix matrix, ClassificationReport report,
                       Map<String, String> images, String generatedAt) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(data.title())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(data.title())).append("</h1>\n<p class=\"muted\">Generated ")
                .append(esc(generatedAt)).append("</p>\n");
        h.append("<p class=\"headline\">Test accuracy <strong>").append(pct(matrix.accuracy())).append("</strong> on ")
                .append(matrix.total()).append(" test images (")
                .append(matrix.total() - matrix.correct()).append(" wrong)</p>\n");

        summary(h, data, matrix);
        comparison(h, data, matrix);
        if (!data.history().isEmpty()) {
            h.append("<h2>Training</h2>\n");
            figure(h, images, ReportWriter.ACCURACY_PNG);
            figure(h, images, ReportWriter.LOSS_PNG);
            history(h, data);
        }
        if (data.search() != null) {
            search(h, data.search(), images);
        }
        h.append("<h2>Evaluation on the test set</h2>\n<p>Classification report (same layout as scikit-learn's):</p>\n<pre>")
                .append(esc(report.toText())).append("</pre>\n");
        figure(h, images, ReportWriter.CONFUSION_MATRIX_PNG);
        figure(h, images, ReportWriter.MISCLASSIFIED_PNG);
        figure(h, images, ReportWriter.SAMPLE_PREDICTIONS_PNG);
        h.append("<p class=\"muted\">Machine-readable figures: <a href=\"").append(ReportWriter.METRICS_JSON)
                .append("\">").append(ReportWriter.METRICS_JSON).append("</a>, <a href=\"")
                .append(ReportWriter.CLASSIFICATION_REPORT_TXT).append("\">")
                .append(ReportWriter.CLASSIFICATION_REPORT_TXT).append("</a></p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, ReportData data, ConfusionMatrix matrix) {
        Hyperparameters hp = data.hyperparameters();
        h.append("<h2>Summary</h2>\n<table>\n");
        row(h, "Test accuracy", pct(matrix.accuracy()));
        row(h, "Validation accuracy", Double.isNaN(data.validationAccuracy()) ? "n/a" : pct(data.validationAccuracy()));
        row(h, "Test images", Long.toString(matrix.total()));
        row(h, "Model", describe(hp));
        if (!data.history().isEmpty()) {
            row(h, "Training", data.history().size() + " epochs in " + duration(data.trainingSeconds()));
        }
        for (Map.Entry<String, Double> timing : data.timingsSeconds().entrySet()) {
            row(h, "Time: " + timing.getKey(), duration(timing.getValue()));
        }
        if (data.model() != null) {
            row(h, "Model file", data.model().fileName() + " (" + bytes(data.model().sizeBytes()) + ")");
            row(h, "SHA-256", "<code>" + esc(data.model().sha256()) + "</code>");
        }
        for (Map.Entry<String, String> note : data.notes().entrySet()) {
            row(h, esc(note.getKey()), esc(note.getValue()));
        }
        h.append("</table>\n");
    }

    private static void comparison(StringBuilder h, ReportData data, ConfusionMatrix matrix) {
        h.append("<h2>Compared with the published study</h2>\n")
                .append("<p>The study tuned a Keras CNN with Keras Tuner and compared it with classical models; ")
                .append("the right-hand columns are measured here on the same MNIST test set.</p>\n")
                .append("<table>\n<tr><th>Model</th><th>Study</th><th>Measured here</th><th>Difference</th>")
                .append("<th>Measured with</th></tr>\n");
        Set<String> shown = new HashSet<>();
        for (StudyFigure figure : StudyFigure.KERAS_STUDY) {
            boolean cnn = StudyFigure.CNN.equals(figure.counterpart());
            Optional<BaselineResult> baseline = data.baselines().stream()
                    .filter(b -> b.name().equals(figure.counterpart())).findFirst();
            baseline.ifPresent(b -> shown.add(b.name()));
            Double measured = cnn ? Double.valueOf(matrix.accuracy()) : baseline.map(BaselineResult::accuracy).orElse(null);
            String how = cnn ? "this CNN (" + describe(data.hyperparameters()) + ")"
                    : baseline.map(ReportPage::describe).orElse("not run");
            h.append(cnn ? "<tr class=\"ours\">" : "<tr>")
                    .append("<td>").append(esc(figure.model())).append("</td>")
                    .append("<td class=\"num\">").append(pct(figure.accuracy())).append("</td>")
                    .append("<td class=\"num\">").append(measured == null ? "&ndash;" : pct(measured)).append("</td>")
                    .append("<td class=\"num\">").append(measured == null ? "&ndash;"
                            : String.format(Locale.ROOT, "%+.2f pp", 100 * (measured - figure.accuracy()))).append("</td>")
                    .append("<td>").append(how).append("</td></tr>\n");
        }
        for (BaselineResult b : data.baselines()) {
            if (!shown.contains(b.name())) {
                h.append("<tr><td>").append(esc(b.name())).append("</td><td class=\"num\">&ndash;</td>")
                        .append("<td class=\"num\">").append(pct(b.accuracy())).append("</td><td class=\"num\">&ndash;</td>")
                        .append("<td>").append(describe(b)).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static void history(StringBuilder h, ReportData data) {
        h.append("<table>\n<tr><th>Epoch</th><th>Training loss</th><th>Training accuracy</th>")
                .append("<th>Validation loss</th><th>Validation accuracy</th><th>Learning rate</th><th>Seconds</th></tr>\n");
        for (EpochMetrics m : data.history()) {
            h.append("<tr><td class=\"num\">").append(m.epoch()).append("</td>")
                    .append(num("%.4f", m.trainLoss())).append(num(pct(m.trainAccuracy())))
                    .append(num("%.4f", m.validationLoss())).append(num(pct(m.validationAccuracy())))
                    .append(num("%.2g", m.learningRate())).append(num("%.1f", m.seconds())).append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void search(StringBuilder h, SearchResult search, Map<String, String> images) {
        Trial best = search.best();
        h.append("<h2>Hyperparameter search</h2>\n<p>").append(esc(search.strategy())).append(": ")
                .append(search.trials().size()).append(" trials, ").append(search.totalEpochs()).append(" epochs, ")
                .append(duration(search.totalSeconds())).append(". Best: trial ").append(best.id()).append(", ")
                .append(describe(best.hyperparameters())).append(", validation accuracy ")
                .append(pct(best.validationAccuracy())).append(" after ").append(best.epochs()).append(" epochs.</p>\n");
        figure(h, images, ReportWriter.SEARCH_TRIALS_PNG);
        h.append("<table>\n<tr><th>Trial</th><th>Rung</th><th>Epochs</th><th>Filters</th><th>Dense units</th>")
                .append("<th>Learning rate</th><th>Batch norm</th><th>Dropout</th><th>Validation accuracy</th>")
                .append("<th>Seconds</th></tr>\n");
        for (Trial t : search.trials()) {
            Hyperparameters hp = t.hyperparameters();
            h.append(t.id() == best.id() ? "<tr class=\"best\">" : "<tr>")
                    .append(num(Integer.toString(t.id()))).append(num(Integer.toString(t.rung())))
                    .append(num(Integer.toString(t.epochs()))).append(num(Integer.toString(hp.filters())))
                    .append(num(Integer.toString(hp.denseUnits()))).append(num("%.0e", hp.learningRate()))
                    .append("<td>").append(hp.batchNorm() ? "yes" : "no").append("</td>")
                    .append(num("%.2f", hp.dropout())).append(num(pct(t.validationAccuracy())))
                    .append(num("%.1f", t.seconds())).append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void figure(StringBuilder h, Map<String, String> images, String file) {
        String caption = images.get(file);
        if (caption != null) {
            h.append("<figure><img src=\"").append(file).append("\" alt=\"").append(esc(caption))
                    .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
        }
    }

    private static String describe(Hyperparameters hp) {
        return String.format(Locale.ROOT, "%d filters, %d dense units, learning rate %s, %s, dropout %.2f",
                hp.filters(), hp.denseUnits(), lr(hp.learningRate()), hp.batchNorm() ? "batch norm" : "no batch norm",
                hp.dropout());
    }

    private static String describe(BaselineResult b) {
        StringBuilder out = new StringBuilder("Tribuo ").append(esc(b.name()));
        b.details().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(", ").append(esc(e.getKey())).append(' ').append(esc(e.getValue())));
        return out.append(String.format(Locale.ROOT, "; train %s, predict %s",
                duration(b.trainSeconds()), duration(b.predictSeconds()))).toString();
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(name).append("</th><td>").append(value).append("</td></tr>\n");
    }

    private static String num(String format, double value) {
        return num(String.format(Locale.ROOT, format, value));
    }

    private static String num(String text) {
        return "<td class=\"num\">" + text + "</td>";
    }

    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String lr(double lr) {
        return String.format(Locale.ROOT, "%.0e", lr).replace("e-0", "e-");
    }

    private static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    private static String bytes(long size) {
        return size < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", size / 1024.0)
                : String.format(Locale.ROOT, "%.2f MiB", size / (1024.0 * 1024));
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

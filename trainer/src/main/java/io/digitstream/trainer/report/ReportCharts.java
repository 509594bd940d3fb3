package io.digitstream.trainer.report;

import io.digitstream.trainer.search.SearchResult;
import io.digitstream.trainer.search.Trial;
import io.digitstream.trainer.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The line and scatter plots of the report, drawn with XChart. */
final class ReportCharts {

    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    private static final Color TRAINING = new Color(0x1f77b4);
    private static final Color VALIDATION = new Color(0xff7f0e);
    private static final Color[] RUNGS = {
            new Color(0x9ecae1), new Color(0x6baed6), new Color(0x3182bd), new Color(0x08519c), new Color(0x08306b)};

    private ReportCharts() {
    }

    static BufferedImage accuracy(List<EpochMetrics> history) {
        XYChart chart = epochChart("Accuracy per epoch", "Accuracy (%)");
        addEpochSeries(chart, "training", history, m -> 100 * m.trainAccuracy(), TRAINING);
        addEpochSeries(chart, "validation", history, m -> 100 * m.validationAccuracy(), VALIDATION);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return BitmapEncoder.getBufferedImage(chart);
    }

    static BufferedImage loss(List<EpochMetrics> history) {
        XYChart chart = epochChart("Loss per epoch", "Loss");
        chart.getStyler().setYAxisDecimalPattern("0.0##");
        addEpochSeries(chart, "training", history, EpochMetrics::trainLoss, TRAINING);
        addEpochSeries(chart, "validation", history, EpochMetrics::validationLoss, VALIDATION);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Validation accuracy of every trial in run order, one colour per rung, the winner marked. */
    static BufferedImage trials(SearchResult search) {
        XYChart chart = base("Hyperparameter search: validation accuracy per trial", "Trial", "Validation accuracy (%)");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);

        Map<Integer, List<Trial>> byRung = new TreeMap<>();
        for (Trial t : search.trials()) {
            byRung.computeIfAbsent(t.rung(), r -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<Integer, List<Trial>> rung : byRung.entrySet()) {
            List<Trial> trials = rung.getValue();
            int epochs = trials.get(0).epochs();
            String name = (byRung.size() > 1 ? "rung " + rung.getKey() + ": " : "")
                    + epochs + (epochs == 1 ? " epoch" : " epochs");
            XYSeries series = chart.addSeries(name,
                    trials.stream().mapToDouble(Trial::id).toArray(),
                    trials.stream().mapToDouble(t -> 100 * t.validationAccuracy()).toArray());
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(RUNGS[Math.min(rung.getKey(), RUNGS.length - 1)]);
        }
        Trial best = search.best();
        XYSeries winner = chart.addSeries("best", new double[]{best.id()}, new double[]{100 * best.validationAccuracy()});
        winner.setMarker(SeriesMarkers.DIAMOND);
        winner.setMarkerColor(VALIDATION);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart epochChart(String title, String yTitle) {
        XYChart chart = base(title, "Epoch", yTitle);
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setLegendBorderColor(new Color(0xdddddd));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setPlotGridLinesColor(new Color(0xe5e5e5));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        // both x axes count whole things (epochs, trials): label integer ticks only
        styler.setxAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? Integer.toString((int) Math.rint(x)) : "");
        return chart;
    }

    private static void addEpochSeries(XYChart chart, String name, List<EpochMetrics> history,
                                       ToDoubleFunction<EpochMetrics> metric, Color color) {
        double[] values = history.stream().mapToDouble(metric).toArray();
        if (Arrays.stream(values).allMatch(Double::isNaN)) {
            return; // e.g. a run without a validation split
        }
        XYSeries series = chart.addSeries(name, history.stream().mapToDouble(EpochMetrics::epoch).toArray(), values);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(new BasicStroke(2.5f));
    }
}

package io.digitstream.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.digitstream.contract.ClassificationReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.trainer.search.SearchResult;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes a run's report into a directory: {@code index.html} to open in a browser, the PNG plots it shows,
 * {@code classification_report.txt} and the machine-readable {@code metrics.json}.
 */
public final class ReportWriter {

    public static final String INDEX_HTML = "index.html";
    public static final String METRICS_JSON = "metrics.json";
    public static final String CLASSIFICATION_REPORT_TXT = "classification_report.txt";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String LOSS_PNG = "loss.png";
    public static final String SEARCH_TRIALS_PNG = "search_trials.png";
    public static final String CONFUSION_MATRIX_PNG = "confusion_matrix.png";
    public static final String MISCLASSIFIED_PNG = "misclassified.png";
    public static final String SAMPLE_PREDICTIONS_PNG = "sample_predictions.png";

    static final int MAX_MISCLASSIFIED = 50;
    static final int SAMPLES = 40;

    private ReportWriter() {
    }

    /**
     * Writes every file (the epoch plots only when there is a history, the search plot only when a search ran)
     * and returns their paths, {@code index.html} last.
     */
    public static List<Path> write(ReportData data, Path directory) throws IOException {
        // plots are drawn off-screen: no display needed on a server or in CI
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Map<String, String> images = new LinkedHashMap<>();

        if (!data.history().isEmpty()) {
            written.add(png(directory, ACCURACY_PNG, ReportCharts.accuracy(data.history())));
            written.add(png(directory, LOSS_PNG, ReportCharts.loss(data.history())));
            images.put(ACCURACY_PNG, "Training and validation accuracy per epoch");
            images.put(LOSS_PNG, "Training and validation loss per epoch");
        }
        if (data.search() != null) {
            written.add(png(directory, SEARCH_TRIALS_PNG, ReportCharts.trials(data.search())));
            images.put(SEARCH_TRIALS_PNG, "Validation accuracy of every search trial");
        }
        ConfusionMatrix matrix = data.confusionMatrix();
        written.add(png(directory, CONFUSION_MATRIX_PNG, DigitImages.confusionMatrix(matrix)));
        images.put(CONFUSION_MATRIX_PNG, "Confusion matrix of the test set");

        int[] predicted = data.predictions();
        float[] confidence = new float[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            confidence[i] = data.testProbabilities()[i][predicted[i]];
        }
        int[] mistakes = IntStream.range(0, predicted.length)
                .filter(i -> predicted[i] != data.test().label(i))
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> confidence[i]).reversed())
                .limit(MAX_MISCLASSIFIED)
                .mapToInt(Integer::intValue)
                .toArray();
        long wrong = matrix.total() - matrix.correct();
        written.add(png(directory, MISCLASSIFIED_PNG, DigitImages.grid(
                "Misclassified test digits: " + mistakes.length + " of " + wrong + ", most confident first",
                data.test(), mistakes, predicted, confidence, "No test digit was misclassified.")));
        images.put(MISCLASSIFIED_PNG, "Misclassified test digits");
        int[] samples = IntStream.range(0, Math.min(SAMPLES, predicted.length)).toArray();
        written.add(png(directory, SAMPLE_PREDICTIONS_PNG, DigitImages.grid(
                "Predictions for the first " + samples.length + " test digits",
                data.test(), samples, predicted, confidence, "The test set is empty.")));
        images.put(SAMPLE_PREDICTIONS_PNG, "Sample predictions with confidence");

        ClassificationReport report = ClassificationReport.from(matrix);
        Path text = directory.resolve(CLASSIFICATION_REPORT_TXT);
        Files.writeString(text, report.toText(), StandardCharsets.UTF_8);
        written.add(text);

        String generatedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        Path json = directory.resolve(METRICS_JSON);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(json.toFile(), metrics(data, matrix, report, generatedAt));
        written.add(json);

        Path index = directory.resolve(INDEX_HTML);
        Files.writeString(index, ReportPage.html(data, matrix, report, images, generatedAt), StandardCharsets.UTF_8);
        written.add(index);
        return written;
    }

    private static Path png(Path directory, String name, BufferedImage image) throws IOException {
        Path file = directory.resolve(name);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
        return file;
    }

    private static Map<String, Object> metrics(ReportData data, ConfusionMatrix matrix, ClassificationReport report,
                                               String generatedAt) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", data.title());
        root.put("generatedAt", generatedAt);
        root.put("testAccuracy", matrix.accuracy());
        root.put("validationAccuracy", Double.isNaN(data.validationAccuracy()) ? null : data.validationAccuracy());
        root.put("testImages", matrix.total());
        root.put("hyperparameters", data.hyperparameters());
        root.put("model", data.model());
        root.put("trainingSeconds", data.trainingSeconds());
        root.put("timingsSeconds", data.timingsSeconds());
        root.put("perDigit", report.perClass());
        root.put("macroAverage", report.macroAverage());
        root.put("weightedAverage", report.weightedAverage());
        root.put("confusionMatrix", matrix.toArray());
        root.put("history", data.history());
        root.put("search", search(data.search()));
        root.put("baselines", data.baselines());
        root.put("study", StudyFigure.KERAS_STUDY);
        root.put("notes", data.notes());
        return root;
    }

    private static Map<String, Object> search(SearchResult search) {
        if (search == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("strategy", search.strategy());
        out.put("bestTrial", search.best().id());
        out.put("totalSeconds", search.totalSeconds());
        out.put("totalEpochs", search.totalEpochs());
        out.put("trials", search.trials());
        return out;
    }
}

package io.digitstream.trainer.robustness;

import static io.digitstream.contract.DigitShape.PIXELS;

import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageRejectedException;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistIdxReader;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.Prediction;
import io.digitstream.trainer.robustness.RobustnessReport.ConditionResult;
import io.digitstream.trainer.robustness.RobustnessReport.FontResult;
import io.digitstream.trainer.robustness.RobustnessReport.NotDigitResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Measures how a model holds up away from clean MNIST: the MNIST-C corruptions and scan-like transforms of the MNIST
 * test set (accuracy, and share rejected as not a digit), digits in foreign handwriting fonts, and the not-a-digit
 * benchmark (MNIST test against Fashion-MNIST test). Every random choice derives from the seed, the condition and
 * the image index, so a run is reproducible and the first N images get the same corruptions whatever the limit.
 */
public final class RobustnessBenchmark {

    /** The benchmark's fixed seed: every model is measured on the same corrupted images. */
    public static final long SEED = 20_191_106;
    /** Scan-like transforms encode and decode every image, so they run on the first images only by default. */
    public static final int DEFAULT_SCAN_LIMIT = 2_000;
    /** Renderings of each digit in each font. */
    public static final int FONT_VARIANTS = 10;
    /** Where Debian's dataset-fashion-mnist package installs the data. */
    public static final Path DEFAULT_FASHION_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    static final String FASHION_TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    /** Model inputs kept per condition for the examples figure. */
    static final int EXAMPLES = 10;
    private static final int BATCH = 256;

    /**
     * What to run.
     *
     * @param limit            MNIST and Fashion-MNIST test images to use, 0 for all
     * @param scanLimit        test images for the scan-like transforms (at most {@code limit}), 0 for all
     * @param threshold        a threshold to reject at instead of the model's own, or null
     * @param fashionDirectory where Fashion-MNIST's {@value #FASHION_TEST_IMAGES} is; skipped when absent
     * @param fontFiles        the foreign-handwriting fonts; missing files are skipped
     * @param conditions       the corruptions, references and controls
     */
    public record Settings(int limit, int scanLimit, Double threshold, Path fashionDirectory, List<Path> fontFiles,
                           List<Condition> conditions, long seed) {

        public Settings {
            if (limit < 0 || scanLimit < 0) {
                throw new IllegalArgumentException("limits must be >= 0: " + limit + ", " + scanLimit);
            }
            Objects.requireNonNull(fashionDirectory, "fashionDirectory");
            fontFiles = List.copyOf(fontFiles);
            conditions = List.copyOf(conditions);
        }

        /** Everything: all test images, scan-like ones on the first 2,000, the model's threshold, Debian's paths. */
        public static Settings defaults() {
            return new Settings(0, DEFAULT_SCAN_LIMIT, null, DEFAULT_FASHION_DIRECTORY,
                    HandwritingDigits.BENCHMARK_FONT_FILES, Condition.all(), SEED);
        }

        public Settings withLimit(int newLimit) {
            return new Settings(newLimit, scanLimit, threshold, fashionDirectory, fontFiles, conditions, seed);
        }

        public Settings withScanLimit(int newScanLimit) {
            return new Settings(limit, newScanLimit, threshold, fashionDirectory, fontFiles, conditions, seed);
        }

        public Settings withThreshold(Double newThreshold) {
            return new Settings(limit, scanLimit, newThreshold, fashionDirectory, fontFiles, conditions, seed);
        }

        public Settings withFashionDirectory(Path directory) {
            return new Settings(limit, scanLimit, threshold, directory, fontFiles, conditions, seed);
        }

        public Settings withFontFiles(List<Path> files) {
            return new Settings(limit, scanLimit, threshold, fashionDirectory, files, conditions, seed);
        }

        public Settings withConditions(List<Condition> newConditions) {
            return new Settings(limit, scanLimit, threshold, fashionDirectory, fontFiles, newConditions, seed);
        }
    }

    /** The report and, per condition and font, the first model inputs (for the examples figure). */
    public record Outcome(RobustnessReport report, Map<String, float[][]> examples) {
    }

    private final Consumer<String> log;
    private final DigitPreprocessor preprocessor = new DigitPreprocessor();

    public RobustnessBenchmark(Consumer<String> log) {
        this.log = log;
    }

    /** Runs every part on {@code test} (the MNIST test set) with the model in {@code modelFile}. */
    public Outcome run(Path modelFile, MnistDataset test, Settings settings) throws IOException {
        long start = System.nanoTime();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        try (OnnxDigitModel model = OnnxDigitModel.load(modelFile, threads)) {
            ModelMetadata metadata = model.metadata();
            Double threshold = settings.threshold() != null ? settings.threshold()
                    : metadata.hasOodThreshold() ? Double.valueOf(metadata.oodThreshold()) : null;
            String thresholdSource = settings.threshold() != null ? "command line"
                    : threshold != null ? "model metadata " + ModelMetadata.KEY_OOD_THRESHOLD : "none";
            List<String> notes = new ArrayList<>();
            int images = settings.limit() == 0 ? test.size() : Math.min(settings.limit(), test.size());
            int scanImages = settings.scanLimit() == 0 ? images : Math.min(settings.scanLimit(), images);
            Map<String, float[][]> examples = new LinkedHashMap<>();

            List<ConditionResult> rows = new ArrayList<>();
            double[] cleanScores = null;
            for (Condition condition : settings.conditions()) {
                int n = condition.kind() == Condition.Kind.SCAN ? scanImages : images;
                Measured m = measure(condition, test, n, model, threshold, settings.seed());
                rows.add(m.result());
                examples.put(condition.id(), m.examples());
                if (condition.kind() == Condition.Kind.REFERENCE && cleanScores == null) {
                    cleanScores = m.scores();
                }
                log.accept(String.format(Locale.ROOT, "  %-14s %-9s %6d images  accuracy %6.2f%%  rejected %s  (%.1f s)",
                        condition.id(), condition.kind().id(), n, 100 * m.result().accuracy(),
                        percent(m.result().rejected()), m.result().seconds()));
            }
            if (scanImages < images) {
                notes.add(String.format(Locale.ROOT, "scan-like transforms ran on the first %,d test images "
                        + "(encoding and decoding every image costs more), the other conditions on %,d", scanImages, images));
            }

            List<FontResult> fonts = fonts(settings, model, threshold, examples, notes);
            NotDigitResult notDigit = notDigit(settings, cleanScores, model, threshold, notes);
            double seconds = (System.nanoTime() - start) / 1e9;
            RobustnessReport report = new RobustnessReport(modelFile.getFileName().toString(),
                    metadata.modelVersion(), model.sha256(), metadata.oodScore().id(), threshold, thresholdSource,
                    settings.seed(), rows, fonts, notDigit, notes, seconds);
            return new Outcome(report, examples);
        }
    }

    private record Measured(ConditionResult result, double[] scores, float[][] examples) {
    }

    private Measured measure(Condition condition, MnistDataset test, int n, OnnxDigitModel model, Double threshold,
                             long seed) {
        long start = System.nanoTime();
        float[] inputs = new float[n * PIXELS];
        boolean[] unreadable = new boolean[n];
        long conditionSeed = seed * 0x9E3779B97F4A7C15L + condition.id().hashCode();
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom random = new SplittableRandom(conditionSeed * 0xBF58476D1CE4E5B9L + i);
            try {
                float[] input = condition.input().of(GrayImage.of(test, i), random, preprocessor);
                System.arraycopy(input, 0, inputs, i * PIXELS, PIXELS);
            } catch (ImageRejectedException e) {
                unreadable[i] = true;
            }
        });
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = test.label(i);
        }
        Tally tally = tally(inputs, labels, unreadable, model, threshold);
        float[][] examples = new float[Math.min(EXAMPLES, n)][];
        for (int i = 0; i < examples.length; i++) {
            examples[i] = Arrays.copyOfRange(inputs, i * PIXELS, (i + 1) * PIXELS);
        }
        ConditionResult result = new ConditionResult(condition.id(), condition.kind().id(), condition.description(),
                n, tally.accuracy(), tally.rejected(), tally.unreadable(), tally.acceptedAccuracy(),
                (System.nanoTime() - start) / 1e9);
        return new Measured(result, tally.scores(), examples);
    }

    /** Counts over images whose model inputs lie in {@code inputs}; unreadable ones are wrong and not scored. */
    private static Tally tally(float[] inputs, int[] labels, boolean[] unreadable, OnnxDigitModel model,
                               Double threshold) {
        int n = labels.length;
        double[] scores = new double[n];
        int correct = 0;
        int rejected = 0;
        int accepted = 0;
        int acceptedCorrect = 0;
        int unread = 0;
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            float[] batch = Arrays.copyOfRange(inputs, from * PIXELS, (from + count) * PIXELS);
            List<Prediction> predictions = model.predictions(batch, count);
            for (int k = 0; k < count; k++) {
                int i = from + k;
                Prediction p = predictions.get(k);
                scores[i] = p.oodScore();
                if (unreadable[i]) {
                    unread++;
                    continue;
                }
                boolean right = p.digit() == labels[i];
                if (right) {
                    correct++;
                }
                if (threshold != null && p.rejectedAt(threshold)) {
                    rejected++;
                } else {
                    accepted++;
                    if (right) {
                        acceptedCorrect++;
                    }
                }
            }
        }
        return new Tally(n == 0 ? Double.NaN : (double) correct / n,
                threshold == null || n == 0 ? null : (double) rejected / n,
                n == 0 ? 0 : (double) unread / n,
                threshold == null || accepted == 0 ? null : (double) acceptedCorrect / accepted, scores);
    }

    private record Tally(double accuracy, Double rejected, double unreadable, Double acceptedAccuracy,
                         double[] scores) {
    }

    private List<FontResult> fonts(Settings settings, OnnxDigitModel model, Double threshold,
                                   Map<String, float[][]> examples, List<String> notes) {
        List<HandwritingDigits.HandwritingFont> fonts = HandwritingDigits.load(settings.fontFiles());
        List<FontResult> results = new ArrayList<>();
        if (fonts.isEmpty()) {
            notes.add("foreign handwriting skipped: none of the benchmark's " + settings.fontFiles().size()
                    + " font files was found (Debian packages fonts-bwht, fonts-dkg-handwriting, fonts-humor-sans, "
                    + "fonts-kristi, fonts-rufscript, fonts-femkeklaver, fonts-breip)");
            return results;
        }
        if (fonts.size() < settings.fontFiles().size()) {
            notes.add("foreign handwriting: " + fonts.size() + " of the benchmark's " + settings.fontFiles().size()
                    + " font files were found");
        }
        for (HandwritingDigits.HandwritingFont font : fonts) {
            long start = System.nanoTime();
            List<Integer> missing = new ArrayList<>();
            List<Integer> digits = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                if (HandwritingDigits.hasGlyph(font, d)) {
                    digits.add(d);
                } else {
                    missing.add(d);
                }
            }
            int n = digits.size() * FONT_VARIANTS;
            int[] labels = new int[n];
            float[] inputs = new float[n * PIXELS];
            boolean[] unreadable = new boolean[n];
            long fontSeed = settings.seed() * 0x9E3779B97F4A7C15L + font.name().hashCode();
            IntStream.range(0, n).parallel().forEach(i -> {
                int digit = digits.get(i / FONT_VARIANTS);
                labels[i] = digit;
                SplittableRandom random = new SplittableRandom(fontSeed * 0xBF58476D1CE4E5B9L + i);
                try {
                    float[] input = preprocessor.preprocess(HandwritingDigits.render(font, digit, random));
                    System.arraycopy(input, 0, inputs, i * PIXELS, PIXELS);
                } catch (ImageRejectedException e) {
                    unreadable[i] = true;
                }
            });
            if (n == 0) {
                results.add(new FontResult(font.name(), font.file().toString(), 0, missing, Double.NaN, null));
                continue;
            }
            Tally tally = tally(inputs, labels, unreadable, model, threshold);
            float[][] firstOfEach = new float[digits.size()][];
            for (int k = 0; k < digits.size(); k++) {
                int i = k * FONT_VARIANTS;
                firstOfEach[k] = Arrays.copyOfRange(inputs, i * PIXELS, (i + 1) * PIXELS);
            }
            examples.put("font: " + font.name(), firstOfEach);
            results.add(new FontResult(font.name(), font.file().toString(), n, missing, tally.accuracy(),
                    tally.rejected()));
            log.accept(String.format(Locale.ROOT, "  font %-28s %4d images  accuracy %6.2f%%  rejected %s  (%.1f s)",
                    font.name(), n, 100 * tally.accuracy(), percent(tally.rejected()), (System.nanoTime() - start) / 1e9));
        }
        return results;
    }

    private NotDigitResult notDigit(Settings settings, double[] mnistScores, OnnxDigitModel model,
                                    Double threshold, List<String> notes) throws IOException {
        Path file = settings.fashionDirectory().resolve(FASHION_TEST_IMAGES);
        if (!Files.isRegularFile(file)) {
            notes.add("not-a-digit benchmark skipped: " + file + " not found (Debian package dataset-fashion-mnist)");
            return null;
        }
        if (mnistScores == null) {
            notes.add("not-a-digit benchmark skipped: no clean reference condition was run");
            return null;
        }
        MnistIdxReader.Images fashion = MnistIdxReader.readImages(file);
        int n = settings.limit() == 0 ? fashion.count() : Math.min(settings.limit(), fashion.count());
        int pixels = fashion.rows() * fashion.cols();
        if (pixels != PIXELS) {
            throw new IOException(file + " holds " + fashion.rows() + "x" + fashion.cols() + " images, not 28x28");
        }
        double[] fashionScores = new double[n];
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            float[] batch = new float[count * PIXELS];
            for (int p = 0; p < batch.length; p++) {
                batch[p] = (fashion.pixels()[from * PIXELS + p] & 0xFF) / 255f;
            }
            List<Prediction> predictions = model.predictions(batch, count);
            for (int k = 0; k < count; k++) {
                fashionScores[from + k] = predictions.get(k).oodScore();
            }
        }
        double auroc = Auroc.of(fashionScores, mnistScores);
        NotDigitResult result = new NotDigitResult(n, mnistScores.length, auroc,
                threshold == null ? null : shareAbove(fashionScores, threshold),
                threshold == null ? null : shareAbove(mnistScores, threshold));
        log.accept(String.format(Locale.ROOT, "  not a digit: AUROC %.4f (%d Fashion-MNIST vs %d MNIST test images), "
                + "Fashion rejected %s, MNIST rejected %s", auroc, n, mnistScores.length,
                percent(result.fashionRejected()), percent(result.mnistRejected())));
        return result;
    }

    /** The share rejected at {@code threshold}: scores strictly above it, as {@link Prediction#rejectedAt}. */
    private static double shareAbove(double[] scores, double threshold) {
        int above = 0;
        for (double s : scores) {
            if (s > threshold) {
                above++;
            }
        }
        return (double) above / scores.length;
    }

    static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }
}

package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistIdxReader;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OodScore;
import io.digitstream.core.model.TemplateDigitModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./digits classify} on real image files: scanned-looking digits, dark ink on white paper, enlarged. */
class ClassifyCommandTest {

    /**
     * Of the 20 clothes below, the shipped model 1.3.0-int8 answers 6 not-a-digit (float32 1.3.0 the same 6), two of
     * them within 0.03 of the threshold: cropped and fitted like a digit by the preprocessor, most clothes pass
     * (model-card.md, known limits). The floor leaves those two room to flip.
     */
    private static final int CLOTHES_MIN = 4;

    @TempDir
    Path dir;

    @Test
    void classifiesDarkOnLightScansOfAnySize() throws IOException {
        MnistDataset samples = MnistSamples.test500();
        List<String> args = new ArrayList<>(List.of("classify", "--model", ShippedModel.FILE.toString()));
        for (int i = 0; i < 20; i++) {
            Path file = dir.resolve("sample-" + i + ".png");
            ImageIO.write(asScan(samples, i, 140 + 10 * i), "png", file.toFile());
            args.add(file.toString());
        }
        CommandRun run = CommandRun.execute(args.toArray(String[]::new));

        assertThat(run.exitCode()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(20);
        int correct = 0;
        int rejected = 0;
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].split("\t");
            // file, digit, confidence; a rejected image adds not-a-digit and its score
            assertThat(fields.length).as(lines[i]).isIn(3, 5);
            assertThat(fields[0]).endsWith("sample-" + i + ".png");
            assertThat(Double.parseDouble(fields[2])).isBetween(0.0, 1.0);
            if (fields.length == 5) {
                assertThat(fields[3]).isEqualTo("not-a-digit");
                rejected++;
            } else if (Integer.parseInt(fields[1]) == samples.label(i)) {
                correct++;
            }
        }
        assertThat(rejected).as("digits answered not-a-digit").isLessThanOrEqualTo(1);
        assertThat(correct).isGreaterThanOrEqualTo(19);
    }

    /**
     * The template model of core's tests with logits, scoring energy with threshold 0: the 7 glyph scores -49.5, the
     * corner blot +44.99 and is still read as a 1 with confidence 0.989.
     */
    @Test
    void marksAnImageThatIsNoDigitWithTheDigitItWouldHaveBeen() throws IOException {
        Path model = templateModelRejectingAboveZero();
        Path seven = Files.write(dir.resolve("seven.raw"), TemplateDigitModels.glyph(7));
        Path blot = Files.write(dir.resolve("blot.raw"), TemplateDigitModels.cornerBlot());

        CommandRun run = CommandRun.execute("classify", "--model", model.toString(), seven.toString(),
                blot.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(seven + "\t7\t1.0000",
                blot + "\t1\t0.9890\tnot-a-digit\t44.9890");
    }

    @Test
    void theThresholdOptionOverridesTheModelsOrTurnsRejectionOff() throws IOException {
        Path model = templateModelRejectingAboveZero();
        Path blot = Files.write(dir.resolve("blot.raw"), TemplateDigitModels.cornerBlot());

        for (String threshold : new String[] {"50", "none"}) {
            CommandRun run = CommandRun.execute("classify", "--model", model.toString(), "--not-digit-threshold",
                    threshold, blot.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out().lines()).as(threshold).containsExactly(blot + "\t1\t0.9890");
        }
        // the shipped model reads the blot as a 1 with confidence 0.91 and a score of 3.79, under its own threshold
        // (4.53): only a stricter threshold rejects it
        CommandRun lenient = CommandRun.execute("classify", "--model", ShippedModel.FILE.toString(), blot.toString());
        assertThat(lenient.out()).isEqualTo(blot + "\t1\t0.9107\n");
        CommandRun strict = CommandRun.execute("classify", "--model", ShippedModel.FILE.toString(),
                "--not-digit-threshold", "-100", blot.toString());
        assertThat(strict.out()).startsWith(blot + "\t1\t0.9107\tnot-a-digit\t");
    }

    @Test
    void aThresholdThatIsNoNumberIsAUsageError() throws IOException {
        Path blot = Files.write(dir.resolve("blot.raw"), TemplateDigitModels.cornerBlot());

        CommandRun run = CommandRun.execute("classify", "--not-digit-threshold", "high", blot.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--not-digit-threshold must be a finite number or none, not 'high'");
    }

    private Path templateModelRejectingAboveZero() throws IOException {
        ModelMetadata metadata = TemplateDigitModels.metadata(TemplateDigitModels.checkDigits())
                .withOod(OodScore.ENERGY, 0.0);
        return Files.write(dir.resolve("template.onnx"), TemplateDigitModels.modelBytesWithLogits(metadata));
    }

    @Test
    void reportsFilesItCannotClassifyAndExitsWithOne() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "this is not a picture of a digit");
        CommandRun run = CommandRun.execute("classify", "--model", ShippedModel.FILE.toString(), text.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("notes.txt").contains("not-an-image");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        // every registered command, so a new one cannot ship without them
        List<List<String>> commands = new ArrayList<>();
        DigitsCommand.commandLine().getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                commands.add(List.of(name));
                sub.getSubcommands().keySet().forEach(nested -> commands.add(List.of(name, nested)));
            }
        });
        assertThat(commands).contains(List.of("demo"), List.of("produce"), List.of("tail"), List.of("serve"),
                List.of("benchmark", "stream"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CommandRun run = CommandRun.execute(args.toArray(String[]::new));
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).as(command.toString()).contains("Usage: digits " + String.join(" ", command))
                    .contains("Examples:");
        }
    }

    /**
     * The shipped model on what a form's digit box should not hold: the first 20 Fashion-MNIST test images (clothes)
     * as dark-on-white 112x112 scans. A rejected image's line keeps the digit and confidence the model would have
     * given and says not-a-digit with the score.
     */
    @Test
    void saysNotADigitForClothes() throws IOException, URISyntaxException {
        Path fashionFile = Path.of(ClassifyCommandTest.class.getResource(
                "/fashion/fashion-t10k-first200-images-idx3-ubyte.gz").toURI());
        byte[] clothes = MnistIdxReader.readImages(fashionFile).pixels();
        List<String> args = new ArrayList<>(List.of("classify", "--model", ShippedModel.FILE.toString()));
        for (int i = 0; i < 20; i++) {
            float[] pixels = new float[784];
            for (int p = 0; p < 784; p++) {
                pixels[p] = (clothes[i * 784 + p] & 0xFF) / 255f;
            }
            Path file = dir.resolve("clothes-" + i + ".png");
            ImageIO.write(asScan(pixels, 112), "png", file.toFile());
            args.add(file.toString());
        }
        CommandRun run = CommandRun.execute(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(20);
        List<String> rejected = lines.stream().filter(l -> l.contains("\tnot-a-digit\t")).toList();
        assertThat(rejected).as("clothes answered not-a-digit").hasSizeGreaterThanOrEqualTo(CLOTHES_MIN)
                .allMatch(l -> l.matches(".*clothes-[0-9]+\\.png\t[0-9]\t[01]\\.[0-9]{4}\tnot-a-digit\t-?[0-9.]+"),
                        "file, digit, confidence, not-a-digit, score");
    }

    /** MNIST digit {@code index} as a {@code size}x{@code size} greyscale scan: black ink on white paper. */
    private static BufferedImage asScan(MnistDataset data, int index, int size) {
        return asScan(data.normalizedImage(index), size);
    }

    /** A 28x28 MNIST-polarity image (0..1) as a {@code size}x{@code size} scan: dark ink on white paper. */
    private static BufferedImage asScan(float[] pixels, int size) {
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < pixels.length; p++) {
            int ink = Math.round(pixels[p] * 255);
            digit.getRaster().setSample(p % 28, p / 28, 0, 255 - ink);
        }
        BufferedImage scan = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scan.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(digit, 0, 0, size, size, null);
        g.dispose();
        return scan;
    }


}

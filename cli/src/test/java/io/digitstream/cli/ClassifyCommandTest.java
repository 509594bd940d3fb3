package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./digits classify} on real image files: scanned-looking digits, dark ink on white paper, enlarged. */
class ClassifyCommandTest {

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
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].split("\t");
            assertThat(fields[0]).endsWith("sample-" + i + ".png");
            assertThat(Double.parseDouble(fields[2])).isBetween(0.0, 1.0);
            if (Integer.parseInt(fields[1]) == samples.label(i)) {
                correct++;
            }
        }
        assertThat(correct).isGreaterThanOrEqualTo(19);
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

    /** MNIST digit {@code index} as a {@code size}x{@code size} greyscale scan: black ink on white paper. */
    private static BufferedImage asScan(MnistDataset data, int index, int size) {
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = data.normalizedImage(index);
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

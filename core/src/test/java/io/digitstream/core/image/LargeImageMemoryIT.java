package io.digitstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.image.EncodedImages.Layout;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widest pixels at the largest accepted size, in the classifier's heap: ten 16-bit RGBA 4096x4096 PNGs (~170 KB
 * each, 128 MiB each as a full raster) preprocessed in a row in a JVM with {@code -Xmx256m
 * -XX:+ExitOnOutOfMemoryError}, the deployment's flags. 128 MiB of live ballast stands in for the classifier's own
 * heap (Kafka Streams buffers, caches, a second stream thread): with it, one full-size raster and its grey copy no
 * longer fit, so a decode that is not bounded kills the child with exit code 3.
 */
class LargeImageMemoryIT {

    private static final int SIDE = 4096;
    private static final int BALLAST_MIB = 128;
    private static final Pattern LINE = Pattern.compile("digit-(\\d)\\.png: (.*), (\\d+) us, (-?\\d+) bytes allocated");

    @Test
    void tenSixteenBitRgba4096PngsInARowFitA256MegabyteHeap(@TempDir Path dir) throws Exception {
        List<String> files = new ArrayList<>();
        BufferedImage canvas = EncodedImages.blank(Layout.RGBA_16, SIDE, SIDE);
        for (int digit = 0; digit < 10; digit++) {
            Graphics2D g = canvas.createGraphics();
            // even digits on transparent paper, odd ones on opaque white
            g.setBackground(digit % 2 == 0 ? new Color(0, 0, 0, 0) : Color.WHITE);
            g.clearRect(0, 0, SIDE, SIDE);
            HandDrawnDigits.draw(g, digit, 1200 + 40 * digit, 700 + 30 * digit, 2400, 6);
            g.dispose();
            Path file = dir.resolve("digit-" + digit + ".png");
            Files.write(file, EncodedImages.encode(canvas, "png", null, false));
            files.add(file.toString());
        }
        canvas = null;

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                LargeImagesChild.class.getName(), Integer.toString(BALLAST_MIB)));
        command.addAll(files);
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(output);

        assertThat(finished).as("child JVM finished within 5 minutes; output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as("exit code (3: out of memory); output:%n%s", output).isZero();
        List<Long> micros = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                assertThat(m.group(2)).as(line).isEqualTo("pixels");
                micros.add(Long.parseLong(m.group(3)));
            }
        }
        assertThat(micros).as("one line per image; output:%n%s", output).hasSize(10);
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf("ten 16-bit RGBA %dx%d PNGs: median %d ms, min %d ms, max %d ms%n", SIDE, SIDE,
                (sorted.get(4) + sorted.get(5)) / 2000, sorted.get(0) / 1000, sorted.get(9) / 1000);
    }
}

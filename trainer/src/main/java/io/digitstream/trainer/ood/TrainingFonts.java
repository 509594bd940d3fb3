package io.digitstream.trainer.ood;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The fonts training may draw letters and symbols from: those of the Debian packages fonts-dancingscript,
 * fonts-comic-neue, fonts-kaushanscript, fonts-ecolier-court, fonts-yusei-magic, fonts-klee, fonts-leckerli-one and
 * fonts-dejavu-core. The other handwriting fonts installed next to them (bwht, dkg-handwriting, humor-sans, kristi,
 * rufscript, femkeklaver, breip) are the robustness benchmark's foreign-handwriting digits and must never shape a
 * model, so they are named nowhere here: only these folders are read.
 *
 * @param families the fonts of each package folder found, one per file; families without fonts are left out
 */
public record TrainingFonts(List<List<Font>> families) {

    /** The package folders under /usr/share/fonts, in a fixed order so the same machine draws the same glyphs. */
    public static final List<String> FOLDERS = List.of(
            "opentype/dancingscript", "opentype/comic-neue", "opentype/kaushanscript", "truetype/ecolier-court",
            "truetype/yusei-magic", "truetype/klee", "truetype/leckerli-one", "truetype/dejavu");

    public static final Path FONT_ROOT = Path.of("/usr/share/fonts");

    public static final TrainingFonts NONE = new TrainingFonts(List.of());

    public TrainingFonts {
        families = families.stream().filter(f -> !f.isEmpty()).map(List::copyOf).toList();
    }

    /** Every training font installed on this machine, maybe none (a CI machine without the packages). */
    public static TrainingFonts installed() {
        return installed(FONT_ROOT);
    }

    static TrainingFonts installed(Path root) {
        List<List<Font>> families = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path dir = root.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Font> fonts = new ArrayList<>();
            families.add(fonts);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                    // DejaVu Math is symbols for formulas, not handwriting or text
                    if ((name.endsWith(".ttf") || name.endsWith(".otf")) && !name.contains("math")) {
                        fonts.add(Font.createFont(Font.TRUETYPE_FONT, file.toFile()));
                    }
                }
            } catch (IOException | FontFormatException e) {
                throw new IllegalStateException("cannot read the training fonts in " + dir + ": " + e.getMessage(), e);
            }
        }
        return new TrainingFonts(families);
    }

    public boolean isEmpty() {
        return families.isEmpty();
    }

    /** A family drawn uniformly, then one of its fonts: DejaVu's 21 files must not drown the others. */
    public Font pick(SplittableRandom random) {
        List<Font> family = families.get(random.nextInt(families.size()));
        return family.get(random.nextInt(family.size()));
    }
}

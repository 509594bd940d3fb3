package io.digitstream.core.image;

import io.digitstream.contract.DigitShape;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for {@link LargeImageMemoryIT}: holds {@code args[0]} MiB of live ballast, then preprocesses the image
 * files {@code args[1..]} one after the other, printing one line each: its outcome, time and bytes allocated.
 */
public final class LargeImagesChild {

    /** Reachable until exit, as a running classifier's own heap is. */
    static byte[][] ballast;

    private LargeImagesChild() {
    }

    public static void main(String[] args) throws Exception {
        // 64 KiB pieces: a 1 MiB array would be a humongous object taking two of G1's 1 MiB regions
        ballast = new byte[Integer.parseInt(args[0]) * 16][64 << 10];
        DigitPreprocessor preprocessor = new DigitPreprocessor();
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            byte[] bytes = Files.readAllBytes(file);
            long allocatedBefore = AllocatedBytes.supported() ? AllocatedBytes.now() : 0;
            long started = System.nanoTime();
            String outcome;
            try {
                float[] pixels = preprocessor.preprocess(bytes);
                outcome = pixels.length == DigitShape.PIXELS ? "pixels" : "wrong length " + pixels.length;
            } catch (ImageRejectedException e) {
                outcome = "rejected " + e.reason().code() + ": " + e.getMessage();
            }
            long micros = (System.nanoTime() - started) / 1000;
            long allocated = AllocatedBytes.supported() ? AllocatedBytes.now() - allocatedBefore : -1;
            System.out.printf("%s: %s, %d us, %d bytes allocated%n", file.getFileName(), outcome, micros, allocated);
        }
        System.out.println("ballast of " + ballast.length / 16 + " MiB still held");
    }
}

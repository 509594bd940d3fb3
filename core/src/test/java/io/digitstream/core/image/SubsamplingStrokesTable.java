package io.digitstream.core.image;

import io.digitstream.core.model.OnnxDigitModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Prints the table in docs/benchmarks.md of what subsampling costs thin strokes: hand-drawn digits on a 4096x4096
 * canvas, read by a model (argument: the ONNX file, default the shipped one) after a full-resolution decode and after
 * decodes subsampled by 4 (the production side of 1024) and by 8. A measurement, not a test: run it with the test
 * class path.
 */
public final class SubsamplingStrokesTable {

    private SubsamplingStrokesTable() {
    }

    public static void main(String[] args) throws Exception {
        DigitPreprocessor preprocessor = new DigitPreprocessor();
        Path modelFile = Path.of(args.length > 0 ? args[0] : "models/digits-cnn.onnx");
        try (OnnxDigitModel model = OnnxDigitModel.load(modelFile)) {
            System.out.println("| digit height | stroke | full: correct | step 4: same / correct | step 8: same / correct |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (int size : new int[] {2000, 400, 150}) {
                for (int stroke : new int[] {2, 3, 4, 6, 8}) {
                    int[] counts = new int[5];
                    for (int digit = 0; digit < 10; digit++) {
                        BufferedImage image = HandDrawnDigits.draw(digit, 4096, 4096, (4096 - size * 0.8) / 2 + 13,
                                (4096 - size) / 2.0 + 7, size, stroke);
                        byte[] png = EncodedImages.encode(image, "png", null, false);
                        int full = model.predict(preprocessor.preprocess(read(png, 1))).digit();
                        int step4 = model.predict(preprocessor.preprocess(read(png, 4))).digit();
                        int step8 = model.predict(preprocessor.preprocess(read(png, 8))).digit();
                        counts[0] += full == digit ? 1 : 0;
                        counts[1] += step4 == full ? 1 : 0;
                        counts[2] += step4 == digit ? 1 : 0;
                        counts[3] += step8 == full ? 1 : 0;
                        counts[4] += step8 == digit ? 1 : 0;
                    }
                    System.out.printf("| %d px | %d px | %d | %d / %d | %d / %d |%n", size, stroke, counts[0],
                            counts[1], counts[2], counts[3], counts[4]);
                }
            }
        }
    }

    private static BufferedImage read(byte[] png, int step) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            return reader.read(0, param);
        } finally {
            reader.dispose();
        }
    }
}

package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataCache;
import io.digitstream.core.mnist.MnistIdxReader;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.Prediction;
import io.digitstream.trainer.evaluate.ModelEvaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.CubicCurve2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The model under models/ is what users classify with before they train anything: it must be what it claims. */
class ShippedModelTest {

    /** The figure the model card promises for the shipped model. */
    private static final double PROMISED_TEST_ACCURACY = 0.994;

    @Test
    void isSmallLoadsAndPassesItsSelfCheck() throws IOException {
        assertThat(Files.size(ShippedModel.FILE)).isLessThan(5_000_000);
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE)) {
            assertThat(model.selfCheck()).isEqualTo(10);
            assertThat(model.metadata().testAccuracy()).isGreaterThanOrEqualTo(PROMISED_TEST_ACCURACY);
            assertThat(model.metadata().trainingDataSha256()).isNotEmpty();
        }
    }

    @Test
    void classifiesTheShippedTestSamples() throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE)) {
            assertThat(ModelEvaluation.of(model, MnistSamples.test500()).accuracy()).isGreaterThanOrEqualTo(0.99);
        }
    }

    /**
     * The shipped file is {@code ./digits quantize} of the float32 source kept beside it: its int8 copy under the
     * source's version plus -int8, with the source's not-a-digit score and threshold, reading the same digits.
     */
    @Test
    void isTheInt8CopyOfItsFloat32Source() throws IOException {
        assertThat(int8Weights(ShippedModel.FLOAT32)).isZero();
        // 3 convolutions and 2 dense layers; the first convolution, on one input channel, stays float32
        assertThat(int8Weights(ShippedModel.FILE)).isEqualTo(5);
        assertThat(Files.size(ShippedModel.FILE)).isLessThan(Files.size(ShippedModel.FLOAT32) / 2);
        float[] digits = floats(MnistSamples.test500().images());
        try (OnnxDigitModel float32 = OnnxDigitModel.load(ShippedModel.FLOAT32);
             OnnxDigitModel int8 = OnnxDigitModel.load(ShippedModel.FILE)) {
            assertThat(int8.metadata().modelVersion()).isEqualTo(float32.metadata().modelVersion() + "-int8");
            assertThat(int8.metadata().oodScore()).isEqualTo(float32.metadata().oodScore());
            assertThat(int8.metadata().oodThreshold()).isEqualTo(float32.metadata().oodThreshold());
            assertThat(int8.metadata().checkDigits()).isEqualTo(float32.metadata().checkDigits());
            List<Prediction> before = float32.predictions(digits, 500);
            List<Prediction> after = int8.predictions(digits, 500);
            int agree = 0;
            double scoreDifference = 0;
            for (int i = 0; i < 500; i++) {
                agree += before.get(i).digit() == after.get(i).digit() ? 1 : 0;
                scoreDifference += Math.abs(before.get(i).oodScore() - after.get(i).oodScore());
            }
            // measured: the same digit on all 500 (and on all 10,000 test digits), scores 0.1 apart on average
            assertThat(agree).isGreaterThanOrEqualTo(498);
            assertThat(scoreDifference / 500).isLessThan(0.2);
        }
    }

    /** Runs where the full MNIST test set is cached (CI fetches it first); skipped, and says so, elsewhere. */
    @Test
    void reachesItsRecordedAccuracyOnTheFullTestSet() throws IOException {
        MnistDataCache cache = new MnistDataCache();
        assumeTrue(cache.isComplete(), "MNIST not in " + cache.directory() + ": run ./digits fetch-data to check this");
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE, 2)) {
            double accuracy = ModelEvaluation.of(model, cache.load(MnistSplit.TEST)).accuracy();
            assertThat(accuracy).isGreaterThanOrEqualTo(PROMISED_TEST_ACCURACY);
            assertThat(accuracy).isCloseTo(model.metadata().testAccuracy(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    /** The not-a-digit decision as the model ships it: digits pass, clothes and scribbles do not. */
    @Test
    void acceptsDigitsAndRejectsClothesAndScribbles() throws IOException, URISyntaxException {
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE)) {
            double threshold = model.metadata().oodThreshold();
            assertThat(threshold).as("the shipped model carries a not-a-digit threshold").isFinite();

            float[] digits = floats(MnistSamples.test500().images());
            // 3 of these 500 (0.45% of all 10,000)
            assertThat(rejectedShare(model, digits, threshold)).as("MNIST test digits rejected").isLessThanOrEqualTo(0.01);

            Path fashion = Path.of(ShippedModelTest.class.getResource(
                    "/fashion/fashion-t10k-first200-images-idx3-ubyte.gz").toURI());
            assertThat(rejectedShare(model, floats(MnistIdxReader.readImages(fashion).pixels()), threshold))
                    .as("Fashion-MNIST test images rejected").isGreaterThanOrEqualTo(0.93); // 97.5% of these 200, 96.8% of all

            // 80.5% measured, as with float32 1.3.0 (32% with 1.2.0's max-logit score): pen curves are closer to
            // digits than clothes are
            assertThat(rejectedShare(model, scribbles(200, 2026), threshold)).as("scribbles rejected")
                    .isGreaterThanOrEqualTo(0.70);
        }
    }

    private static int int8Weights(Path model) throws IOException {
        return (int) OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model)).getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == OnnxMl.TensorProto.DataType.INT8.getNumber() && t.getDimsCount() > 1)
                .count();
    }

    private static double rejectedShare(OnnxDigitModel model, float[] pixels, double threshold) {
        List<Prediction> predictions = model.predictions(pixels, pixels.length / DigitShape.PIXELS);
        return predictions.stream().filter(p -> p.rejectedAt(threshold)).count() / (double) predictions.size();
    }

    private static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (bytes[i] & 0xFF) / 255f;
        }
        return out;
    }

    /**
     * Random pen scribbles drawn here, not by the trainer's outlier generator: two to five curves with random control
     * points across the frame, white on black like MNIST.
     */
    static float[] scribbles(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count * DigitShape.PIXELS];
        int side = DigitShape.SIDE;
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke((float) random.nextDouble(1.5, 3.0), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            int curves = 2 + random.nextInt(4);
            for (int c = 0; c < curves; c++) {
                g.draw(new CubicCurve2D.Double(point(random), point(random), point(random), point(random),
                        point(random), point(random), point(random), point(random)));
            }
            g.dispose();
            byte[] gray = new byte[side * side];
            image.getRaster().getDataElements(0, 0, side, side, gray);
            for (int p = 0; p < gray.length; p++) {
                out[i * DigitShape.PIXELS + p] = (gray[p] & 0xFF) / 255f;
            }
        }
        return out;
    }

    private static double point(SplittableRandom random) {
        return random.nextDouble(3, DigitShape.SIDE - 3);
    }
}

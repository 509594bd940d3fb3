package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./digits quantize} on the shipped model's float32 source, with the MNIST samples shipped with the tests as data. */
class QuantizeCommandTest {

    @TempDir
    Path work;

    @Test
    void writesAnInt8CopyUnderItsOwnVersionWithTheAccuracyItMeasured() throws IOException {
        Path out = work.resolve("int8.onnx");

        CommandRun run = CommandRun.execute("quantize", "--model", ShippedModel.FLOAT32.toString(),
                "--data-dir", MnistSampleCache.createIn(work).toString(), "--validation-size", "100",
                "--calibration-images", "200", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        ModelMetadata original;
        try (OnnxDigitModel float32 = OnnxDigitModel.load(ShippedModel.FLOAT32)) {
            original = float32.metadata();
        }
        try (OnnxDigitModel int8 = OnnxDigitModel.load(out)) {
            ModelMetadata metadata = int8.metadata();
            assertThat(metadata.modelVersion()).isEqualTo(original.modelVersion() + "-int8");
            assertThat(metadata.testAccuracy()).isGreaterThan(0.98).isNotEqualTo(original.testAccuracy());
            assertThat(metadata.validationAccuracy()).isGreaterThan(0.95);
            assertThat(metadata.oodScore()).isEqualTo(original.oodScore());
            assertThat(metadata.oodThreshold()).isEqualTo(original.oodThreshold());
            assertThat(metadata.checkDigits()).isEqualTo(original.checkDigits());
            assertThat(int8.selfCheck()).isEqualTo(10);
        }
    }

    @Test
    void calibrationDigitsAreSpreadOverTheWholeSet() {
        MnistDataset train = MnistSamples.train1000();

        MnistDataset picked = QuantizeCommand.evenlySpaced(train, 4);

        assertThat(picked.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(picked.normalizedImage(i)).isEqualTo(train.normalizedImage(250 * i));
        }
        assertThatThrownBy(() -> QuantizeCommand.evenlySpaced(train, 1001))
                .hasMessageContaining("--calibration-images must be in [1, 1000]");
    }
}

package io.digitstream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.CheckDigit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckDigitPickerTest {

    @Test
    void picksTheMostConfidentCorrectImageOfEachDigitAndSkipsDigitsNeverRight() {
        // images 0..3: labels 1, 1, 1, 2; the pixels tell them apart
        byte[] images = new byte[4 * 784];
        for (int i = 0; i < 4; i++) {
            images[i * 784] = (byte) i;
        }
        MnistDataset data = new MnistDataset(images, new byte[] {1, 1, 1, 2}, 28, 28);
        float[][] probabilities = {
            row(1, 0.6f), row(1, 0.9f), row(3, 0.99f), row(5, 0.8f),
        };

        List<CheckDigit> picked = CheckDigitPicker.mostConfident(data, probabilities);

        assertThat(picked).hasSize(1);
        assertThat(picked.get(0).label()).isEqualTo(1);
        assertThat(picked.get(0).pixels()[0]).isEqualTo((byte) 1);
    }

    private static float[] row(int digit, float p) {
        float[] row = new float[10];
        Arrays.fill(row, (1 - p) / 9);
        row[digit] = p;
        return row;
    }
}

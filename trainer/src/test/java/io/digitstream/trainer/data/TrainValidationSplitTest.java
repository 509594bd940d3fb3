package io.digitstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainValidationSplitTest {

    /** The first 1000 MNIST training images, each tagged with its index in its first two pixels. */
    private final MnistDataset data = tagged(MnistSamples.train1000());

    @Test
    void partsAreDisjointAndTogetherHoldEveryExample() {
        TrainValidationSplit split = TrainValidationSplit.stratified(data, 200, 1);

        Set<Integer> train = tags(split.train());
        Set<Integer> validation = tags(split.validation());
        assertThat(split.train().size()).isEqualTo(800);
        assertThat(split.validation().size()).isEqualTo(200);
        assertThat(train).doesNotContainAnyElementsOf(validation);
        assertThat(train.size() + validation.size()).isEqualTo(1000);
    }

    @Test
    void validationKeepsTheClassProportions() {
        TrainValidationSplit split = TrainValidationSplit.stratified(data, 200, 1);

        int[] all = counts(data);
        int[] validation = counts(split.validation());
        for (int c = 0; c < 10; c++) {
            assertThat((double) validation[c]).as("digit %d", c).isCloseTo(all[c] * 0.2, within(1.0));
        }
    }

    @Test
    void theSeedDecidesWhichExamplesAreHeldOut() {
        Set<Integer> first = tags(TrainValidationSplit.stratified(data, 200, 1).validation());

        assertThat(tags(TrainValidationSplit.stratified(data, 200, 1).validation())).isEqualTo(first);
        assertThat(tags(TrainValidationSplit.stratified(data, 200, 2).validation())).isNotEqualTo(first);
    }

    private static MnistDataset tagged(MnistDataset source) {
        byte[] images = source.images();
        for (int i = 0; i < source.size(); i++) {
            images[i * 784] = (byte) (i >> 8);
            images[i * 784 + 1] = (byte) i;
        }
        return source;
    }

    private static Set<Integer> tags(MnistDataset part) {
        Set<Integer> tags = new HashSet<>();
        for (int i = 0; i < part.size(); i++) {
            tags.add((part.images()[i * 784] & 0xFF) << 8 | part.images()[i * 784 + 1] & 0xFF);
        }
        return tags;
    }

    private static int[] counts(MnistDataset part) {
        int[] counts = new int[10];
        for (int i = 0; i < part.size(); i++) {
            counts[part.label(i)]++;
        }
        return counts;
    }
}

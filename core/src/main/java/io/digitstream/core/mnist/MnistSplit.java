package io.digitstream.core.mnist;

/** The training and test halves of MNIST and the files each is made of. */
public enum MnistSplit {
    TRAIN(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS),
    TEST(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);

    private final MnistFile images;
    private final MnistFile labels;

    MnistSplit(MnistFile images, MnistFile labels) {
        this.images = images;
        this.labels = labels;
    }

    public MnistFile images() {
        return images;
    }

    public MnistFile labels() {
        return labels;
    }
}

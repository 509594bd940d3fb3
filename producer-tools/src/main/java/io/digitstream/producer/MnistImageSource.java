package io.digitstream.producer;

import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The images of an MNIST split as 784 raw bytes each (the classifier's raw format, MNIST polarity), with their true
 * labels. Ids are {@code <prefix>-<index>}, so a label sent later to the labels topic can name its image.
 */
public final class MnistImageSource implements ImageSource {

    private final MnistDataset dataset;
    private final String idPrefix;
    private final String description;

    public MnistImageSource(MnistDataset dataset, String idPrefix, String description) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.idPrefix = Objects.requireNonNull(idPrefix, "idPrefix");
        this.description = Objects.requireNonNull(description, "description");
        if (dataset.pixelsPerImage() != DigitShape.PIXELS) {
            throw new IllegalArgumentException("MNIST images are 28x28, got " + dataset.rows() + "x" + dataset.cols());
        }
    }

    @Override
    public long size() {
        return dataset.size();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Iterator<OutgoingImage> iterator() {
        return IntStream.range(0, dataset.size()).mapToObj(i -> new OutgoingImage(idPrefix + "-" + i,
                Arrays.copyOfRange(dataset.images(), i * DigitShape.PIXELS, (i + 1) * DigitShape.PIXELS),
                dataset.label(i), null)).iterator();
    }
}

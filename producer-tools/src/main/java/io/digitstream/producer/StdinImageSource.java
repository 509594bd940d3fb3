package io.digitstream.producer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/** One image read from standard input (or any stream), at most {@code maxBytes} of it. */
public final class StdinImageSource implements ImageSource {

    private final InputStream in;
    private final String id;
    private final Integer label;
    private final long maxBytes;

    public StdinImageSource(InputStream in, String id, Integer label, long maxBytes) {
        this.in = Objects.requireNonNull(in, "in");
        this.id = Objects.requireNonNull(id, "id");
        this.label = label;
        this.maxBytes = maxBytes;
    }

    @Override
    public long size() {
        return 1;
    }

    @Override
    public String description() {
        return "standard input";
    }

    @Override
    public Iterator<OutgoingImage> iterator() {
        return new Iterator<>() {
            private boolean read;

            @Override
            public boolean hasNext() {
                return !read;
            }

            @Override
            public OutgoingImage next() {
                if (read) {
                    throw new NoSuchElementException();
                }
                read = true;
                try {
                    return new OutgoingImage(id, BoundedRead.readAtMost(in, maxBytes, "standard input"), label, null);
                } catch (IOException e) {
                    throw new ImageReadException("standard input: " + e.getMessage(), e);
                }
            }
        };
    }
}

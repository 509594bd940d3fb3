package io.digitstream.producer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Image files, given one by one or as folders walked recursively in name order. In folders only files with an image
 * extension are taken (a README beside the images is not an image); a file named explicitly is always sent. Each
 * file is read when its turn comes, at most {@code maxBytes} of it.
 */
public final class ImageFileSource implements ImageSource {

    /** Extensions taken from folders, and the content type sent with them. */
    public static final Map<String, String> CONTENT_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "bmp", "image/bmp", "gif", "image/gif", "raw", "application/octet-stream");

    private final List<Entry> files;
    private final long skipped;
    private final LabelRule labels;
    private final long maxBytes;
    private final int paths;

    private record Entry(Path file, String id) {
    }

    private ImageFileSource(List<Entry> files, long skipped, LabelRule labels, long maxBytes, int paths) {
        this.files = files;
        this.skipped = skipped;
        this.labels = labels;
        this.maxBytes = maxBytes;
        this.paths = paths;
    }

    /**
     * Lists the files under {@code paths} now; reads them later, one at a time.
     *
     * @throws IOException when a path does not exist or a folder cannot be listed
     */
    public static ImageFileSource of(List<Path> paths, LabelRule labels, long maxBytes) throws IOException {
        List<Entry> files = new ArrayList<>();
        long skipped = 0;
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(path)) {
                    found = walk.filter(Files::isRegularFile).sorted().toList();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                for (Path file : found) {
                    if (contentType(file) != null) {
                        // the path under the folder names the image: unique, and readable in a prediction
                        files.add(new Entry(file, path.relativize(file).toString().replace('\\', '/')));
                    } else {
                        skipped++;
                    }
                }
            } else if (Files.isRegularFile(path)) {
                files.add(new Entry(path, path.getFileName().toString()));
            } else {
                throw new IOException("no such file or folder: " + path);
            }
        }
        return new ImageFileSource(List.copyOf(files), skipped, labels, maxBytes, paths.size());
    }

    /** Files in the folders that were left out because their extension is not an image's. */
    public long skippedFiles() {
        return skipped;
    }

    @Override
    public long size() {
        return files.size();
    }

    @Override
    public String description() {
        return files.size() + " image file(s) from " + paths + " path(s)"
                + (skipped > 0 ? ", " + skipped + " non-image file(s) in the folders left out" : "");
    }

    @Override
    public Iterator<OutgoingImage> iterator() {
        // each file is read when its turn comes, so a folder of any size is never held in memory
        return files.stream().map(entry -> new OutgoingImage(entry.id(), read(entry.file()),
                labels.labelOf(entry.file()), contentType(entry.file()))).iterator();
    }

    private byte[] read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return BoundedRead.readAtMost(in, maxBytes, file.toString());
        } catch (IOException e) {
            throw new ImageReadException(file + ": " + e.getMessage(), e);
        }
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

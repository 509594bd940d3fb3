package io.digitstream.core.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A web mirror serving {@code <name>.gz} under a base URL, such as the ones PyTorch and TensorFlow use. */
public final class HttpsMirrorSource implements MnistSource {

    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Whole download of one file, body included; the largest (train images) is 9.9 MB. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 32L * 1024 * 1024;

    private final URI baseUrl;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final long maxDownloadBytes;

    public HttpsMirrorSource(URI baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_DOWNLOAD_BYTES);
    }

    public HttpsMirrorSource(URI baseUrl, Duration connectTimeout, Duration requestTimeout, long maxDownloadBytes) {
        String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxDownloadBytes <= 0) {
            throw new IllegalArgumentException("maxDownloadBytes must be positive: " + maxDownloadBytes);
        }
        this.maxDownloadBytes = maxDownloadBytes;
    }

    @Override
    public String description() {
        return "mirror " + baseUrl;
    }

    @Override
    public Session open(Consumer<String> progress) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new MirrorSession(client, TempDirectory.create("digit-stream-mirror-"), progress);
    }

    private final class MirrorSession implements Session {

        private final HttpClient client;
        private final TempDirectory work;
        private final Consumer<String> progress;

        MirrorSession(HttpClient client, TempDirectory work, Consumer<String> progress) {
            this.client = client;
            this.work = work;
            this.progress = progress;
        }

        @Override
        public InputStream read(MnistFile file) throws IOException {
            URI uri = baseUrl.resolve(file.gzipFileName());
            Path target = work.path().resolve(file.gzipFileName());
            progress.accept("downloading " + uri);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
            HttpResponse<Path> response = send(request, target);
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            }
            return GzipStreams.openDecompressed(target);
        }

        /** The request timeout only covers the response headers; the deadline on the future covers the body too. */
        private HttpResponse<Path> send(HttpRequest request, Path target) throws IOException {
            CompletableFuture<HttpResponse<Path>> future = client.sendAsync(request, info -> info.statusCode() == 200
                    ? new BoundedFileSubscriber(target, maxDownloadBytes)
                    : HttpResponse.BodySubscribers.replacing(null));
            try {
                return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new HttpTimeoutException("no complete response from " + request.uri() + " within " + requestTimeout);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + request.uri());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String unreachable = unreachable(cause);
                if (unreachable != null) {
                    // the other files would fail the same way, each after its own timeout
                    throw new MnistSourceUnavailableException("cannot reach " + request.uri().getHost() + " ("
                            + unreachable + ")", cause);
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException(Failures.describe(cause), cause);
            }
        }

        @Override
        public void close() throws IOException {
            work.close();
        }
    }

    /** Why the host cannot be reached at all, or null when the failure is about this one request. */
    private static String unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "host not found";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return Failures.describe(t);
            }
        }
        return null;
    }

    /** Writes the body to a file and fails as soon as it grows past the limit, whatever the headers claimed. */
    private static final class BoundedFileSubscriber implements HttpResponse.BodySubscriber<Path> {

        private final Path target;
        private final long maxBytes;
        private final CompletableFuture<Path> body = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private FileChannel channel;
        private long received;

        BoundedFileSubscriber(Path target, long maxBytes) {
            this.target = target;
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<Path> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            try {
                channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                fail(e);
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    received += buffer.remaining();
                    if (received > maxBytes) {
                        fail(new IOException("download is larger than the limit of " + maxBytes + " bytes"));
                        return;
                    }
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                subscription.request(1);
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            closeChannel();
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            try {
                channel.close();
                body.complete(target);
            } catch (IOException e) {
                body.completeExceptionally(e);
            }
        }

        private void fail(IOException e) {
            subscription.cancel();
            closeChannel();
            body.completeExceptionally(e);
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the download already failed; the session deletes the file
                }
            }
        }
    }
}

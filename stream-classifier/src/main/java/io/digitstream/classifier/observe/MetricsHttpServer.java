package io.digitstream.classifier.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.digitstream.classifier.ModelReloadResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /health/live} and {@code /health/ready} (503 with the
 * reason until {@code ready} says so), and when given a reload action and an admin token {@code POST /model/reload}
 * ({@link ModelReloadEndpoint}), on the JDK's HTTP server: a few fixed paths need no web framework.
 */
public final class MetricsHttpServer implements AutoCloseable {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String RELOAD_PATH = "/model/reload";
    private static final Logger log = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ModelReloadEndpoint reloadEndpoint;

    private MetricsHttpServer(HttpServer server, ExecutorService executor, ModelReloadEndpoint reloadEndpoint) {
        this.server = server;
        this.executor = executor;
        this.reloadEndpoint = reloadEndpoint;
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving, without {@code /model/reload}. */
    public static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry, Readiness ready)
            throws IOException {
        return start(host, port, registry, ready, null, "");
    }

    /**
     * Also serves {@code POST /model/reload} to a request bearing {@code adminToken}, which runs {@code reload} on a
     * thread of its own: 200 with the new model's identity, or 409 with the reason the file was rejected (the old
     * model keeps serving). An empty {@code adminToken} leaves the endpoint off (404), as does a null {@code reload}.
     */
    public static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry, Readiness ready,
                                          Supplier<ModelReloadResult> reload, String adminToken) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + host + ":" + port + " (" + e.getMessage()
                    + "): choose another port with --metrics-port", e);
        }
        // two threads: a scrape and a probe at once; a reload runs on the reload endpoint's own thread
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "metrics-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape()));
        server.createContext("/health/live", exchange -> respond(exchange, 200, "text/plain", "UP\n"));
        server.createContext("/health/ready", exchange -> {
            // the reason tells an operator (and a probe's event log) what to look at
            Optional<String> notReady = ready.notReadyReason();
            respond(exchange, notReady.isEmpty() ? 200 : 503, "text/plain",
                    notReady.map(reason -> "NOT READY: " + reason + "\n").orElse("READY\n"));
        });
        ModelReloadEndpoint reloadEndpoint = null;
        if (reload != null && adminToken != null && !adminToken.isBlank()) {
            reloadEndpoint = new ModelReloadEndpoint(reload, adminToken);
            server.createContext(RELOAD_PATH, reloadEndpoint);
        } else if (reload != null) {
            log.info("POST {} is off: no admin token is set (admin.token, or DIGITS_ADMIN_TOKEN for serve); "
                    + "the model file watch (model.reload.interval) still loads a changed file", RELOAD_PATH);
        }
        server.start();
        return new MetricsHttpServer(server, executor, reloadEndpoint);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            send(exchange, status, contentType, body);
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (reloadEndpoint != null) {
            reloadEndpoint.close();
        }
        executor.shutdownNow();
    }
}

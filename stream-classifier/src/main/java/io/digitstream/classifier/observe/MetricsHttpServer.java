package io.digitstream.classifier.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.digitstream.classifier.ModelReloadResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /health/live} and {@code /health/ready} (503 until
 * {@code ready} says so), and when given a reload action {@code POST /model/reload}, on the JDK's HTTP server: a few
 * fixed paths need no web framework.
 */
public final class MetricsHttpServer implements AutoCloseable {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String RELOAD_PATH = "/model/reload";
    private static final String JSON_CONTENT_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving, without {@code /model/reload}. */
    public static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        return start(host, port, registry, ready, null);
    }

    /**
     * Also serves {@code POST /model/reload}, which runs {@code reload}: 200 with the new model's identity, or 409
     * with the reason the file was rejected (the old model keeps serving).
     */
    public static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready,
                                          Supplier<ModelReloadResult> reload) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + host + ":" + port + " (" + e.getMessage()
                    + "): choose another port with --metrics-port", e);
        }
        // two threads: a scrape or a liveness probe must not wait for a reload that loads a model
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
            boolean isReady = ready.getAsBoolean();
            respond(exchange, isReady ? 200 : 503, "text/plain", isReady ? "READY\n" : "NOT READY\n");
        });
        if (reload != null) {
            server.createContext(RELOAD_PATH, exchange -> reload(exchange, reload));
        }
        server.start();
        return new MetricsHttpServer(server, executor);
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

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void reload(HttpExchange exchange, Supplier<ModelReloadResult> reload) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ModelReloadResult result = reload.get();
            Map<String, String> body = new LinkedHashMap<>();
            if (result.loaded()) {
                body.put("modelVersion", result.served().modelVersion());
                body.put("sha256", result.served().sha256());
                body.put("loadedAt", result.served().loadedAt().toString());
            } else {
                body.put("error", result.reason());
            }
            // 409: the file conflicts with what may be served, and the old model goes on serving
            send(exchange, result.loaded() ? 200 : 409, JSON_CONTENT_TYPE, toJson(body) + "\n");
        }
    }

    private static String toJson(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a map of strings as JSON", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

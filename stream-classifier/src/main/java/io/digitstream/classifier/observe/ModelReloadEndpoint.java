package io.digitstream.classifier.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.digitstream.classifier.ExecutorShutdown;
import io.digitstream.classifier.ModelReloadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /model/reload}: a bearer token, compared in constant time, and one reload at a time on a thread of its
 * own, which answers the request when the model has loaded and self-checked. The HTTP thread that received the request
 * only checks it and hands it over, so {@code /metrics} and the probes never wait behind a reload. A request while a
 * reload runs gets 429 with {@code Retry-After}: 409 already means that the file was rejected.
 */
final class ModelReloadEndpoint implements HttpHandler, AutoCloseable {

    static final String THREAD_NAME = "model-reload";
    static final String REALM = "digit-stream";
    private static final String JSON_CONTENT_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ModelReloadEndpoint.class);

    private final Supplier<ModelReloadResult> reload;
    // the token's hash: comparing two hashes takes the same time whatever the length of the token presented
    private final byte[] tokenSha256;
    private final ExecutorService executor;
    private final AtomicBoolean reloading = new AtomicBoolean();

    ModelReloadEndpoint(Supplier<ModelReloadResult> reload, String token) {
        this.reload = Objects.requireNonNull(reload, "reload");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the reload endpoint needs a token");
        }
        this.tokenSha256 = sha256(token);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean handedOver = false;
        try {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
                unauthorized(exchange, "Bearer realm=\"" + REALM + "\"", "an admin token is required");
            } else if (!authorized(exchange.getRequestHeaders().get("Authorization"))) {
                unauthorized(exchange, "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"",
                        "the admin token is not valid");
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
            } else if (!reloading.compareAndSet(false, true)) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                sendJson(exchange, 429, Map.of("error", "reload in progress"));
            } else {
                handedOver = handOver(exchange);
            }
        } finally {
            if (!handedOver) {
                exchange.close();
            }
        }
    }

    private boolean handOver(HttpExchange exchange) throws IOException {
        try {
            executor.execute(() -> reloadAndAnswer(exchange));
            return true;
        } catch (RejectedExecutionException e) {
            reloading.set(false);
            sendJson(exchange, 503, Map.of("error", "shutting down"));
            return false;
        }
    }

    /** On the reload thread: the reload, then the answer, which closes the exchange. */
    private void reloadAndAnswer(HttpExchange exchange) {
        try (exchange) {
            int status;
            Map<String, String> body = new LinkedHashMap<>();
            try {
                ModelReloadResult result = reload.get();
                if (result.loaded()) {
                    body.put("modelVersion", result.served().modelVersion());
                    body.put("sha256", result.served().sha256());
                    body.put("loadedAt", result.served().loadedAt().toString());
                } else {
                    body.put("error", result.reason());
                }
                // 409: the file conflicts with what may be served, and the old model goes on serving
                status = result.loaded() ? 200 : 409;
            } catch (RuntimeException e) {
                log.error("POST /model/reload failed", e);
                body.put("error", "the reload failed: " + e);
                status = 500;
            } finally {
                // before answering: a client that retries as soon as it has the answer is not refused
                reloading.set(false);
            }
            sendJson(exchange, status, body);
        } catch (IOException e) {
            log.debug("could not answer POST /model/reload (the client went away?): {}", e.toString());
        }
    }

    private boolean authorized(List<String> authorization) {
        if (authorization.size() != 1) {
            return false;
        }
        String value = authorization.get(0).strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return false;
        }
        return MessageDigest.isEqual(sha256(value.substring(space + 1).strip()), tokenSha256);
    }

    private static void unauthorized(HttpExchange exchange, String challenge, String error) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        sendJson(exchange, 401, Map.of("error", error));
    }

    private static void sendJson(HttpExchange exchange, int status, Map<String, String> body) throws IOException {
        try {
            MetricsHttpServer.send(exchange, status, JSON_CONTENT_TYPE, JSON.writeValueAsString(body) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a map of strings as JSON", e);
        }
    }

    /** HTTP headers are read as ISO-8859-1, so the token is hashed as such. */
    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.ISO_8859_1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Stops taking reloads, letting one in progress finish first (the model must not close under it). */
    @Override
    public void close() {
        ExecutorShutdown.shutdownAndWait(executor, CLOSE_TIMEOUT);
    }
}

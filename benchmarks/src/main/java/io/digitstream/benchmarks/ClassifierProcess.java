package io.digitstream.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A classifier running in a child JVM of its own, so that its resident memory and CPU are its own and not the broker's
 * or the producer's (the stream benchmark runs its bare Kafka Streams application the same way). Output goes to a log
 * file; {@link #close()} destroys the process (then forcibly, if it lingers).
 */
final class ClassifierProcess implements AutoCloseable {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** What {@link ClassifierMain} prints once /metrics listens. */
    private static final Pattern METRICS_URL = Pattern.compile("metrics at (http://[^\\s]+/metrics)");
    private static final String INFERENCE_TIMER = "digits_inference_seconds";

    private final Process process;
    private final Path log;
    private final ScheduledExecutorService sampler;
    private final AtomicLong peakRssKb = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile URI metricsUrl;

    private ClassifierProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-sampler-" + process.pid());
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> peakRssKb.accumulateAndGet(statusKb("VmRSS:"), Math::max),
                0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code java <jvmOptions> -cp <this JVM's class path> <mainClass> <args>}, output to {@code log}. */
    static ClassifierProcess start(List<String> jvmOptions, String mainClass, List<String> args, Path log)
            throws IOException {
        return start(jvmOptions, mainClass, args, log, List.of());
    }

    /**
     * As {@link #start(List, String, List, Path)}, without the environment variables whose names start with one of
     * {@code unsetPrefixes}: e.g. the launcher's {@code MALLOC_*} tuning, which a container does not have.
     */
    static ClassifierProcess start(List<String> jvmOptions, String mainClass, List<String> args, Path log,
                                   List<String> unsetPrefixes) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> unsetPrefixes.stream().anyMatch(name::startsWith));
        Process process = builder.start();
        return new ClassifierProcess(process, log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How the process ended, for error messages: its exit code, or that it still runs. */
    String exitStatus() {
        return process.isAlive() ? "still running" : "exit code " + process.exitValue()
                + (process.exitValue() > 128 ? " (signal " + (process.exitValue() - 128) + ")" : "");
    }

    /** The largest VmRSS seen by the sampler so far, in KiB (0 without /proc). */
    long peakSampledRssKb() {
        return Math.max(peakRssKb.get(), statusKb("VmRSS:"));
    }

    /** Resident memory now (VmRSS), in KiB (0 without /proc or once the process has gone). */
    long residentKb() {
        return statusKb("VmRSS:");
    }

    /** The kernel's high-water mark of resident memory (VmHWM), in KiB (0 without /proc). */
    long residentHighWaterMarkKb() {
        return statusKb("VmHWM:");
    }

    /** User plus system CPU time the process has used so far (zero when the operating system does not tell). */
    Duration cpuTime() {
        return ProcessCpu.time(process.toHandle()).orElse(Duration.ZERO);
    }

    /** {@link #cpuTime()} in seconds; NaN when the operating system does not tell. */
    double cpuSeconds() {
        return ProcessCpu.seconds(process.toHandle());
    }

    /** Total time and count of the classifier's own preprocess-and-classify timer; empty if unreadable. */
    record TimerReading(double seconds, double count) {
    }

    /**
     * Reads {@code digits_inference_seconds} from the classifier's {@code /metrics}, found through the URL it logged.
     * Optional: the benchmark's own figures do not depend on it.
     */
    Optional<TimerReading> inferenceTimer() {
        Optional<String> scrape = metrics();
        if (scrape.isEmpty()) {
            return Optional.empty();
        }
        double seconds = Double.NaN;
        double count = Double.NaN;
        for (String line : scrape.get().split("\n")) {
            if (line.startsWith(INFERENCE_TIMER + "_sum ")) {
                seconds = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            } else if (line.startsWith(INFERENCE_TIMER + "_count ")) {
                count = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return Double.isNaN(seconds) || Double.isNaN(count) ? Optional.empty()
                : Optional.of(new TimerReading(seconds, count));
    }

    /** The classifier's {@code /metrics} page (Prometheus text); empty before it listens or when it does not answer. */
    Optional<String> metrics() {
        return get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body);
    }

    /** Whether {@code /health/ready} answers 200: Kafka Streams is running. */
    boolean ready() {
        return get("/health/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    private Optional<HttpResponse<String>> get(String path) {
        try {
            URI url = metricsUrl();
            if (url == null) {
                return Optional.empty();
            }
            return Optional.of(http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The URL the classifier logged once /metrics listened; null until then. */
    private URI metricsUrl() throws IOException {
        if (metricsUrl == null) {
            Matcher url = METRICS_URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (url.find()) {
                metricsUrl = URI.create(url.group(1));
            }
        }
        return metricsUrl;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    Path log() {
        return log;
    }

    private long statusKb(String field) {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc (not Linux) or the process has gone: nothing to sample
        }
        return 0;
    }

    /** Sends SIGTERM without waiting; {@link #close()} then waits. */
    void requestStop() {
        process.destroy();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        // SIGTERM first: the classifier closes Kafka Streams cleanly, which keeps the broker's logs quiet
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

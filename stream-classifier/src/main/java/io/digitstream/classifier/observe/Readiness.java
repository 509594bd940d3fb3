package io.digitstream.classifier.observe;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/** What {@code /health/ready} answers: ready, or not ready and why (the reason is the 503's body). */
@FunctionalInterface
public interface Readiness {

    /** Always ready: for servers with nothing to wait for. */
    Readiness READY = Optional::empty;

    /** Why it is not ready, or empty when it is. */
    Optional<String> notReadyReason();

    /** Ready when {@code ready} says so, with no reason given otherwise. */
    static Readiness of(BooleanSupplier ready) {
        return () -> ready.getAsBoolean() ? Optional.empty() : Optional.of("not ready");
    }
}

package io.digitstream.core.mnist;

import java.io.IOException;

/** One-line descriptions of exceptions for failure reports: several JDK exceptions carry no message. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass() != IOException.class || t.getMessage() == null) {
                text.append(text.length() == 0 ? "" : " / ").append(t.getClass().getSimpleName());
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return text.append(text.length() == 0 ? "" : ": ").append(t.getMessage()).toString();
            }
        }
        return text.toString();
    }
}

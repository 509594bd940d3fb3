package io.digitstream.core;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What this JVM prints on standard output and error (logs included: slf4j-simple looks up {@code System.err} on
 * every line) while it is open; it still reaches the console too. For tests that check what a user would see.
 */
public final class PrintedOutput implements AutoCloseable {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private PrintedOutput() {
        System.setOut(tee(originalOut));
        System.setErr(tee(originalErr));
    }

    public static PrintedOutput capture() {
        return new PrintedOutput();
    }

    public synchronized String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private PrintStream tee(PrintStream console) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (PrintedOutput.this) {
                    printed.write(b);
                }
                console.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (PrintedOutput.this) {
                    printed.write(b, off, len);
                }
                console.write(b, off, len);
            }

            @Override
            public void flush() {
                console.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}

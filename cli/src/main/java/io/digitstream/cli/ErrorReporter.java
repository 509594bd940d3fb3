package io.digitstream.cli;

import picocli.CommandLine;

/**
 * Prints a failed command's message as one readable line (the message says what to do); the stack trace only
 * with {@code DIGITS_DEBUG=1}, so users see the fix rather than a trace.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println(cmd.getColorScheme().errorText("digits " + cmd.getCommandName() + ": " + message));
        if ("1".equals(System.getenv("DIGITS_DEBUG"))) {
            ex.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println("(set DIGITS_DEBUG=1 for the stack trace)");
        }
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }
}

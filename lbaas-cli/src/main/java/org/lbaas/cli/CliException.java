package org.lbaas.cli;

import java.util.List;
import java.util.Objects;

/**
 * A failure the command reports and exits with: the exit status and the lines printed on standard
 * error, each of which names the field or the step that failed. Each failure kind is a subclass.
 */
abstract class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit status of a command that failed for any reason other than its input. */
    static final int FAILURE = 1;
    /** Exit status of a command whose input (arguments or document) is invalid. */
    static final int INVALID_INPUT = 2;

    private final int exitCode;
    private final transient List<String> lines;

    CliException(int exitCode, List<String> lines, Throwable cause) {
        super(String.join("; ", lines), cause);
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines).stream().map(CliException::oneLine).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a failure needs at least one line");
        }
    }

    /** Returns the exit status. */
    int exitCode() {
        return exitCode;
    }

    /** Returns the lines for standard error, each a single line. */
    List<String> lines() {
        return lines;
    }

    /** Folds a message onto one line: line breaks become {@code "; "}. */
    static String oneLine(String text) {
        Objects.requireNonNull(text, "text");
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}

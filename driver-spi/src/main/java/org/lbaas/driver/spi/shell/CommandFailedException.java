package org.lbaas.driver.spi.shell;

import java.util.Objects;

/**
 * A {@link Command} ran to its end with a non-zero exit code where the caller required success
 * (see {@link CommandResult#requireSuccess()}). The message names the command line, the exit
 * code and standard error.
 */
public final class CommandFailedException extends ShellException {

    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    /**
     * Creates the exception.
     *
     * @param result the unsuccessful result
     */
    public CommandFailedException(CommandResult result) {
        super(Objects.requireNonNull(result, "result").command(), message(result), null);
        this.result = result;
    }

    private static String message(CommandResult result) {
        String stderr = result.stderr().strip();
        return "command failed with exit code " + result.exitCode() + ": " + result.command().commandLine()
                + (stderr.isEmpty() ? "" : "\nstderr: " + stderr + (result.stderrTruncated() ? " [truncated]" : ""));
    }

    /**
     * The exit code of the command.
     *
     * @return the non-zero exit code
     */
    public int exitCode() {
        return result.exitCode();
    }

    /**
     * What the command wrote to standard error (bounded).
     *
     * @return standard error
     */
    public String stderr() {
        return result.stderr();
    }

    /**
     * The complete result, including standard output.
     *
     * @return the result
     */
    public CommandResult result() {
        return result;
    }
}

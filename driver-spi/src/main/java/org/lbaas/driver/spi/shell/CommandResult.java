package org.lbaas.driver.spi.shell;

import java.time.Duration;
import java.util.Objects;

/**
 * What a command that ran to its end left behind: its exit code, the (bounded) text it wrote and
 * how long it took.
 *
 * <p>A non-zero exit code is an ordinary result, not an exception: callers that treat it as a
 * failure say so with {@link #requireSuccess()}.
 *
 * <p>Output is decoded as UTF-8, malformed bytes replaced. Each stream keeps at most
 * {@link Command#outputLimit()} bytes (the first ones); when more was written the matching
 * {@code ...Truncated} flag is set.
 *
 * @param command the command that ran
 * @param exitCode the exit status; for a process ended by a signal, 128 plus the signal number
 * @param stdout what the command wrote to standard output, at most the output limit in bytes
 * @param stdoutTruncated whether standard output was longer than the output limit
 * @param stderr what the command wrote to standard error, at most the output limit in bytes
 * @param stderrTruncated whether standard error was longer than the output limit
 * @param elapsed wall-clock time from start to end of the command; not negative
 */
public record CommandResult(
        Command command,
        int exitCode,
        String stdout,
        boolean stdoutTruncated,
        String stderr,
        boolean stderrTruncated,
        Duration elapsed) {

    /**
     * Checks the components.
     *
     * @param command the command that ran
     * @param exitCode the exit status
     * @param stdout standard output
     * @param stdoutTruncated whether standard output was cut
     * @param stderr standard error
     * @param stderrTruncated whether standard error was cut
     * @param elapsed the run time
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if elapsed is negative
     */
    public CommandResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must not be negative: " + elapsed);
        }
    }

    /**
     * Whether the command exited with status 0.
     *
     * @return {@code exitCode() == 0}
     */
    public boolean isSuccess() {
        return exitCode == 0;
    }

    /**
     * Returns this result if the command exited with status 0.
     *
     * @return this result
     * @throws CommandFailedException carrying the argument vector, the exit code and standard
     *     error, if the exit code is not 0
     */
    public CommandResult requireSuccess() {
        if (exitCode != 0) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    /** A one-line summary: command line, exit code, elapsed time and output sizes. */
    @Override
    public String toString() {
        return "CommandResult[" + command.commandLine() + " -> exit " + exitCode
                + " in " + elapsed.toMillis() + " ms, stdout " + stdout.length() + (stdoutTruncated ? "+" : "")
                + " chars, stderr " + stderr.length() + (stderrTruncated ? "+" : "") + " chars]";
    }
}

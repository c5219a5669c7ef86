package org.lbaas.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted answer of a {@link RecordingShellExecutor}: either the command "ran" and ended with
 * an exit code and output, or it timed out, or it could not start.
 *
 * <p>Immutable; build one with {@link #exit(int)}, {@link #success()}, {@link #timeout()} or
 * {@link #startFailure()} and refine it with the {@code with...} methods.
 *
 * @param kind what the executor does with the command
 * @param exitCode the exit code reported for {@link Kind#EXIT}; ignored otherwise
 * @param stdout standard output reported (for {@link Kind#TIMEOUT}: the partial output)
 * @param stderr standard error reported (for {@link Kind#TIMEOUT}: the partial output)
 * @param delay how long the executor blocks before answering; not negative. A delay that reaches
 *     the command's timeout turns the answer into a timeout after exactly that timeout, as a real
 *     process would.
 */
public record Reply(Kind kind, int exitCode, String stdout, String stderr, Duration delay) {

    /** What a {@link Reply} makes the executor do. */
    public enum Kind {
        /** Return a {@code CommandResult} with the exit code and output. */
        EXIT,
        /** Throw {@code CommandTimeoutException} carrying the output as partial output. */
        TIMEOUT,
        /** Throw {@code CommandStartException}. */
        START_FAILURE
    }

    /**
     * Checks the components.
     *
     * @param kind what the executor does
     * @param exitCode the exit code for EXIT
     * @param stdout standard output
     * @param stderr standard error
     * @param delay the delay before answering
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the delay is negative
     */
    public Reply {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
    }

    /**
     * Exit code 0, no output, no delay: the default answer of a new executor.
     *
     * @return the reply
     */
    public static Reply success() {
        return exit(0);
    }

    /**
     * The given exit code, no output, no delay.
     *
     * @param exitCode the exit code
     * @return the reply
     */
    public static Reply exit(int exitCode) {
        return new Reply(Kind.EXIT, exitCode, "", "", Duration.ZERO);
    }

    /**
     * The command times out (after its delay, if any).
     *
     * @return the reply
     */
    public static Reply timeout() {
        return new Reply(Kind.TIMEOUT, -1, "", "", Duration.ZERO);
    }

    /**
     * The command cannot be started.
     *
     * @return the reply
     */
    public static Reply startFailure() {
        return new Reply(Kind.START_FAILURE, -1, "", "", Duration.ZERO);
    }

    /**
     * This reply with another exit code (and kind {@link Kind#EXIT}).
     *
     * @param code the exit code
     * @return a new reply
     */
    public Reply withExitCode(int code) {
        return new Reply(Kind.EXIT, code, stdout, stderr, delay);
    }

    /**
     * This reply with the given standard output.
     *
     * @param text the output
     * @return a new reply
     */
    public Reply withStdout(String text) {
        return new Reply(kind, exitCode, text, stderr, delay);
    }

    /**
     * This reply with the given standard error.
     *
     * @param text the output
     * @return a new reply
     */
    public Reply withStderr(String text) {
        return new Reply(kind, exitCode, stdout, text, delay);
    }

    /**
     * This reply given after the given delay.
     *
     * @param newDelay not negative
     * @return a new reply
     */
    public Reply withDelay(Duration newDelay) {
        return new Reply(kind, exitCode, stdout, stderr, newDelay);
    }
}

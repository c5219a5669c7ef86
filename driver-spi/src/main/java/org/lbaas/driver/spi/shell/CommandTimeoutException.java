package org.lbaas.driver.spi.shell;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Command} started but did not end within its {@link Command#timeout()}, and was
 * terminated. Carries what the command had written until then.
 */
public final class CommandTimeoutException extends ShellException {

    private static final long serialVersionUID = 1L;

    /** Standard output written before termination. */
    private final String partialStdout;
    /** Standard error written before termination. */
    private final String partialStderr;
    /** Time from start until termination. */
    private final Duration elapsed;

    /**
     * Creates the exception.
     *
     * @param command the command that timed out
     * @param partialStdout standard output written before it was terminated (bounded)
     * @param partialStderr standard error written before it was terminated (bounded)
     * @param elapsed time from start until the command had been terminated
     */
    public CommandTimeoutException(Command command, String partialStdout, String partialStderr, Duration elapsed) {
        super(command, "timed out after " + command.timeout().toMillis() + " ms and was terminated: "
                + command.commandLine(), null);
        this.partialStdout = Objects.requireNonNull(partialStdout, "partialStdout");
        this.partialStderr = Objects.requireNonNull(partialStderr, "partialStderr");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * The timeout that was exceeded.
     *
     * @return the command's timeout
     */
    public Duration timeout() {
        return command().timeout();
    }

    /**
     * Standard output written before the command was terminated.
     *
     * @return the partial standard output, possibly empty
     */
    public String partialStdout() {
        return partialStdout;
    }

    /**
     * Standard error written before the command was terminated.
     *
     * @return the partial standard error, possibly empty
     */
    public String partialStderr() {
        return partialStderr;
    }

    /**
     * Time from start until the command had been terminated.
     *
     * @return at least the timeout
     */
    public Duration elapsed() {
        return elapsed;
    }
}

package org.lbaas.driver.spi.shell;

import java.util.List;
import java.util.Objects;

/**
 * Base of the exceptions a {@link ShellExecutor} (or {@link CommandResult#requireSuccess()})
 * throws. Each failure kind has its own subclass:
 *
 * <ul>
 *   <li>{@link CommandStartException}: the program could not be started at all;</li>
 *   <li>{@link CommandTimeoutException}: it started but did not end within its timeout and was
 *       terminated;</li>
 *   <li>{@link CommandInterruptedException}: the calling thread was interrupted while waiting; the
 *       process was terminated;</li>
 *   <li>{@link CommandFailedException}: it ended with a non-zero exit code and the caller
 *       required success.</li>
 * </ul>
 *
 * <p>Every one of them carries the command that was run.
 */
public abstract sealed class ShellException extends RuntimeException
        permits CommandStartException, CommandTimeoutException, CommandInterruptedException, CommandFailedException {

    private static final long serialVersionUID = 1L;

    private final transient Command command;

    ShellException(Command command, String message, Throwable cause) {
        super(message, cause);
        this.command = Objects.requireNonNull(command, "command");
    }

    /**
     * The command that failed.
     *
     * @return the command
     */
    public Command command() {
        return command;
    }

    /**
     * The argument vector of the command that failed.
     *
     * @return the argv, unmodifiable
     */
    public List<String> argv() {
        return command.argv();
    }
}

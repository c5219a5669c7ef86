package org.lbaas.driver.spi.shell;

/**
 * The program of a {@link Command} could not be started: it does not exist, is not executable,
 * the working directory does not exist, or the system refused to create a process. Nothing ran,
 * so there is no exit code and no output.
 */
public final class CommandStartException extends ShellException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param command the command that could not start
     * @param cause what the system reported
     */
    public CommandStartException(Command command, Throwable cause) {
        super(command, "cannot start " + command.commandLine() + ": " + cause.getMessage(), cause);
    }
}

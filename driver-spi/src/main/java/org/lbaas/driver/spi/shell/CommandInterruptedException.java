package org.lbaas.driver.spi.shell;

/**
 * The thread waiting for a {@link Command} was interrupted. The executor stopped waiting,
 * terminated the process and set the thread's interrupt status again; the command's outcome is
 * unknown.
 */
public final class CommandInterruptedException extends ShellException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param command the command whose caller was interrupted
     * @param cause the interruption
     */
    public CommandInterruptedException(Command command, InterruptedException cause) {
        super(command, "interrupted while waiting for " + command.commandLine(), cause);
    }
}

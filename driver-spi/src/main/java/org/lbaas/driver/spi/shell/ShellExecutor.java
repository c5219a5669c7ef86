package org.lbaas.driver.spi.shell;

import java.util.Arrays;
import java.util.Objects;

/**
 * Runs external commands, given as argument vectors, and waits for them to end.
 *
 * <p>This is the only way lbaas drivers touch the operating system's processes, so tests can
 * replace it with a recording fake (the testkit's {@code RecordingShellExecutor}) and production
 * code uses {@link #system()}.
 *
 * <p>Outcome of {@link #execute(Command)}:
 * <ul>
 *   <li>the command ran to its end (whatever its exit code): a {@link CommandResult}; a non-zero
 *       exit code is not an exception, use {@link CommandResult#requireSuccess()} to make it
 *       one;</li>
 *   <li>the program could not be started: {@link CommandStartException};</li>
 *   <li>it did not end within {@link Command#timeout()}: it is terminated and
 *       {@link CommandTimeoutException} is thrown;</li>
 *   <li>the calling thread was interrupted while waiting: the process is terminated, the thread's
 *       interrupt status is set again and {@link CommandInterruptedException} is thrown.</li>
 * </ul>
 *
 * <p>Implementations are safe for use by several threads at once; each call runs its own process.
 */
public interface ShellExecutor {

    /**
     * Runs the command and waits until it has ended or its timeout has passed.
     *
     * @param command what to run
     * @return the result of a command that ran to its end, whatever its exit code
     * @throws CommandStartException if the program could not be started
     * @throws CommandTimeoutException if the command did not end in time (it has been terminated)
     * @throws CommandInterruptedException if the calling thread was interrupted while waiting
     */
    CommandResult execute(Command command);

    /**
     * Shorthand for {@code execute(Command.of(argv))}: runs with the defaults of
     * {@link Command#of(String...)}.
     *
     * @param argv the program followed by its arguments
     * @return the result, whatever the exit code
     * @throws CommandStartException if the program could not be started
     * @throws CommandTimeoutException if the command did not end in time
     * @throws CommandInterruptedException if the calling thread was interrupted while waiting
     */
    default CommandResult execute(String... argv) {
        Objects.requireNonNull(argv, "argv");
        return execute(Command.of(Arrays.asList(argv)));
    }

    /**
     * The executor that runs real processes on this machine, without a shell, using Apache Commons
     * Exec.
     *
     * <p>Behaviour: the environment is the calling process's plus {@link Command#environment()};
     * standard input receives {@link Command#stdin()} and is then closed (or closed at once);
     * standard output and standard error are read concurrently into buffers bounded by
     * {@link Command#outputLimit()}. On timeout the process receives SIGTERM, and SIGKILL if it is
     * still alive one second later; only the started process itself is signalled, not processes
     * it started. After the process has ended, output still held open by processes it left
     * behind (for instance a daemon that kept the inherited standard output) is read for at most
     * two more seconds and then abandoned, so such a command returns about two seconds late: give
     * daemons their own output (or none). An interrupted caller stops waiting at once; the
     * process gets SIGTERM, and SIGKILL one second later if still alive.
     *
     * @return the shared system executor
     */
    static ShellExecutor system() {
        return SystemShellExecutor.INSTANCE;
    }
}

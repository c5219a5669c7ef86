package org.lbaas.driver.haproxy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the driver's subsystems run commands on the host: every command gets the driver's
 * {@code command_timeout}, and each run is logged at debug level with its exit code and duration.
 */
public final class HostShell {

    private static final Logger LOG = LoggerFactory.getLogger(HostShell.class);

    private final ShellExecutor shell;
    private final String ipBinary;
    private final Duration timeout;

    /**
     * @param shell the executor commands go to
     * @param ipBinary the {@code ip} program
     * @param timeout the timeout every command gets unless it sets a shorter one
     */
    public HostShell(ShellExecutor shell, String ipBinary, Duration timeout) {
        this.shell = Objects.requireNonNull(shell, "shell");
        this.ipBinary = Objects.requireNonNull(ipBinary, "ipBinary");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Returns the command {@code argv} with the driver's timeout. */
    public Command command(List<String> argv) {
        return Command.of(argv).withTimeout(timeout);
    }

    /** Returns the command {@code argv} with the driver's timeout. */
    public Command command(String... argv) {
        return command(List.of(argv));
    }

    /** Where {@code ip netns add} leaves the namespace files that {@code nsenter --net=} opens. */
    private static final String NETNS_DIR = "/run/netns";

    /**
     * Returns the words that run a program in a network namespace only ({@code nsenter
     * --net=/run/netns/NS --}): the program stays in the host's mount namespace (unlike {@code ip
     * netns exec}, which gives it a private copy of every {@code /run/netns} mount).
     *
     * @param nsenterBinary the {@code nsenter} program
     * @param namespace the namespace
     * @return the words to put before the program's own
     */
    public static List<String> enterNamespace(String nsenterBinary, String namespace) {
        return List.of(nsenterBinary, "--net=" + NETNS_DIR + "/" + namespace, "--");
    }

    /**
     * Returns {@code ip OPTIONS -batch -} with the lines on standard input.
     *
     * @param options options before {@code -batch} ({@code -force}, {@code -n NS})
     * @param lines the batch lines
     * @return the command
     */
    public Command ipBatch(List<String> options, List<String> lines) {
        List<String> argv = new ArrayList<>();
        argv.add(ipBinary);
        argv.addAll(options);
        argv.addAll(List.of("-batch", "-"));
        return command(argv).withStdin(String.join("\n", lines) + "\n");
    }

    /** Runs a command; a non-zero exit is returned, not thrown. */
    public CommandResult run(Command c) {
        long start = System.nanoTime();
        CommandResult r = shell.execute(c);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> exit {} in {} ms", c.commandLine(), r.exitCode(), (System.nanoTime() - start) / 1_000_000);
        }
        return r;
    }

    /** Runs a command that must succeed. */
    public CommandResult require(Command c) {
        return run(c).requireSuccess();
    }

    /** Returns a result's standard error and output, one text, or {@code (no output)}. */
    public static String output(CommandResult r) {
        String text = (r.stderr().strip() + "\n" + r.stdout().strip()).strip();
        return text.isEmpty() ? "(no output)" : text;
    }

    /**
     * Waits; an interrupt ends the wait with a retryable {@link DriverException} (the interrupt
     * flag set again).
     *
     * @param d how long
     */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("the operation was interrupted", "interrupted while waiting", true, e);
        }
    }
}

package org.lbaas.conformance;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.testkit.CommandPattern;
import org.lbaas.testkit.RecordingShellExecutor;
import org.lbaas.testkit.Reply;

/**
 * Everything a driver under test may touch, handed to
 * {@link DriverConformanceKit#createDriver(ConformanceEnvironment)} and
 * {@link DriverContract#createDriver(ConformanceEnvironment)}: build the driver from these seams
 * and from nothing else, so the kit controls the world the driver sees.
 *
 * <ul>
 *   <li>{@link #shell()}: a {@link RecordingShellExecutor} that answers every command with exit 0
 *       and no output. A driver that needs realistic answers (a simulated host) adds its own stubs
 *       to it in the factory method, or lets it run commands on the real host (live mode, below); the
 *       kit's own failure stubs are added later and win.</li>
 *   <li>{@link #directory()}: an empty directory that exists, is private to this environment and
 *       is deleted afterwards. Point the driver's state or output directory at it (or at a
 *       directory below it).</li>
 *   <li>{@link #clock()}: a {@link ManualClock} starting at 2025-01-01T00:00:00Z; the kit
 *       advances it between observations.</li>
 *   <li>{@link #config()}: a {@link DriverConfig} with no settings, this shell and this clock;
 *       add the driver's own keys with {@link DriverConfig#with(String, String)}.</li>
 * </ul>
 *
 * <p><b>How the kit breaks the environment.</b> To check that failures reach the tenant and the
 * operator properly, the kit temporarily breaks the shell, the directory, or both: every shell
 * command then exits 1 with the standard error {@value #INJECTED_FAILURE}, and
 * {@link #directory()} is replaced by a regular file (its contents are kept aside and put back
 * afterwards), so any file written in or below it fails. A driver that needs neither shell nor files is not affected, and the kit
 * accepts that; a driver that needs them must fail cleanly, with a {@code DriverException}.
 *
 * <p><b>Live mode.</b> To run the kit against a real data plane (real processes, real network
 * namespaces), the factory method makes the shell run commands for real:
 * {@code env.shell().passThroughTo(ShellExecutor.system())} (see
 * {@link RecordingShellExecutor#passThroughTo}). Nothing else changes: every command is still
 * recorded, the kit's failure stub is still added later and wins over the real executor (so the
 * broken-environment checks still fail every command), and the driver's files still belong in
 * {@link #directory()}. The load balancers of {@link DriverConformanceKit} have VIPs in
 * {@code 10.91.0.0/24}, {@code 10.95.0.0/24} and {@code fd00:91::/64} and members elsewhere in
 * {@code 10.0.0.0/8} and {@code fd00::/8} ({@link DriverContract} generates any addresses); the
 * kit only observes the driver and sends no traffic, so the members need not exist, but every VIP
 * must really come up. The kit removes what runs after each test by
 * reconciling the driver with nothing desired, best effort; a live test should also check,
 * after each test and after the class, that nothing of the driver is left on the host, and
 * remove it if the driver did not.
 */
public final class ConformanceEnvironment implements AutoCloseable {

    /** Standard error of every shell command while the kit breaks the environment. */
    public static final String INJECTED_FAILURE = "lbaas-conformance-kit: injected failure";

    /** The instant a new environment's clock shows. */
    public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final Path directory;
    private final Path aside;
    private final RecordingShellExecutor shell = new RecordingShellExecutor();
    private final ManualClock clock = ManualClock.at(START);
    private final AtomicBoolean shellBroken = new AtomicBoolean();
    private boolean directoryBroken;
    private int callsAtBreak;

    private ConformanceEnvironment(Path directory) {
        this.directory = directory;
        this.aside = directory.resolveSibling(directory.getFileName() + ".kept-aside");
    }

    /** Creates an environment with a fresh temporary directory. */
    static ConformanceEnvironment create() {
        try {
            return new ConformanceEnvironment(Files.createTempDirectory("lbaas-kit-").toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException("the conformance kit could not create its temporary directory", e);
        }
    }

    /** Returns the shell executor the driver must use; it records every command. */
    public RecordingShellExecutor shell() {
        return shell;
    }

    /** Returns an empty directory the driver may use; deleted when the test ends. */
    public Path directory() {
        return directory;
    }

    /** Returns the clock the driver must use. */
    public ManualClock clock() {
        return clock;
    }

    /** Returns a configuration with no settings, {@link #shell()} and {@link #clock()}. */
    public DriverConfig config() {
        return new DriverConfig(Map.of(), shell, clock);
    }

    /** What the kit can break. */
    enum Fault {
        /** Every shell command exits 1 with {@link #INJECTED_FAILURE} on standard error. */
        SHELL,
        /** The directory is replaced by a regular file. */
        DIRECTORY
    }

    /** Breaks the shell and the directory, until {@link #restore()}. */
    void breakDown() {
        breakDown(EnumSet.allOf(Fault.class));
    }

    /**
     * Breaks some of the environment until {@link #restore()}; what is already broken stays so.
     *
     * @param faults what to break
     */
    synchronized void breakDown(Set<Fault> faults) {
        callsAtBreak = shell.callCount();
        if (faults.contains(Fault.SHELL) && !shellBroken.get()) {
            shellBroken.set(true);
            shell.when(CommandPattern.matching("any command while the conformance kit breaks the shell", c -> shellBroken.get()))
                    .thenReply(Reply.exit(1).withStderr(INJECTED_FAILURE));
        }
        if (faults.contains(Fault.DIRECTORY) && !directoryBroken) {
            try {
                Files.move(directory, aside);
                Files.writeString(directory, "the lbaas conformance kit replaced this directory by a file to provoke failures\n");
            } catch (IOException e) {
                throw new UncheckedIOException("the conformance kit could not break its directory " + directory, e);
            }
            directoryBroken = true;
        }
    }

    /** Undoes {@link #breakDown}; nothing happens when nothing is broken. */
    synchronized void restore() {
        shellBroken.set(false);
        if (directoryBroken) {
            try {
                Files.deleteIfExists(directory);
                Files.move(aside, directory);
            } catch (IOException e) {
                throw new UncheckedIOException("the conformance kit could not restore its directory " + directory, e);
            }
            directoryBroken = false;
        }
    }

    /** Returns whether anything is broken now. */
    synchronized boolean isBroken() {
        return shellBroken.get() || directoryBroken;
    }

    /** Returns how many shell commands the driver ran since the last {@link #breakDown()}. */
    synchronized int shellCallsSinceBreak() {
        return shell.callCount() - callsAtBreak;
    }

    /** Restores the environment and deletes its directory. */
    @Override
    public void close() {
        restore();
        deleteTree(directory);
        deleteTree(aside);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            MoreFiles.deleteRecursively(root, RecursiveDeleteOption.ALLOW_INSECURE);
        } catch (IOException e) {
            throw new UncheckedIOException("the conformance kit could not delete " + root, e);
        }
    }

    @Override
    public String toString() {
        return "ConformanceEnvironment[" + directory + (isBroken() ? ", broken" : "") + "]";
    }
}

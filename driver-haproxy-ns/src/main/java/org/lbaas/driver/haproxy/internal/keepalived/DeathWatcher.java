package org.lbaas.driver.haproxy.internal.keepalived;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.AtomicFiles;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.CommandResult;

/**
 * The watcher that turns the death of a pair instance's HAProxy into a fault of its keepalived,
 * without polling and without the driver's process: every HAProxy of the instance is started under
 * {@code flock -s} on the instance's lock file and keeps that shared lock (an inherited descriptor)
 * until it exits; the watcher, one detached process per instance started with {@code setsid -f},
 * waits in {@code flock -x} on the same file. The kernel grants it the exclusive lock the moment
 * the last HAProxy of the instance is gone (a SIGKILL or a crash: a process's descriptors close
 * when it exits, before it is reaped, so an unreaped zombie does not hold it), and the watcher then
 * writes {@code 1} to the instance's track file; keepalived sees the change through inotify and,
 * when MASTER, hands the VIP over at once. A reload does not wake it: the new process takes its
 * shared lock before the old one exits.
 *
 * <p>keepalived's own {@code track_process} cannot do this inside a network namespace (the
 * kernel's process-events connector exists only in the initial one), and {@code vrrp_script} runs
 * at whole-second intervals. The watcher's pid is in {@code watcher.pid}; it is this instance's only
 * when its command line is {@code flock} with this instance's lock file. It is stopped before
 * the instance's HAProxy is stopped on purpose.
 */
public final class DeathWatcher {

    /** The watcher's script: detach from the caller's output, record its pid, wait for the lock, fault. */
    static final String SCRIPT = "exec </dev/null >/dev/null 2>&1; echo $$ > \"$1\"; "
            + "exec \"$4\" -x \"$2\" sh -c 'printf \"1\\n\" > \"$0\"' \"$3\"";
    /** The name the watcher's shell runs under ({@code $0}). */
    static final String NAME = "lbaas-haproxy-watch";
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private final HaproxySettings settings;
    private final HostShell shell;
    private final HostView host;

    /**
     * @param settings the driver's settings (programs)
     * @param shell how commands run
     * @param host where processes are looked up
     */
    public DeathWatcher(HaproxySettings settings, HostShell shell, HostView host) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Returns the file holding the watcher's pid. */
    static Path pidFile(InstanceFiles files) {
        return files.dir().resolve("watcher.pid");
    }

    /** Returns the pid of the instance's watcher when it runs. */
    public Optional<Long> running(InstanceFiles files) {
        Optional<Long> pid;
        try {
            pid = AtomicFiles.read(pidFile(files)).map(String::strip).filter(t -> t.matches("[0-9]{1,10}")).map(Long::parseLong);
        } catch (IOException e) {
            return Optional.empty();
        }
        String lock = files.haproxyLock().toString();
        return pid.filter(p -> host.process(p).filter(info -> isWatcher(info.argv(), lock)).isPresent());
    }

    private static boolean isWatcher(List<String> argv, String lock) {
        if (argv.size() < 3) {
            return false;
        }
        String program = argv.get(0);
        return program.substring(program.lastIndexOf('/') + 1).equals("flock") && argv.get(1).equals("-x")
                && argv.get(2).equals(lock);
    }

    /**
     * Starts the instance's watcher unless it runs; called once the instance's HAProxy serves and
     * its track file says so.
     *
     * @param id the instance
     * @param files its files
     * @param trackFile the file keepalived tracks
     * @return whether a watcher was started
     * @throws DriverException (retryable) when the watcher did not start
     */
    public boolean ensure(InstanceId id, InstanceFiles files, Path trackFile) {
        if (running(files).isPresent()) {
            return false;
        }
        CommandResult r = shell.run(shell.command(settings.ha().setsidBinary(), "-f", "sh", "-c", SCRIPT, NAME,
                pidFile(files).toString(), files.haproxyLock().toString(), trackFile.toString(), settings.ha().flockBinary()));
        if (!r.isSuccess()) {
            throw new DriverException("the load balancer's failover could not be started",
                    "the HAProxy death watcher of instance " + id + " failed to start (exit " + r.exitCode() + "): "
                            + HostShell.output(r), true);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (running(files).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new DriverException("the load balancer's failover could not be started",
                        "the HAProxy death watcher of instance " + id + " wrote no live pid to " + pidFile(files) + " within "
                                + START_TIMEOUT, true);
            }
            HostShell.pause(POLL);
        }
        return true;
    }

    /**
     * Stops the instance's watcher (before its HAProxy is stopped on purpose, so that the stop is
     * not taken for a death).
     *
     * @param files the instance's files
     */
    public void stop(InstanceFiles files) {
        Optional<Long> pid = running(files);
        if (pid.isEmpty()) {
            return;
        }
        shell.run(shell.command("kill", "-KILL", Long.toString(pid.get())));
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (running(files).isPresent() && System.nanoTime() < deadline) {
            HostShell.pause(POLL);
        }
    }
}

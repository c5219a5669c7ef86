package org.lbaas.driver.haproxy.internal.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeApi;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAProxy process control: the start command (in an instance's namespace, as a reload with
 * {@code -sf}), waiting until a new process serves, the graceful stop, the configuration check,
 * and finding an instance's processes.
 *
 * <p>A process is an instance's only when {@link #matches} says so: its program is
 * {@code haproxy} and it was started with the instance's configuration file. The configuration
 * path lies under the driver's state directory, so another state directory's (or another tool's)
 * HAProxy never matches, and a pid reused by any other program does not either.
 */
public final class HaproxyProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyProcesses.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final HaproxySettings settings;
    private final HostShell shell;
    private final HostView host;
    private final RuntimeApi runtime;

    /**
     * @param settings the driver's settings (programs, timeouts)
     * @param shell how commands run
     * @param host where processes are looked up
     * @param runtime the stats socket, asked whether a new process serves
     */
    public HaproxyProcesses(HaproxySettings settings, HostShell shell, HostView host, RuntimeApi runtime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.host = Objects.requireNonNull(host, "host");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    // ------------------------------------------------------------------ which processes are ours

    /**
     * Whether a process is an HAProxy of this instance: the only test of "our process" in the
     * driver.
     *
     * @param p the process
     * @param files the instance's files
     * @return whether its program is {@code haproxy} started with {@code -f files.config()}
     */
    public static boolean matches(HostView.ProcessInfo p, InstanceFiles files) {
        return p.isHaproxyWith(files.config());
    }

    /** Returns whether {@code pid} is a live HAProxy of this instance. */
    public boolean isOurs(long pid, InstanceFiles files) {
        return host.process(pid).filter(p -> matches(p, files)).isPresent();
    }

    /** Returns whether any process has that pid (zombies count as gone). */
    public boolean isAlive(long pid) {
        return host.process(pid).isPresent();
    }

    /** Returns the pid from the pid file when it is a live HAProxy of this instance. */
    public Optional<Long> running(InstanceFiles files) {
        return files.readPid().filter(p -> isOurs(p, files));
    }

    /** Returns the pids of live HAProxy processes of this instance: the pid file's first, then a scan. */
    public List<Long> all(InstanceFiles files) {
        Set<Long> pids = new LinkedHashSet<>();
        running(files).ifPresent(pids::add);
        for (HostView.ProcessInfo p : host.processes()) {
            if (matches(p, files)) {
                pids.add(p.pid());
            }
        }
        return new ArrayList<>(pids);
    }

    /**
     * Returns the instances that have an HAProxy running a configuration file of a state
     * directory ({@code STATE/<instance key>/haproxy.cfg}), whatever their ordinal.
     *
     * @param stateDir the state directory
     * @return the instances
     */
    public Set<InstanceId> instancesRunningUnder(Path stateDir) {
        Set<InstanceId> out = new LinkedHashSet<>();
        for (HostView.ProcessInfo p : host.processes()) {
            p.configArgument().map(Path::of).filter(c -> c.getParent() != null && stateDir.equals(c.getParent().getParent())
                    && c.getFileName().toString().equals("haproxy.cfg"))
                    .flatMap(c -> InstanceId.parse(c.getParent().getFileName().toString()))
                    .filter(i -> matches(p, InstanceFiles.of(stateDir, i)))
                    .ifPresent(out::add);
        }
        return out;
    }

    private List<Long> alive(List<Long> pids, InstanceFiles files) {
        return pids.stream().filter(p -> isOurs(p, files)).toList();
    }

    // ------------------------------------------------------------------ start

    /**
     * Returns the command that starts an instance's HAProxy in its namespace:
     * {@code [flock -s LOCK] nsenter --net=/run/netns/NS -- haproxy -D [-dW] -f CFG -p PID [-x SOCK -sf OLD]}
     * (the lock for an instance of an active/standby pair, see {@link InstanceFiles#haproxyLock()}).
     * HAProxy enters only the namespace's network namespace and stays in the host's mount
     * namespace.
     *
     * @param files the instance's files
     * @param namespace its namespace
     * @param replacing the process a reload replaces (passes the listening sockets over)
     * @param zeroWarning whether the start is also the configuration check ({@code -dW}: any
     *     warning is fatal), for a configuration that was not checked with {@code haproxy -dW -c}
     * @return the command
     */
    public Command startCommand(InstanceFiles files, String namespace, Optional<Long> replacing, boolean zeroWarning) {
        List<String> argv = new ArrayList<>();
        if (settings.ha().activeStandby()) {
            // a pair instance's HAProxy holds a shared lock for its whole life (inherited through
            // nsenter and the daemon's fork): its death watcher waits for an exclusive one
            argv.addAll(List.of(settings.ha().flockBinary(), "-s", files.haproxyLock().toString()));
        }
        argv.addAll(HostShell.enterNamespace(settings.nsenterBinary(), namespace));
        argv.addAll(List.of(settings.haproxyBinary(), "-D"));
        if (zeroWarning) {
            argv.add("-dW");
        }
        argv.addAll(List.of("-f", files.config().toString(), "-p", files.pidFile().toString()));
        replacing.ifPresent(old -> argv.addAll(List.of("-x", files.socket().toString(), "-sf", Long.toString(old))));
        return shell.command(argv);
    }

    /**
     * Runs a start command from {@link #startCommand} and waits until the pid file names a new
     * live HAProxy of this instance and its socket reports that pid.
     *
     * @param id the instance
     * @param files its files
     * @param start the command
     * @param replacing the process a reload replaces
     * @return the new process's pid
     */
    public long start(InstanceId id, InstanceFiles files, Command start, Optional<Long> replacing) {
        CommandResult r = shell.run(start);
        if (!r.isSuccess()) {
            throw new DriverException(replacing.isPresent() ? "the configuration change could not be applied"
                    : "the load balancer could not be started",
                    "HAProxy of instance " + id + " failed to start (exit " + r.exitCode() + "): " + HostShell.output(r), false);
        }
        return awaitReady(id, files, replacing);
    }

    private long awaitReady(InstanceId id, InstanceFiles files, Optional<Long> replacing) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        String last = "no pid file";
        while (true) {
            Optional<Long> pid = files.readPid();
            if (pid.isPresent() && !pid.equals(replacing)) {
                if (!isOurs(pid.get(), files)) {
                    last = "HAProxy " + pid.get() + " is not running";
                } else {
                    Optional<String> notServing = runtime.notServedBy(files.socket(), pid.get());
                    if (notServing.isEmpty()) {
                        return pid.get();
                    }
                    last = notServing.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DriverException("the load balancer did not start in time",
                        "HAProxy of instance " + id + " not ready after " + settings.startTimeout() + ": " + last, true);
            }
            HostShell.pause(POLL);
        }
    }

    /**
     * Checks a configuration with {@code haproxy -dW -c -f} (warnings fatal).
     *
     * @param config the file
     * @param tenantMessage the message of the {@link DriverException} thrown when it is rejected
     */
    public void check(Path config, String tenantMessage) {
        CommandResult r = shell.run(shell.command(settings.haproxyBinary(), "-dW", "-c", "-f", config.toString()));
        if (!r.isSuccess()) {
            throw new DriverException(tenantMessage, "haproxy -dW -c -f " + config + " rejected the configuration (exit "
                    + r.exitCode() + "): " + HostShell.output(r), false);
        }
    }

    // ------------------------------------------------------------------ stop

    /**
     * Stops every HAProxy of an instance gracefully: SIGUSR1 (soft stop), SIGTERM after
     * {@code stop_grace}, SIGKILL as the last resort, each only to processes that still match.
     *
     * @param id the instance
     * @param files its files
     * @throws DriverException (retryable) when a process survives SIGKILL
     */
    public void stop(InstanceId id, InstanceFiles files) {
        List<Long> pids = all(files);
        if (pids.isEmpty()) {
            return;
        }
        for (String signal : List.of("-USR1", "-TERM", "-KILL")) {
            List<Long> alive = alive(pids, files);
            if (alive.isEmpty()) {
                return;
            }
            if (signal.equals("-KILL")) {
                LOG.warn("instance {}: HAProxy {} ignored SIGUSR1 and SIGTERM; sending SIGKILL", id, alive);
            }
            List<String> argv = new ArrayList<>(List.of("kill", signal));
            alive.forEach(p -> argv.add(Long.toString(p)));
            shell.run(shell.command(argv));
            Duration wait = signal.equals("-USR1") ? settings.stopGrace() : Duration.ofSeconds(2);
            if (awaitGone(alive, files, wait)) {
                return;
            }
        }
        List<Long> left = alive(pids, files);
        if (!left.isEmpty()) {
            throw new DriverException("the load balancer could not be stopped",
                    "HAProxy processes " + left + " of instance " + id + " survived SIGKILL", true);
        }
    }

    private boolean awaitGone(List<Long> pids, InstanceFiles files, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!alive(pids, files).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            HostShell.pause(POLL);
        }
        return true;
    }
}

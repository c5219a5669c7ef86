package org.lbaas.driver.haproxy.internal.keepalived;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.AtomicFiles;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keepalived of one instance of an active/standby pair: its files in the instance's state
 * directory, the configuration check ({@code keepalived -t} inside the namespace, as HAProxy's
 * start checks its own), start, reload (SIGHUP), stop, the track file that tells keepalived
 * whether HAProxy runs, and the role file that keepalived's notify script writes on every state
 * change.
 *
 * <p>Files, all in the instance's directory: {@code keepalived.conf}, {@code keepalived.pid} and
 * {@code vrrp.pid} (keepalived's parent and VRRP child), {@code haproxy.down} (the track file:
 * {@code 0} while HAProxy runs, {@code 1} otherwise; keepalived watches it with inotify),
 * {@code notify.sh} (written by the driver, no model text in it) and {@code role} (one word,
 * {@code MASTER}, {@code BACKUP} or {@code FAULT}; its modification time is when it changed).
 * A keepalived process is this instance's only when its command line names this instance's
 * {@code keepalived.conf}.
 */
public final class KeepalivedProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(KeepalivedProcesses.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final HaproxySettings settings;
    private final HostShell shell;
    private final HostView host;

    /**
     * The VRRP role an instance's keepalived last reported.
     *
     * @param state {@code MASTER}, {@code BACKUP}, {@code FAULT} or {@code STOP}
     * @param since when it was reported (the role file's modification time)
     */
    public record Role(String state, Instant since) {
        public Role {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(since, "since");
        }

        /** Returns whether the instance holds the VIP. */
        public boolean master() {
            return state.equals("MASTER");
        }
    }

    /**
     * @param settings the driver's settings (programs, advert interval, timeouts)
     * @param shell how commands run
     * @param host where processes are looked up
     */
    public KeepalivedProcesses(HaproxySettings settings, HostShell shell, HostView host) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.host = Objects.requireNonNull(host, "host");
    }

    // ------------------------------------------------------------------ files

    /** Returns the configuration file of an instance. */
    public static Path config(InstanceFiles files) {
        return files.dir().resolve("keepalived.conf");
    }

    /** Returns the pid file of an instance's keepalived parent process. */
    public static Path pidFile(InstanceFiles files) {
        return files.dir().resolve("keepalived.pid");
    }

    static Path vrrpPidFile(InstanceFiles files) {
        return files.dir().resolve("vrrp.pid");
    }

    /** Returns the track file: {@code 0} while HAProxy runs. */
    public static Path trackFile(InstanceFiles files) {
        return files.dir().resolve("haproxy.down");
    }

    static Path notifyScript(InstanceFiles files) {
        return files.dir().resolve("notify.sh");
    }

    /** Returns the file keepalived's notify script writes the instance's state to. */
    public static Path roleFile(InstanceFiles files) {
        return files.dir().resolve("role");
    }

    /**
     * Returns the keepalived configuration of an instance plumbed with an HA link.
     *
     * @param id the instance, ordinal 0 or 1
     * @param files its files
     * @param net its network record, with an HA link
     * @return the configuration text
     */
    public String render(InstanceId id, InstanceFiles files, NetworkRecord net) {
        NetworkRecord.HaLink link = net.ha().orElseThrow(() -> new IllegalArgumentException("no HA link in " + net));
        KeepalivedConfig config = KeepalivedConfig.forPair(id, new HaPair(link.slot()), link.nsDevice(), address(link.vip()),
                net.nsDevice(), settings.ha().advertInterval(), trackFile(files), Optional.of(notifyScript(files)));
        return KeepalivedRenderer.render(config);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException("a recorded VIP is a literal: " + text, e);
        }
    }

    /**
     * Returns the role keepalived last reported for an instance.
     *
     * @param files the instance's files
     * @return the role; empty when keepalived has reported nothing (or the file is unreadable)
     */
    public Optional<Role> role(InstanceFiles files) {
        Path file = roleFile(files);
        try {
            Optional<String> text = AtomicFiles.read(file);
            if (text.isEmpty() || text.get().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Role(text.get().strip().toUpperCase(Locale.ROOT), Files.getLastModifiedTime(file).toInstant()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Tells keepalived whether the instance's HAProxy runs (the track file; a change faults or
     * clears the instance within an inotify event).
     *
     * @param files the instance's files
     * @param up whether HAProxy runs
     */
    public void haproxyUp(InstanceFiles files, boolean up) {
        Path file = trackFile(files);
        try {
            // written in place: keepalived reads the file on each inotify modify event
            Files.writeString(file, up ? "0\n" : "1\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw InstanceFiles.unreadable(file, e);
        }
    }

    /** Returns whether the track file says HAProxy runs. */
    public boolean trackedUp(InstanceFiles files) {
        try {
            return AtomicFiles.read(trackFile(files)).map(t -> t.strip().equals("0")).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ processes

    /** Returns whether a process is a keepalived of this instance (its {@code -f} is the instance's file). */
    private boolean matches(HostView.ProcessInfo p, InstanceFiles files) {
        List<String> argv = p.argv();
        if (argv.isEmpty()) {
            return false;
        }
        String program = argv.get(0);
        if (!program.substring(program.lastIndexOf('/') + 1).equals("keepalived")) {
            return false;
        }
        return p.configArgument().filter(c -> c.equals(config(files).toString())).isPresent();
    }

    /** Returns the pid of the instance's keepalived parent when it runs. */
    public Optional<Long> running(InstanceFiles files) {
        return readPid(pidFile(files)).filter(pid -> host.process(pid).filter(p -> matches(p, files)).isPresent());
    }

    /** Returns every live keepalived process of this instance (parent and VRRP child). */
    public List<Long> all(InstanceFiles files) {
        Set<Long> pids = new LinkedHashSet<>();
        running(files).ifPresent(pids::add);
        readPid(vrrpPidFile(files)).filter(pid -> host.process(pid).filter(p -> matches(p, files)).isPresent()).ifPresent(pids::add);
        for (HostView.ProcessInfo p : host.processes()) {
            if (matches(p, files)) {
                pids.add(p.pid());
            }
        }
        return new ArrayList<>(pids);
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return AtomicFiles.read(file).map(String::strip).filter(s -> s.matches("[0-9]{1,10}")).map(Long::parseLong);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes the instance's keepalived run its configuration: nothing when it runs with it, a
     * SIGHUP when the text changed, otherwise a check and a start (after removing a VIP a killed
     * keepalived left on the device: a fresh one starts as BACKUP and must not answer for the VIP).
     *
     * @param id the instance
     * @param files its files
     * @param net its network record, with an HA link
     * @return what was done: {@code unchanged}, {@code reloaded} or {@code started}
     */
    public String converge(InstanceId id, InstanceFiles files, NetworkRecord net) {
        String text = render(id, files, net);
        Path conf = config(files);
        Optional<String> current;
        try {
            current = AtomicFiles.read(conf);
        } catch (IOException e) {
            throw InstanceFiles.unreadable(conf, e);
        }
        Optional<Long> pid = running(files);
        if (pid.isPresent() && current.equals(Optional.of(text))) {
            return "unchanged";
        }
        writeFiles(files, text);
        check(id, files, net);
        if (pid.isPresent()) {
            shell.run(shell.command("kill", "-HUP", Long.toString(pid.get())));
            return "reloaded";
        }
        stop(id, files);
        removeStrayVip(net);
        // none of ours runs now: a pid file a killed keepalived left names a dead (or reused, or not
        // yet reaped) pid, and keepalived refuses to start ("daemon is already running") while that pid answers kill -0
        for (Path stale : List.of(roleFile(files), pidFile(files), vrrpPidFile(files))) {
            try {
                Files.deleteIfExists(stale);
            } catch (IOException e) {
                throw InstanceFiles.unreadable(stale, e);
            }
        }
        start(id, files, net);
        return "started";
    }

    private void writeFiles(InstanceFiles files, String config) {
        Path script = notifyScript(files);
        try {
            AtomicFiles.write(config(files), config);
            AtomicFiles.write(script, notifyScriptText(files));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            if (!Files.exists(trackFile(files))) {
                Files.writeString(trackFile(files), "1\n", StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw InstanceFiles.unreadable(files.dir(), e);
        }
    }

    /**
     * The notify script: keepalived runs it as {@code notify.sh INSTANCE <name> <state> <priority>};
     * it writes the state to the role file atomically. Paths are the driver's own (the state
     * directory holds only letters, digits and {@code _ . / + -}).
     */
    static String notifyScriptText(InstanceFiles files) {
        String role = roleFile(files).toString();
        return "#!/bin/sh\n"
                + "# lbaas haproxy-ns: keepalived runs this on every VRRP state change of this instance\n"
                + "printf '%s\\n' \"$3\" > '" + role + ".tmp' && mv -f '" + role + ".tmp' '" + role + "'\n";
    }

    private Command inNamespace(NetworkRecord net, List<String> args) {
        List<String> argv = new ArrayList<>(HostShell.enterNamespace(settings.nsenterBinary(), net.namespace()));
        argv.add(settings.ha().keepalivedBinary());
        argv.addAll(args);
        return shell.command(argv);
    }

    /** Checks the written configuration with {@code keepalived -t} inside the namespace. */
    private void check(InstanceId id, InstanceFiles files, NetworkRecord net) {
        CommandResult r = shell.run(inNamespace(net, KeepalivedRenderer.checkArguments(config(files))));
        if (!r.isSuccess()) {
            throw new DriverException("the load balancer's failover could not be configured",
                    "keepalived -t rejected the configuration of instance " + id + " (exit " + r.exitCode() + "): "
                            + HostShell.output(r), false);
        }
    }

    private void start(InstanceId id, InstanceFiles files, NetworkRecord net) {
        CommandResult r = shell.run(inNamespace(net,
                KeepalivedRenderer.startArguments(config(files), pidFile(files), vrrpPidFile(files))));
        if (!r.isSuccess()) {
            throw new DriverException("the load balancer's failover could not be started",
                    "keepalived of instance " + id + " failed to start (exit " + r.exitCode() + "): " + HostShell.output(r), false);
        }
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (running(files).isEmpty()) {
            if (System.nanoTime() > deadline) {
                // a keepalived of this instance that runs without its pid file would hold the VIP unseen
                stop(id, files);
                throw new DriverException("the load balancer's failover did not start in time",
                        "keepalived of instance " + id + " wrote no live pid to " + pidFile(files) + " within "
                                + settings.startTimeout(), true);
            }
            HostShell.pause(POLL);
        }
    }

    /**
     * Deletes the addresses a dead keepalived may have left (the VIP on its device, the HA link's
     * own virtual address on the link): a fresh keepalived starts as BACKUP and must not answer
     * for them. One {@code ip -force -batch}: an address that is not there is no error.
     */
    private void removeStrayVip(NetworkRecord net) {
        String vip = net.vip();
        NetworkRecord.HaLink link = net.ha().orElseThrow();
        String linkVip = new HaPair(link.slot()).linkVip().getHostAddress();
        CommandResult r = shell.run(shell.ipBatch(List.of("-n", net.namespace(), "-force"), List.of(
                "addr del " + vip + (vip.indexOf(':') >= 0 ? "/128" : "/32") + " dev " + net.nsDevice(),
                "addr del " + linkVip + "/" + HaPair.PREFIX_LENGTH + " dev " + link.nsDevice())));
        LOG.debug("stale VRRP addresses in {} removed ({})", net.namespace(), r.isSuccess() ? "both were there" : HostShell.output(r));
    }

    /**
     * Stops the instance's keepalived gracefully: SIGTERM (a MASTER then sends a priority-0 advert,
     * so the peer takes over at once, and removes the VIP), SIGKILL after {@code stop_grace}.
     *
     * @param id the instance
     * @param files its files
     * @throws DriverException (retryable) when a process survives SIGKILL
     */
    public void stop(InstanceId id, InstanceFiles files) {
        stop(id, files, true);
    }

    /**
     * Stops the instance's keepalived.
     *
     * @param id the instance
     * @param files its files
     * @param handOver whether a MASTER should hand the VIP to its peer (SIGTERM first: keepalived 2.2
     *     then takes about a second to exit, measured); without it (the whole pair goes away) SIGKILL
     *     at once: the addresses it held go with the namespace
     * @throws DriverException (retryable) when a process survives SIGKILL
     */
    public void stop(InstanceId id, InstanceFiles files, boolean handOver) {
        if (!Files.exists(config(files))) {
            // a keepalived of this instance is started only with this file, which goes only with the
            // directory, after the stop: none can run, and every teardown of a single-topology
            // instance is spared a look through every process of the host
            return;
        }
        List<Long> pids = all(files);
        for (String signal : handOver ? List.of("-TERM", "-KILL") : List.of("-KILL")) {
            List<Long> alive = alive(pids, files);
            if (alive.isEmpty()) {
                return;
            }
            List<String> argv = new ArrayList<>(List.of("kill", signal));
            alive.forEach(p -> argv.add(Long.toString(p)));
            shell.run(shell.command(argv));
            long deadline = System.nanoTime() + (signal.equals("-TERM") ? settings.stopGrace() : Duration.ofSeconds(2)).toNanos();
            // only the processes found before: a look through /proc per poll would cost a scan of the host each time
            while (!alive(pids, files).isEmpty() && System.nanoTime() < deadline) {
                HostShell.pause(POLL);
            }
        }
        List<Long> left = alive(pids, files);
        if (!left.isEmpty()) {
            throw new DriverException("the load balancer could not be stopped",
                    "keepalived processes " + left + " of instance " + id + " survived SIGKILL", true);
        }
    }

    private List<Long> alive(List<Long> pids, InstanceFiles files) {
        return pids.stream().filter(pid -> host.process(pid).filter(p -> matches(p, files)).isPresent()).toList();
    }
}

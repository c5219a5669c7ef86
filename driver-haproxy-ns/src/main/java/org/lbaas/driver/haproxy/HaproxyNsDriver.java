package org.lbaas.driver.haproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.lbaas.driver.haproxy.internal.AtomicFiles;
import org.lbaas.driver.haproxy.internal.ConfigRenderer;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.haproxy.internal.iface.InterfaceDriver;
import org.lbaas.driver.haproxy.internal.iface.Plumbing;
import org.lbaas.driver.haproxy.internal.iface.Port;
import org.lbaas.driver.haproxy.internal.runtime.Counters;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.haproxy.internal.runtime.RuntimePlan;
import org.lbaas.driver.haproxy.internal.runtime.StatCsv;
import org.lbaas.driver.haproxy.internal.runtime.StatRow;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandFailedException;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.CommandStartException;
import org.lbaas.driver.spi.shell.CommandTimeoutException;
import org.lbaas.driver.spi.shell.ShellException;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code haproxy-ns} driver: one daemon-mode HAProxy per load balancer instance, inside the
 * instance's own network namespace, with its VIP plugged by an {@link InterfaceDriver}.
 *
 * <p>How each operation works (the unit tests pin the exact command sequences):
 * <ul>
 *   <li><b>deploy</b>: owner-only state directory; configuration written atomically; one
 *       {@code ip -batch -} in the root namespace (namespace, device), one {@code ip -n NS -batch -}
 *       inside it (lo, address, link, default route); IPv6 DAD wait; gratuitous ARP;
 *       {@code nsenter --net=/run/netns/NS -- haproxy -D -dW -f cfg -p pid}; ready when the socket reports
 *       the pid of the pid file. HAProxy enters only the namespace's network namespace and stays in the
 *       host's mount namespace: {@code ip netns exec} would give each HAProxy a private mount namespace
 *       holding a copy of every {@code /run/netns} mount, so that every namespace added or deleted
 *       propagates into all of them (cost growing with the square of the number of instances).
 *       There is no separate {@code haproxy -c} here: {@code -D -dW} parses and checks the
 *       configuration (warnings fatal, as with {@code -dW -c}) before it binds or forks, and a
 *       rejection is undone like any other failure. Any failure undoes what was done, in reverse.</li>
 *   <li><b>update</b>: identical rendering: nothing. Only member lines changed: runtime API
 *       ({@link RuntimePlan}), then the file is replaced so a later reload changes nothing.
 *       Otherwise: check, then (in the namespace, as above) {@code haproxy -D -f cfg -p pid -x sock
 *       -sf OLD} (listening sockets passed over, old process finishes its connections); on failure
 *       the last good file is restored and the old process keeps serving.</li>
 *   <li><b>remove</b>: SIGUSR1 (soft stop), SIGTERM after {@code stop_grace}, SIGKILL as the last
 *       resort, only to processes whose command line is HAProxy with this instance's file; then
 *       unplug, delete the namespace and the state directory. Works on any leftover, idempotent.</li>
 *   <li><b>observe</b>: {@code show stat -1 6 -1}, counters of replaced processes added; empty (not
 *       running) when the HAProxy is not ours or its namespace is gone.</li>
 *   <li><b>reconcile</b>: adopts instances that run and match, repairs the others, removes
 *       every instance of its own that is not desired, and reports namespaces with the prefix that its
 *       state directory did not record as foreign, without touching them.</li>
 *   <li><b>ownership</b>: an instance is this driver's only through its state directory: the
 *       instance's network record, written before the namespace and device are created and deleted
 *       after they are gone (so a driver killed between any two steps leaves a record a new driver
 *       recognises), and HAProxy processes started with a configuration file inside it. A
 *       {@code network.done} marker, written once plumbing succeeded, tells a half-built namespace
 *       (rebuilt) from a finished one.</li>
 *   <li><b>probe</b>: reads files only (record, pid file, {@code /run/netns}, {@code /sys/class/net},
 *       {@code /proc/PID/stat}); <b>repair</b> converges one instance as reconcile does.</li>
 * </ul>
 */
final class HaproxyNsDriver implements LoadBalancerDriver {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyNsDriver.class);

    /** The most members in one pool. */
    static final int MAX_MEMBERS = 1000;
    /**
     * The most monitors on one pool: the renderer combines every admin-up monitor into one check
     * sequence per server; ten keeps that sequence (and each check's duration) reasonable.
     */
    static final int MAX_MONITORS = 10;
    /** Connections the global maxconn keeps above the frontend's for the stats socket (as the renderer does). */
    private static final int ADMIN_HEADROOM = 16;
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEL_SERVER_PATIENCE = Duration.ofSeconds(3);
    /** Where {@code ip netns add} leaves the namespace files that {@code nsenter --net=} opens. */
    private static final String NETNS_DIR = "/run/netns";
    /** What a recorded namespace name may hold before it reaches an {@code ip} command. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final HaproxySettings settings;
    private final ShellExecutor shell;
    private final ConfigRenderer renderer;
    private final InterfaceDriver iface;
    private final HostView host;
    private final RuntimeClient runtime;
    private final Optional<String> arping;
    private final Capabilities capabilities;
    private final Map<InstanceId, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<InstanceId, RawSnapshot> lastRaw = new ConcurrentHashMap<>();
    private final Map<InstanceId, PoolStats> lastReported = new ConcurrentHashMap<>();
    /** probe's memory: what was read last from each instance's files and /proc, to skip unchanged reads. */
    private final Map<InstanceId, ProbeCache> probeCache = new ConcurrentHashMap<>();
    private final Object poolLock = new Object();
    private ExecutorService observers;
    private volatile boolean closed;

    /**
     * What probe read last for an instance: the network record and pid file as of their
     * modification times, and the pid and start time of a process whose command line was checked.
     */
    private record ProbeCache(Object recordKey, Optional<NetworkRecord> record, Object pidKey, Optional<Long> pid,
                              long verifiedPid, long verifiedStart) {
    }

    /** What the running process of an instance counted last time it was read. */
    private record RawSnapshot(long pid, PoolStats raw) {
    }

    HaproxyNsDriver(HaproxySettings settings, ShellExecutor shell, ConfigRenderer renderer,
                    InterfaceDriver iface, HostView host, RuntimeClient runtime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.iface = Objects.requireNonNull(iface, "iface");
        this.host = Objects.requireNonNull(host, "host");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.arping = switch (settings.arpingBinary()) {
            case "none" -> Optional.empty();
            case "auto" -> host.findOnPath("arping").map(Path::toString);
            default -> Optional.of(settings.arpingBinary());
        };
        int maxLimit = settings.maxConnectionLimit().orElseGet(() -> {
            // two descriptors per connection, one per checked server, 3 per thread, 2 listeners, a reserve
            long hard = Math.min(host.openFilesHardLimit(), Integer.MAX_VALUE);
            return (int) Math.max(1, (hard - 64 - 3L * settings.nbthread() - MAX_MEMBERS - 2) / 2 - ADMIN_HEADROOM);
        });
        this.capabilities = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                EnumSet.allOf(PersistenceType.class), EnumSet.of(MonitorType.TCP, MonitorType.HTTP, MonitorType.HTTPS),
                MAX_MEMBERS, MAX_MONITORS, maxLimit, true);
        if (arping.isEmpty() && !settings.arpingBinary().equals("none")) {
            LOG.debug("arping not found: IPv4 VIPs are plumbed without a gratuitous ARP");
        }
    }

    HaproxySettings settings() {
        return settings;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ------------------------------------------------------------------ apply

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(desired, "desired");
        checkOpen();
        previous.filter(p -> !p.id().equals(desired.id())).ifPresent(p -> {
            throw new IllegalArgumentException("previous and desired describe different pools: " + p.id() + ", " + desired.id());
        });
        InstanceId id = instance(desired.id());
        return locked(id, () -> {
            if (!desired.isDeployable()) {
                boolean existed = teardown(id, false);
                return new ApplyResult(ApplyResult.Action.UNDEPLOYED, existed ? "stopped and removed" : "nothing ran");
            }
            return converge(id, desired, false);
        });
    }

    /**
     * Makes one instance serve {@code lb}: nothing, runtime API, reload, restart or full deploy,
     * whichever is the least that reaches the desired state from what is found on the host.
     */
    private ApplyResult converge(InstanceId id, LoadBalancer lb, boolean probeSocket) {
        InstanceFiles files = files(id);
        String config = render(lb, files);
        NetworkRecord wanted = networkRecord(id, lb.vip().orElseThrow(), lb);
        Optional<NetworkRecord> have = readNetwork(files);
        Optional<Long> pid = runningPid(files);
        // plumbing finished: the marker written after the last plumbing step, or (state directories
        // from before the marker) an HAProxy of ours, which is started only after plumbing finished
        boolean networkIntact = have.isPresent() && have.get().equals(wanted) && networkPresent(wanted)
                && (pid.isPresent() || Files.exists(files.plumbed()));
        if (pid.isPresent() && probeSocket && !answers(files, pid.get())) {
            LOG.warn("instance {}: HAProxy {} runs but its socket does not answer; restarting it", id, pid.get());
            stopProcesses(id, files);
            pid = Optional.empty();
        }
        if (pid.isPresent() && networkIntact) {
            String current = readText(files.config()).orElse("");
            if (current.equals(config)) {
                return ApplyResult.of(ApplyResult.Action.UNCHANGED);
            }
            Optional<RuntimePlan> plan = RuntimePlan.plan(current, config);
            if (plan.isPresent()) {
                Optional<String> refused = applyRuntime(id, files, plan.get());
                if (refused.isEmpty()) {
                    writeConfig(files.config(), config);
                    snapshotGood(files);
                    return new ApplyResult(ApplyResult.Action.CHANGED_IN_PLACE,
                            plan.get().commands().size() + " runtime API command(s)");
                }
                LOG.info("instance {}: runtime API refused ({}); reloading instead", id, refused.get());
                reload(id, files, config, pid.get());
                return new ApplyResult(ApplyResult.Action.RELOADED, "runtime API refused: " + refused.get());
            }
            reload(id, files, config, pid.get());
            return ApplyResult.of(ApplyResult.Action.RELOADED);
        }
        if (pid.isEmpty() && networkIntact) {
            restart(id, files, wanted, config);
            return new ApplyResult(ApplyResult.Action.DEPLOYED, "restarted HAProxy in the existing namespace");
        }
        boolean leftovers = teardown(id, probeSocket);
        deploy(id, files, wanted, config);
        return new ApplyResult(ApplyResult.Action.DEPLOYED, leftovers ? "removed leftovers and deployed" : "");
    }

    private String render(LoadBalancer lb, InstanceFiles files) {
        try {
            return renderer.render(lb, files);
        } catch (RuntimeException e) {
            throw new DriverException("the load balancer's configuration could not be built",
                    "rendering the HAProxy configuration of pool " + lb.id() + " failed: " + e, false, e);
        }
    }

    private NetworkRecord networkRecord(InstanceId id, Vip vip, LoadBalancer lb) {
        String ns = namespace(id);
        String address = IpAddresses.toText(vip.address());
        String gateway = lb.subnet().gateway().map(IpAddresses::toText).orElse("");
        if (!iface.createsDevice()) {
            return new NetworkRecord(iface.kind(), "", ns, vip.portId(), "lo", "", "", address,
                    lb.subnet().ipVersion() == 4 ? 32 : 128, "");
        }
        Port port = Port.of(id, vip.portId(), ns);
        return new NetworkRecord(iface.kind(), settings.bridge(), ns, vip.portId(), port.nsDevice(),
                iface.kind().equals("linuxbridge") ? port.hostDevice() : "", port.mac(), address,
                lb.subnet().cidr().prefixLength(), gateway);
    }

    private boolean networkPresent(NetworkRecord net) {
        if (!host.namespaceExists(net.namespace())) {
            return false;
        }
        return net.hostDevice().isEmpty() || host.deviceExists(net.hostDevice());
    }

    // ------------------------------------------------------------------ deploy

    private void deploy(InstanceId id, InstanceFiles files, NetworkRecord net, String config) {
        if (host.namespaceExists(net.namespace())) {
            // our own leftovers were torn down just before: whatever still has this name was not made by us
            throw new DriverException("the load balancer's network namespace is already used by another deployment",
                    "namespace " + net.namespace() + " exists but " + settings.stateDir() + " has no record of creating it "
                            + "(another state directory, a 'lbaas serve' or another v1-style tool owns it); it was left untouched",
                    false);
        }
        Rollback rollback = new Rollback(id);
        try {
            rollback.push("remove state directory", () -> deleteTree(files.dir()));
            ownerOnlyDirectory(files.dir());
            writeConfig(files.config(), config);
            // intent first: the record names the namespace and device before they exist, so a driver
            // killed at any later step leaves something a new driver recognises as its own
            writeText(files.network(), net.toText());
            plumb(id, net, rollback);
            writeText(files.plumbed(), "plumbing of " + net.namespace() + " finished\n");
            rollback.push("stop HAProxy", () -> stopProcesses(id, files));
            // no separate 'haproxy -c' (a process start as long as HAProxy's own): -dW makes the
            // start itself refuse the configuration on any warning, before it binds or forks
            start(id, files, net, Optional.empty(), true);
            snapshotGood(files);
            lastReported.remove(id);
            lastRaw.remove(id);
        } catch (RuntimeException e) {
            rollback.run(e);
            throw asDriverException(e, "the load balancer could not be deployed", "deploying instance " + id);
        }
    }

    /** Creates the namespace and the VIP's device, addresses it and routes it. */
    private void plumb(InstanceId id, NetworkRecord net, Rollback rollback) {
        String ns = net.namespace();
        Optional<Port> port = port(id, net);
        Plumbing plug = port.map(iface::plug).orElse(Plumbing.NONE);
        Plumbing unplug = port.map(iface::unplug).orElse(Plumbing.NONE);
        rollback.push("remove namespace and device", () -> {
            for (Command c : unplug.before()) {
                run(c);
            }
            List<String> lines = new ArrayList<>(unplug.rootBatch());
            lines.add("netns del " + ns);
            run(ipBatch(List.of("-force"), lines));
            for (Command c : unplug.after()) {
                run(c);
            }
        });
        for (Command c : plug.before()) {
            require(c);
        }
        List<String> root = new ArrayList<>();
        root.add("netns add " + ns);
        root.addAll(plug.rootBatch());
        require(ipBatch(List.of(), root));
        List<String> inside = new ArrayList<>();
        inside.add("link set lo up");
        boolean dadWait = net.ipv6() && settings.ipv6Dad() == HaproxySettings.Ipv6Dad.WAIT && iface.createsDevice();
        String suffix = net.ipv6() ? (dadWait ? "" : " nodad") : " brd +";
        if (!iface.createsDevice()) {
            suffix = net.ipv6() ? " nodad" : "";
        }
        inside.add("addr add " + net.address() + "/" + net.prefixLength() + " dev " + net.nsDevice() + suffix);
        if (iface.createsDevice()) {
            inside.add("link set " + net.nsDevice() + " up");
            if (!net.gateway().isEmpty()) {
                inside.add("route replace " + (net.ipv6() ? "::/0" : "0.0.0.0/0") + " via " + net.gateway() + " dev " + net.nsDevice());
            }
        }
        require(ipBatch(List.of("-n", ns), inside));
        for (Command c : plug.after()) {
            require(c);
        }
        if (dadWait) {
            awaitDad(ns, net.nsDevice());
        }
        if (!net.ipv6() && iface.createsDevice()) {
            gratuitousArp(ns, net);
        }
    }

    private Optional<Port> port(InstanceId id, NetworkRecord net) {
        return iface.createsDevice() ? Optional.of(Port.of(id, net.portId(), net.namespace())) : Optional.empty();
    }

    private void awaitDad(String ns, String device) {
        long deadline = System.nanoTime() + settings.ipv6DadTimeout().toNanos();
        while (true) {
            String out = require(cmd(settings.ipBinary(), "-n", ns, "-6", "-o", "addr", "show", "dev", device, "scope", "global")).stdout();
            if (out.contains("dadfailed")) {
                throw new DriverException("the load balancer's address is already in use on its network",
                        "IPv6 duplicate address detection failed in " + ns + " on " + device + ": " + out.strip(), false);
            }
            if (!out.contains("tentative")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DriverException("the load balancer's address could not be brought up in time",
                        "IPv6 DAD still tentative after " + settings.ipv6DadTimeout() + " in " + ns + " on " + device, true);
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private void gratuitousArp(String ns, NetworkRecord net) {
        if (arping.isEmpty()) {
            LOG.debug("no arping: skipping the gratuitous ARP for {} in {}", net.address(), ns);
            return;
        }
        try {
            CommandResult r = run(cmd(settings.ipBinary(), "netns", "exec", ns, arping.get(), "-U", "-I", net.nsDevice(),
                    "-c", "1", "-w", "1", net.address()).withTimeout(Duration.ofSeconds(5)));
            if (!r.isSuccess()) {
                LOG.warn("gratuitous ARP for {} in {} failed (exit {}): {}", net.address(), ns, r.exitCode(), r.stderr().strip());
            }
        } catch (ShellException e) {
            LOG.warn("gratuitous ARP for {} in {} failed: {}", net.address(), ns, e.getMessage());
        }
    }

    /** Starts HAProxy in the namespace ({@code -sf} with the old pid for a reload) and waits until it serves. */
    private long start(InstanceId id, InstanceFiles files, NetworkRecord net, Optional<Long> replacing) {
        return start(id, files, net, replacing, false);
    }

    /**
     * Starts HAProxy in the namespace and waits until it serves; with {@code zeroWarning} the start
     * is also the configuration check ({@code -dW}: any warning is fatal), for a configuration that
     * was not checked with {@code haproxy -dW -c} before.
     */
    private long start(InstanceId id, InstanceFiles files, NetworkRecord net, Optional<Long> replacing, boolean zeroWarning) {
        List<String> argv = new ArrayList<>(List.of(settings.nsenterBinary(), "--net=" + NETNS_DIR + "/" + net.namespace(),
                "--", settings.haproxyBinary(), "-D"));
        if (zeroWarning) {
            argv.add("-dW");
        }
        argv.addAll(List.of("-f", files.config().toString(), "-p", files.pidFile().toString()));
        replacing.ifPresent(old -> argv.addAll(List.of("-x", files.socket().toString(), "-sf", Long.toString(old))));
        CommandResult r = run(Command.of(argv).withTimeout(settings.commandTimeout()));
        if (!r.isSuccess()) {
            throw new DriverException(replacing.isPresent() ? "the configuration change could not be applied"
                    : "the load balancer could not be started",
                    "HAProxy of instance " + id + " failed to start (exit " + r.exitCode() + "): " + output(r), false);
        }
        return awaitReady(id, files, replacing);
    }

    /** Waits until the pid file names a new live HAProxy of ours and its socket reports that pid. */
    private long awaitReady(InstanceId id, InstanceFiles files, Optional<Long> replacing) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        String last = "no pid file";
        while (true) {
            Optional<Long> pid = readPid(files.pidFile());
            if (pid.isPresent() && !pid.equals(replacing)) {
                if (!isOurHaproxy(pid.get(), files)) {
                    last = "HAProxy " + pid.get() + " is not running";
                } else {
                    try {
                        String info = runtime.execute(files.socket(), "show info", SOCKET_TIMEOUT);
                        if (info.lines().anyMatch(l -> l.equals("Pid: " + pid.get()))) {
                            return pid.get();
                        }
                        last = "socket answered for another process";
                    } catch (IOException e) {
                        last = "socket: " + e.getMessage();
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DriverException("the load balancer did not start in time",
                        "HAProxy of instance " + id + " not ready after " + settings.startTimeout() + ": " + last, true);
            }
            sleep(POLL);
        }
    }

    /** Restarts a crashed HAProxy whose namespace and device are intact. */
    private void restart(InstanceId id, InstanceFiles files, NetworkRecord net, String config) {
        Optional<Long> deadPid = readPid(files.pidFile());
        stopProcesses(id, files);
        RawSnapshot before = lastRaw.remove(id);
        if (before != null && deadPid.isPresent() && before.pid() == deadPid.get()) {
            Counters.carry(files.counters(), before.raw());
        }
        // nothing serves, so nothing is at risk: as at deploy, the start itself checks the
        // configuration (-dW, warnings fatal) instead of a separate 'haproxy -c' that took as long
        // as the start (a repair took twice a deploy's time)
        writeConfig(files.config(), config);
        try {
            start(id, files, net, Optional.empty(), true);
        } catch (RuntimeException e) {
            restoreGood(files);
            throw e;
        }
        snapshotGood(files);
    }

    // ------------------------------------------------------------------ update

    /** Runs a runtime plan; returns the refusal that makes a reload necessary, if any. */
    private Optional<String> applyRuntime(InstanceId id, InstanceFiles files, RuntimePlan plan) {
        for (int i = 0; i < plan.commands().size(); i++) {
            String command = plan.commands().get(i);
            String expected = plan.expectations().get(i);
            long patience = command.startsWith("del server ") ? System.nanoTime() + DEL_SERVER_PATIENCE.toNanos() : 0;
            while (true) {
                String answer;
                try {
                    answer = runtime.execute(files.socket(), command, SOCKET_TIMEOUT).strip();
                } catch (IOException e) {
                    return Optional.of("'" + command + "': " + e.getMessage());
                }
                if (answer.equals(expected)) {
                    break;
                }
                if (System.nanoTime() < patience) {
                    sleep(Duration.ofMillis(50));
                    continue;
                }
                return Optional.of("'" + command + "': " + answer);
            }
        }
        LOG.debug("instance {}: applied {} runtime command(s)", id, plan.commands().size());
        return Optional.empty();
    }

    private void reload(InstanceId id, InstanceFiles files, String config, long oldPid) {
        writeCandidate(files, config);
        try {
            check(files.candidateConfig(), "the configuration change was rejected");
        } catch (RuntimeException e) {
            deleteQuietly(files.candidateConfig());
            throw e;
        }
        Optional<PoolStats> before = readRaw(files);
        snapshotGood(files);
        move(files.candidateConfig(), files.config());
        NetworkRecord net = readNetwork(files).orElseThrow();
        try {
            start(id, files, net, Optional.of(oldPid));
        } catch (RuntimeException e) {
            restoreGood(files);
            if (host.process(oldPid).isEmpty()) {
                LOG.error("instance {}: the reload failed and the old HAProxy {} is gone", id, oldPid);
            }
            throw asDriverException(e, "the configuration change could not be applied", "reloading instance " + id);
        }
        before.ifPresent(b -> Counters.carry(files.counters(), b));
        lastRaw.remove(id);
        snapshotGood(files);
    }

    private void restoreGood(InstanceFiles files) {
        try {
            if (Files.exists(files.goodConfig())) {
                Path tmp = files.dir().resolve(".restore.tmp");
                Files.copy(files.goodConfig(), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.move(tmp, files.config());
            }
        } catch (IOException e) {
            LOG.error("cannot restore {} from {}: {}", files.config(), files.goodConfig(), e.toString());
        }
    }

    // ------------------------------------------------------------------ remove

    @Override
    public void remove(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        InstanceId id = instance(poolId);
        locked(id, () -> teardown(id, true));
    }

    /**
     * Removes everything of an instance that exists: processes, device, namespace, state
     * directory. Returns whether anything existed.
     *
     * <p>With {@code findStrays} false (the apply path), an instance with neither a state
     * directory nor a namespace counts as absent without a look through {@code /proc}: the driver
     * starts an instance's HAProxy only after both exist and removes both only after its processes
     * are gone, so a process without either was left by something else, and finding those is
     * reconcile's and remove's job. That look reads every process on the host and cost 30 to 140 ms
     * per call with 1000 load balancers (measured), and the service applies every change of a pool,
     * VIP or not: five times per load balancer created.
     */
    private boolean teardown(InstanceId id, boolean findStrays) {
        InstanceFiles files = files(id);
        Optional<NetworkRecord> net = readNetwork(files).filter(n -> NAME.matcher(n.namespace()).matches());
        boolean dirExists = Files.exists(files.dir());
        if (!dirExists && !findStrays) {
            return false;
        }
        List<Long> pids = ourProcesses(files);
        if (!dirExists && pids.isEmpty()) {
            return false;
        }
        try {
            stopProcesses(id, files);
            // only what the record names: a namespace or device this state directory did not record is not ours
            Optional<String> ns = net.map(NetworkRecord::namespace);
            Optional<Port> port = net.filter(n -> !n.interfaceKind().equals("noop")).map(n -> Port.of(id, n.portId(), n.namespace()));
            InterfaceDriver recorded = net.map(n -> driverFor(n)).orElse(iface);
            Plumbing unplug = port.map(recorded::unplug).orElse(Plumbing.NONE);
            for (Command c : unplug.before()) {
                require(c);
            }
            List<String> lines = new ArrayList<>();
            if (port.isPresent() && host.deviceExists(port.get().hostDevice())) {
                lines.addAll(unplug.rootBatch());
            }
            if (ns.isPresent() && host.namespaceExists(ns.get())) {
                lines.add("netns del " + ns.get());
            }
            if (!lines.isEmpty()) {
                CommandResult r = run(ipBatch(List.of("-force"), lines));
                if (!r.isSuccess()) {
                    LOG.debug("teardown batch of {} reported: {}", id, output(r));
                }
            }
            for (Command c : unplug.after()) {
                require(c);
            }
            if (ns.isPresent() && host.namespaceExists(ns.get())) {
                // the record (and so the ownership) stays until the namespace is gone
                throw new DriverException("the load balancer could not be removed completely",
                        "namespace " + ns.get() + " is still there after 'ip netns del'", true);
            }
            deleteTree(files.dir());
            lastRaw.remove(id);
            lastReported.remove(id);
            probeCache.remove(id);
            return true;
        } catch (RuntimeException e) {
            throw asDriverException(e, "the load balancer could not be removed completely", "removing instance " + id);
        }
    }

    private InterfaceDriver driverFor(NetworkRecord net) {
        if (net.interfaceKind().equals(iface.kind()) && net.bridge().equals(settings.bridge())) {
            return iface;
        }
        if (!net.bridge().matches("[A-Za-z0-9_.-]{1,15}")) {
            return iface;
        }
        return switch (net.interfaceKind()) {
            case "linuxbridge" -> InterfaceDriver.linuxBridge(net.bridge());
            case "ovs" -> InterfaceDriver.openVswitch(net.bridge(), Path.of(settings.ovsVsctlBinary()));
            default -> InterfaceDriver.noop();
        };
    }

    /** The pids of live HAProxy processes started with this instance's configuration file. */
    private List<Long> ourProcesses(InstanceFiles files) {
        Set<Long> pids = new LinkedHashSet<>();
        readPid(files.pidFile()).filter(p -> isOurHaproxy(p, files)).ifPresent(pids::add);
        for (HostView.ProcessInfo p : host.processes()) {
            if (p.isHaproxyWith(files.config())) {
                pids.add(p.pid());
            }
        }
        return new ArrayList<>(pids);
    }

    /** Graceful stop: SIGUSR1, then SIGTERM after the grace, SIGKILL as the last resort. */
    private void stopProcesses(InstanceId id, InstanceFiles files) {
        List<Long> pids = ourProcesses(files);
        if (pids.isEmpty()) {
            return;
        }
        for (String signal : List.of("-USR1", "-TERM", "-KILL")) {
            List<Long> alive = pids.stream().filter(p -> isOurHaproxy(p, files)).toList();
            if (alive.isEmpty()) {
                return;
            }
            if (signal.equals("-KILL")) {
                LOG.warn("instance {}: HAProxy {} ignored SIGUSR1 and SIGTERM; sending SIGKILL", id, alive);
            }
            List<String> argv = new ArrayList<>(List.of("kill", signal));
            alive.forEach(p -> argv.add(Long.toString(p)));
            run(Command.of(argv).withTimeout(settings.commandTimeout()));
            Duration wait = signal.equals("-USR1") ? settings.stopGrace() : Duration.ofSeconds(2);
            if (awaitGone(alive, files, wait)) {
                return;
            }
        }
        List<Long> left = pids.stream().filter(p -> isOurHaproxy(p, files)).toList();
        if (!left.isEmpty()) {
            throw new DriverException("the load balancer could not be stopped",
                    "HAProxy processes " + left + " of instance " + id + " survived SIGKILL", true);
        }
    }

    private boolean awaitGone(List<Long> pids, InstanceFiles files, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean any = pids.stream().anyMatch(p -> isOurHaproxy(p, files));
            if (!any) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(POLL);
        }
    }

    // ------------------------------------------------------------------ observe

    @Override
    public Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        InstanceId id = instance(poolId);
        InstanceFiles files = files(id);
        Optional<Long> pid = runningPid(files);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        if (!host.namespaceExists(readNetwork(files).map(NetworkRecord::namespace).orElse(namespace(id)))) {
            // an HAProxy whose namespace was deleted under it still answers on its socket, but it
            // is not the load balancer as deployed (nothing can reload it there): not running
            return Optional.empty();
        }
        String csv;
        try {
            csv = runtime.execute(files.socket(), "show stat -1 6 -1", SOCKET_TIMEOUT);
        } catch (IOException e) {
            throw new DriverException("the load balancer's statistics could not be read",
                    "reading show stat from " + files.socket() + " failed: " + e.getMessage(), true, e);
        }
        List<StatRow> rows;
        try {
            rows = StatCsv.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new DriverException("the load balancer's statistics could not be read",
                    "unexpected answer to show stat from " + files.socket() + ": " + e.getMessage(), true, e);
        }
        PoolStats raw = PoolStats.ZERO;
        boolean backendSeen = false;
        Map<UUID, MemberHealth> health = new HashMap<>();
        for (StatRow row : rows) {
            if (row.isBackend()) {
                backendSeen = true;
                raw = raw.plus(new PoolStats(row.counter("bin"), row.counter("bout"), row.counter("scur"), row.counter("stot")));
            } else if (row.isServer()) {
                parseUuid(row.service()).ifPresent(m -> health.put(m, StatCsv.health(row)));
            }
        }
        if (!backendSeen) {
            // a disabled backend (pool admin down) disappears from show stat: its counters stand still
            RawSnapshot last = lastRaw.get(id);
            raw = last != null && last.pid() == pid.get()
                    ? new PoolStats(last.raw().bytesIn(), last.raw().bytesOut(), 0, last.raw().totalConnections()) : raw;
        }
        lastRaw.put(id, new RawSnapshot(pid.get(), raw));
        PoolStats stats = Counters.read(files.counters()).plus(raw);
        PoolStats previous = lastReported.put(id, stats);
        boolean reset = previous != null && (stats.bytesIn() < previous.bytesIn() || stats.bytesOut() < previous.bytesOut()
                || stats.totalConnections() < previous.totalConnections());
        return Optional.of(new Observation(stats, health, reset));
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        Objects.requireNonNull(poolIds, "poolIds");
        checkOpen();
        List<UUID> ids = List.copyOf(new LinkedHashSet<>(poolIds));
        if (ids.size() <= 1) {
            return LoadBalancerDriver.super.observeAll(ids);
        }
        ExecutorService pool = observerPool();
        List<Future<Optional<Observation>>> futures = new ArrayList<>();
        for (UUID id : ids) {
            futures.add(pool.submit(() -> observe(id)));
        }
        Map<UUID, Observation> out = new LinkedHashMap<>();
        DriverException failure = null;
        for (int i = 0; i < ids.size(); i++) {
            try {
                Optional<Observation> o = futures.get(i).get();
                UUID id = ids.get(i);
                o.ifPresent(obs -> out.put(id, obs));
            } catch (ExecutionException e) {
                DriverException d = asDriverException(e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()),
                        "the load balancer's statistics could not be read", "observing pool " + ids.get(i));
                if (failure == null) {
                    failure = d;
                } else {
                    failure.addSuppressed(d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new DriverException("statistics could not be read", "interrupted while observing", true, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private ExecutorService observerPool() {
        synchronized (poolLock) {
            if (observers == null) {
                AtomicInteger n = new AtomicInteger();
                observers = Executors.newFixedThreadPool(settings.observeParallelism(), r -> {
                    Thread t = new Thread(r, "lbaas-haproxy-observe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return observers;
        }
    }

    // ------------------------------------------------------------------ probe and repair

    /**
     * Checks, without a shell command and without a scan of the host, for each id: its network
     * record, its namespace ({@code /run/netns/NAME}), its host-side device, and that the pid in
     * its pid file is a live HAProxy started with its configuration file (so an exited process,
     * a zombie, or a pid reused by another program is reported). An instance whose lock is held
     * (an apply, remove or repair in progress) is skipped: it cannot be judged mid-change.
     */
    @Override
    public Map<UUID, String> probe(Collection<UUID> poolIds) {
        Objects.requireNonNull(poolIds, "poolIds");
        checkOpen();
        Map<UUID, String> out = new LinkedHashMap<>();
        for (UUID poolId : new LinkedHashSet<>(poolIds)) {
            InstanceId id = instance(poolId);
            ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
            if (!lock.tryLock()) {
                continue;
            }
            try {
                probeOne(id).ifPresent(reason -> out.put(poolId, reason));
            } catch (DriverException e) {
                out.put(poolId, "state unreadable: " + e.operatorMessage());
            } finally {
                lock.unlock();
            }
        }
        return out;
    }

    private Optional<String> probeOne(InstanceId id) {
        InstanceFiles files = files(id);
        ProbeCache before = probeCache.get(id);
        Object recordKey = fileKey(files.network());
        Optional<NetworkRecord> net = before != null && recordKey != null && recordKey.equals(before.recordKey())
                ? before.record() : readNetwork(files);
        Object pidKey = fileKey(files.pidFile());
        Optional<Long> pid = before != null && pidKey != null && pidKey.equals(before.pidKey()) ? before.pid() : readPid(files.pidFile());
        long verifiedPid = before == null ? 0 : before.verifiedPid();
        long verifiedStart = before == null ? HostView.UNKNOWN_START : before.verifiedStart();
        try {
            if (net.isEmpty()) {
                return Optional.of(Files.exists(files.dir()) ? "instance " + id + " has no network record (deploy interrupted)"
                        : "instance " + id + " is not deployed (no state in " + settings.stateDir() + ")");
            }
            String ns = net.get().namespace();
            if (!host.namespaceExists(ns)) {
                return Optional.of("namespace " + ns + " is gone");
            }
            if (!net.get().hostDevice().isEmpty() && !host.deviceExists(net.get().hostDevice())) {
                return Optional.of("device " + net.get().hostDevice() + " of namespace " + ns + " is gone");
            }
            if (pid.isEmpty()) {
                return Optional.of("haproxy of namespace " + ns + " has no pid file");
            }
            java.util.OptionalLong started = host.startTime(pid.get());
            if (started.isPresent() && started.getAsLong() != HostView.UNKNOWN_START && verifiedPid == pid.get()
                    && verifiedStart == started.getAsLong()) {
                return Optional.empty();
            }
            if (started.isEmpty() || !isOurHaproxy(pid.get(), files)) {
                verifiedPid = 0;
                return Optional.of("haproxy pid " + pid.get() + " of namespace " + ns + " exited"
                        // an exiting process has an empty command line until it is reaped: not "another program"
                        + (host.process(pid.get()).filter(p -> !p.argv().isEmpty()).isPresent() ? " (the pid now belongs to another program)" : ""));
            }
            // the same pid with the same start time is this process: its command line need not be read again
            verifiedPid = pid.get();
            verifiedStart = started.getAsLong();
            return Optional.empty();
        } finally {
            probeCache.put(id, new ProbeCache(recordKey, net, pidKey, pid, verifiedPid, verifiedStart));
        }
    }

    /**
     * Identifies a file's content without reading it: inode, size and modification time (a
     * replaced or rewritten file changes at least one); null when it cannot be read.
     */
    private static Object fileKey(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Converges one load balancer as {@link #reconcile} does for a desired instance: an HAProxy
     * that died is restarted in its intact namespace, a namespace or device that vanished is
     * rebuilt (after removing this instance's remains), a running HAProxy whose socket does not
     * answer is replaced; a healthy instance is left untouched ({@code UNCHANGED}). Other instances
     * are never touched.
     */
    @Override
    public ApplyResult repair(LoadBalancer desired) {
        Objects.requireNonNull(desired, "desired");
        checkOpen();
        InstanceId id = instance(desired.id());
        return locked(id, () -> {
            if (!desired.isDeployable()) {
                boolean existed = teardown(id, true);
                return new ApplyResult(ApplyResult.Action.UNDEPLOYED, existed ? "stopped and removed" : "nothing ran");
            }
            try {
                return converge(id, desired, true);
            } catch (RuntimeException e) {
                throw asDriverException(e, "the load balancer could not be repaired", "repairing instance " + id);
            }
        });
    }

    // ------------------------------------------------------------------ reconcile

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        Objects.requireNonNull(desired, "desired");
        checkOpen();
        Map<InstanceId, LoadBalancer> wanted = new LinkedHashMap<>();
        for (LoadBalancer lb : desired) {
            wanted.put(instance(lb.id()), lb);
        }
        Scan scan = scan();
        Set<InstanceId> found = scan.own();
        Set<UUID> adopted = new TreeSet<>();
        Set<UUID> repaired = new TreeSet<>();
        Set<UUID> removed = new TreeSet<>();
        Map<UUID, DriverException> failed = new LinkedHashMap<>();
        for (Map.Entry<InstanceId, LoadBalancer> e : wanted.entrySet()) {
            InstanceId id = e.getKey();
            LoadBalancer lb = e.getValue();
            try {
                locked(id, () -> {
                    if (!lb.isDeployable()) {
                        if (teardown(id, true)) {
                            removed.add(id.poolId());
                        }
                        return null;
                    }
                    ApplyResult r = converge(id, lb, true);
                    (r.action() == ApplyResult.Action.UNCHANGED ? adopted : repaired).add(id.poolId());
                    return null;
                });
            } catch (DriverException ex) {
                failed.put(id.poolId(), ex);
            } catch (RuntimeException ex) {
                failed.put(id.poolId(), asDriverException(ex, "the load balancer could not be repaired", "reconciling " + id));
            }
        }
        for (InstanceId id : found) {
            if (wanted.containsKey(id)) {
                continue;
            }
            try {
                locked(id, () -> teardown(id, true));
                removed.add(id.poolId());
            } catch (DriverException ex) {
                failed.put(id.poolId(), ex);
            }
        }
        for (String f : scan.foreign()) {
            LOG.warn("reconcile: left alone, not made by this driver: {}", f);
        }
        LOG.info("reconcile: {} adopted, {} repaired, {} removed, {} failed, {} foreign left alone", adopted.size(), repaired.size(),
                removed.size(), failed.size(), scan.foreign().size());
        return new ReconcileReport(adopted, repaired, removed, failed, scan.foreign());
    }

    /**
     * What a scan of the host found.
     *
     * @param own instances of this driver's ordinal that this state directory made: a directory in it,
     *     or an HAProxy running a configuration file in it
     * @param foreign namespaces with this driver's prefix that no record in this state directory names
     */
    private record Scan(Set<InstanceId> own, Set<String> foreign) {
    }

    /**
     * Finds this driver's instances and the look-alikes it must leave alone. Ownership is proved
     * only by this state directory: an instance's directory (its network record is written before
     * the namespace is created and deleted after it is gone) or an HAProxy started with a
     * configuration file inside it. A namespace is never taken for ours because of its name.
     */
    private Scan scan() {
        Set<InstanceId> own = new LinkedHashSet<>();
        Set<String> recordedNamespaces = new java.util.HashSet<>();
        Path stateDir = settings.stateDir();
        if (Files.isDirectory(stateDir)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(stateDir)) {
                for (Path p : dir) {
                    if (!Files.isDirectory(p)) {
                        continue;
                    }
                    Optional<InstanceId> id = InstanceId.parse(p.getFileName().toString());
                    if (id.isEmpty()) {
                        continue;
                    }
                    own.add(id.get());
                    readNetwork(files(id.get())).ifPresent(n -> recordedNamespaces.add(n.namespace()));
                }
            } catch (IOException e) {
                throw new DriverException("the load balancers could not be listed", "cannot list " + stateDir + ": " + e, true, e);
            }
        }
        for (HostView.ProcessInfo p : host.processes()) {
            p.configArgument().map(Path::of).filter(c -> c.getParent() != null && stateDir.equals(c.getParent().getParent())
                    && c.getFileName().toString().equals("haproxy.cfg"))
                    .flatMap(c -> InstanceId.parse(c.getParent().getFileName().toString()))
                    .filter(i -> p.isHaproxyWith(files(i).config()))
                    .ifPresent(own::add);
        }
        own.removeIf(i -> i.ordinal() != settings.instanceOrdinal());
        Set<String> foreign = new TreeSet<>();
        String prefix = settings.namespacePrefix();
        for (String ns : host.namespaces()) {
            if (ns.startsWith(prefix) && !recordedNamespaces.contains(ns)) {
                foreign.add("namespace " + ns + ": not recorded in " + stateDir);
            }
        }
        return new Scan(own, foreign);
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        closed = true;
        synchronized (poolLock) {
            if (observers != null) {
                observers.shutdownNow();
                observers = null;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the haproxy-ns driver is closed");
        }
    }

    // ------------------------------------------------------------------ helpers

    InstanceId instance(UUID poolId) {
        return new InstanceId(poolId, settings.instanceOrdinal());
    }

    InstanceFiles files(InstanceId id) {
        return InstanceFiles.of(settings.stateDir(), id);
    }

    String namespace(InstanceId id) {
        return settings.namespacePrefix() + id.key();
    }

    private <T> T locked(InstanceId id, java.util.function.Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** The pid from the pid file when it is a live HAProxy running this instance's configuration. */
    private Optional<Long> runningPid(InstanceFiles files) {
        return readPid(files.pidFile()).filter(p -> isOurHaproxy(p, files));
    }

    /**
     * Whether {@code pid} is a live HAProxy started with this instance's configuration file: the
     * only test of "our process" anywhere in the driver. The configuration path lies under this
     * driver's state directory, so another state directory's (or another tool's) HAProxy never
     * matches, and a pid reused by any other program does not either.
     */
    private boolean isOurHaproxy(long pid, InstanceFiles files) {
        return host.process(pid).filter(i -> i.isHaproxyWith(files.config())).isPresent();
    }

    private boolean answers(InstanceFiles files, long pid) {
        try {
            return runtime.execute(files.socket(), "show info", SOCKET_TIMEOUT).lines().anyMatch(l -> l.equals("Pid: " + pid));
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<PoolStats> readRaw(InstanceFiles files) {
        try {
            PoolStats raw = PoolStats.ZERO;
            for (StatRow row : StatCsv.parse(runtime.execute(files.socket(), "show stat -1 2 -1", SOCKET_TIMEOUT))) {
                if (row.isBackend()) {
                    raw = raw.plus(new PoolStats(row.counter("bin"), row.counter("bout"), 0, row.counter("stot")));
                }
            }
            return Optional.of(raw);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot read the counters of the process being replaced ({}); they will not be carried", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reads the pid file: empty when it is missing or holds no pid. A file that exists but cannot
     * be read is an error, never "nothing runs": treating it as absent would tear down a serving
     * instance.
     */
    private static Optional<Long> readPid(Path pidFile) {
        Optional<String> text = readText(pidFile);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(text.get().strip().split("\\s+")[0]);
            return pid > 1 ? Optional.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            UUID u = UUID.fromString(text);
            return u.toString().equals(text) ? Optional.of(u) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void check(Path config, String tenantMessage) {
        CommandResult r = run(cmd(settings.haproxyBinary(), "-dW", "-c", "-f", config.toString()));
        if (!r.isSuccess()) {
            throw new DriverException(tenantMessage, "haproxy -dW -c -f " + config + " rejected the configuration (exit "
                    + r.exitCode() + "): " + output(r), false);
        }
    }

    private static String output(CommandResult r) {
        String text = (r.stderr().strip() + "\n" + r.stdout().strip()).strip();
        return text.isEmpty() ? "(no output)" : text;
    }

    private Command ipBatch(List<String> options, List<String> lines) {
        List<String> argv = new ArrayList<>();
        argv.add(settings.ipBinary());
        argv.addAll(options);
        argv.addAll(List.of("-batch", "-"));
        return Command.of(argv).withStdin(String.join("\n", lines) + "\n").withTimeout(settings.commandTimeout());
    }

    private Command cmd(String... argv) {
        return Command.of(argv).withTimeout(settings.commandTimeout());
    }

    private CommandResult run(Command c) {
        long start = System.nanoTime();
        CommandResult r = shell.execute(c);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> exit {} in {} ms", c.commandLine(), r.exitCode(), (System.nanoTime() - start) / 1_000_000);
        }
        return r;
    }

    private CommandResult require(Command c) {
        return run(c).requireSuccess();
    }

    private void writeConfig(Path file, String text) {
        writeText(file, text);
    }

    private void writeCandidate(InstanceFiles files, String config) {
        writeText(files.candidateConfig(), config);
    }

    private static void writeText(Path file, String text) {
        try {
            AtomicFiles.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads a state file: empty when it is missing; a failing read is a retryable DriverException. */
    private static Optional<String> readText(Path file) {
        try {
            return AtomicFiles.read(file);
        } catch (IOException e) {
            throw unreadableState(file, e);
        }
    }

    private static Optional<NetworkRecord> readNetwork(InstanceFiles files) {
        try {
            return NetworkRecord.read(files.network());
        } catch (IOException e) {
            throw unreadableState(files.network(), e);
        }
    }

    static DriverException unreadableState(Path file, IOException e) {
        return new DriverException("the load balancer's state could not be read; nothing was changed",
                "cannot read " + file + " (" + e + "); refusing to change the instance while its state is unreadable",
                true, e);
    }

    private static void move(Path from, Path to) {
        try {
            AtomicFiles.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    private static void snapshotGood(InstanceFiles files) {
        try {
            AtomicFiles.snapshot(files.config(), files.goodConfig());
        } catch (IOException e) {
            LOG.warn("cannot keep {} as the last good configuration: {}", files.config(), e.toString());
        }
    }

    private static void ownerOnlyDirectory(Path dir) {
        try {
            AtomicFiles.ownerOnlyDirectory(dir.getParent());
            AtomicFiles.ownerOnlyDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("the operation was interrupted", "interrupted while waiting", true, e);
        }
    }

    static DriverException asDriverException(RuntimeException e, String tenantMessage, String what) {
        if (e instanceof DriverException d) {
            return d;
        }
        if (e instanceof CommandTimeoutException t) {
            return new DriverException(tenantMessage, what + ": " + t.getMessage(), true, t);
        }
        if (e instanceof CommandStartException s) {
            return new DriverException(tenantMessage, what + ": " + s.getMessage(), false, s);
        }
        if (e instanceof CommandFailedException f) {
            return new DriverException(tenantMessage, what + ": " + f.getMessage(), true, f);
        }
        if (e instanceof UncheckedIOException io) {
            return new DriverException(tenantMessage, what + ": " + io.getMessage(), true, io);
        }
        return new DriverException(tenantMessage, what + ": " + e, false, e);
    }

    /** Undo steps, run in reverse order of registration; failures are attached to the original error. */
    private static final class Rollback {
        private final InstanceId id;
        private final List<Map.Entry<String, Runnable>> steps = new ArrayList<>();

        Rollback(InstanceId id) {
            this.id = id;
        }

        void push(String what, Runnable undo) {
            steps.add(Map.entry(what, undo));
        }

        void run(RuntimeException cause) {
            for (int i = steps.size() - 1; i >= 0; i--) {
                Map.Entry<String, Runnable> step = steps.get(i);
                try {
                    step.getValue().run();
                } catch (RuntimeException e) {
                    LOG.error("instance {}: rollback step '{}' failed: {}", id, step.getKey(), e.toString());
                    cause.addSuppressed(e);
                }
            }
        }
    }
}

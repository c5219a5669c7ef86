package org.lbaas.driver.haproxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.lbaas.driver.haproxy.internal.ConfigRenderer;
import org.lbaas.driver.haproxy.internal.Failures;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.haproxy.internal.Rollback;
import org.lbaas.driver.haproxy.internal.config.PeerSet;
import org.lbaas.driver.haproxy.internal.iface.InterfaceDriver;
import org.lbaas.driver.haproxy.internal.keepalived.DeathWatcher;
import org.lbaas.driver.haproxy.internal.keepalived.KeepalivedProcesses;
import org.lbaas.driver.haproxy.internal.keepalived.PairControl;
import org.lbaas.driver.haproxy.internal.netns.NamespacePlumbing;
import org.lbaas.driver.haproxy.internal.process.HaproxyProcesses;
import org.lbaas.driver.haproxy.internal.process.InstanceProbe;
import org.lbaas.driver.haproxy.internal.runtime.ObserverPool;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeApi;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.haproxy.internal.runtime.RuntimePlan;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code haproxy-ns} driver: one daemon-mode HAProxy per load balancer instance, inside the
 * instance's own network namespace, with its VIP plugged by an interface driver (Linux bridge, Open vSwitch or none).
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
 *       (a runtime plan), then the file is replaced so a later reload changes nothing.
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
 *   <li><b>render</b> and <b>plan</b>: the configuration and the commands of a deploy, built by the
 *       code the deploy runs, without running anything ({@link #render}, {@link #plan}).</li>
 *   <li><b>probe</b>: reads files only (record, pid file, {@code /run/netns}, {@code /sys/class/net},
 *       {@code /proc/PID/stat}); <b>repair</b> converges one instance as reconcile does.</li>
 * </ul>
 *
 * <p><b>Active/standby</b> ({@code topology=active_standby}, see {@link HaSettings}): every load balancer
 * has two instances, ordinals 0 and 1, each the above in its own namespace, plus:
 * <ul>
 *   <li>its own address on the VIP's subnet on its VIP device ({@link LoadBalancer#instanceAddresses()},
 *       allocated by the service because the capabilities ask for two); the VIP itself is added by
 *       keepalived on the MASTER only, and both HAProxy processes bind it ({@code ip_nonlocal_bind});</li>
 *   <li>an HA link: a veth from the namespace to the HA bridge with a link-local address from
 *       169.254.192.0/18 (a /29 per pair); VRRP adverts and stick-table replication ({@code peers})
 *       use only this link;</li>
 *   <li>keepalived, started after the instance's HAProxy serves and stopped before it is stopped
 *       (a stopping MASTER hands the VIP over at once); both instances start as BACKUP without
 *       preemption, so a repaired instance rejoins as STANDBY and never takes the VIP back;</li>
 *   <li>a watcher process per instance ({@code flock}, see {@code DeathWatcher}) that turns the death
 *       of its HAProxy into a fault of its keepalived at once, also while no driver runs; a cut of the
 *       VIP's link faults the instance through
 *       keepalived's {@code track_interface}; a dead keepalived or namespace stops the adverts.</li>
 * </ul>
 * A deploy of a pair placed on this host returns once one instance is MASTER. {@link #observe}
 * sums the instances' counters and takes member health from the active one, and lists each
 * instance with its role ({@link Observation#instances()}); {@link #probe}, {@link #repair} and
 * {@link #reconcile} treat each instance as above (a dead keepalived is restarted after removing
 * the VIP it left behind). {@link #render} and {@link #plan} show the first instance.
 *
 * <p>The work is split by subsystem into classes of the driver's non-exported
 * {@code internal} packages: namespace plumbing ({@code internal.netns}), HAProxy process
 * control and the probe ({@code internal.process}), the stats socket ({@code internal.runtime})
 * and the instance's files ({@code InstanceFiles}); this class orchestrates them under one lock
 * per instance. Created by {@link HaproxyNsDriverProvider#create}.
 */
public final class HaproxyNsDriver implements LoadBalancerDriver {

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

    private final HaproxySettings settings;
    private final ConfigRenderer renderer;
    private final HostView host;
    private final NamespacePlumbing plumbing;
    private final HaproxyProcesses processes;
    private final RuntimeApi runtime;
    private final InstanceProbe probe;
    private final Capabilities capabilities;
    private final Map<InstanceId, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ObserverPool observers;
    /** The pair's keepalived and HAProxy death watchers, with {@code topology=active_standby}. */
    private final Optional<PairControl> pair;
    /** keepalived of pair instances; a single-topology driver uses it to remove a former pair's. */
    private final KeepalivedProcesses keepalived;
    /** HAProxy death watchers of pair instances; a single-topology driver uses it to remove a former pair's. */
    private final DeathWatcher watcher;
    private volatile boolean closed;

    HaproxyNsDriver(HaproxySettings settings, ShellExecutor shell, ConfigRenderer renderer,
                    InterfaceDriver iface, HostView host, RuntimeClient runtime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.host = Objects.requireNonNull(host, "host");
        HostShell commands = new HostShell(Objects.requireNonNull(shell, "shell"), settings.ipBinary(), settings.commandTimeout());
        this.plumbing = new NamespacePlumbing(settings, commands, Objects.requireNonNull(iface, "iface"), host);
        this.runtime = new RuntimeApi(Objects.requireNonNull(runtime, "runtime"));
        this.processes = new HaproxyProcesses(settings, commands, host, this.runtime);
        this.probe = new InstanceProbe(host, processes, settings.stateDir());
        this.observers = new ObserverPool(settings.observeParallelism());
        this.keepalived = new KeepalivedProcesses(settings, commands, host);
        this.watcher = new DeathWatcher(settings, commands, host);
        this.pair = settings.ha().activeStandby()
                ? Optional.of(new PairControl(settings, plumbing, keepalived, watcher))
                : Optional.empty();
        int maxLimit = settings.maxConnectionLimit().orElseGet(() -> {
            // two descriptors per connection, one per checked server, 3 per thread, 2 listeners, a reserve
            long hard = Math.min(host.openFilesHardLimit(), Integer.MAX_VALUE);
            return (int) Math.max(1, (hard - 64 - 3L * settings.nbthread() - MAX_MEMBERS - 2) / 2 - ADMIN_HEADROOM);
        });
        this.capabilities = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                EnumSet.allOf(PersistenceType.class), EnumSet.of(MonitorType.TCP, MonitorType.HTTP, MonitorType.HTTPS),
                MAX_MEMBERS, MAX_MONITORS, maxLimit, true, settings.ha().activeStandby() ? PairControl.INSTANCES : 0);
    }

    HaproxySettings settings() {
        return settings;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ------------------------------------------------------------------ render and plan

    /**
     * Returns the HAProxy configuration this driver writes for a load balancer, byte for byte,
     * with this driver's settings. Runs no command and writes no file.
     *
     * @param lb a deployable load balancer ({@link LoadBalancer#isDeployable()})
     * @return the configuration text
     * @throws IllegalArgumentException when {@code lb} is not deployable (it has no configuration)
     * @throws DriverException (not retryable) when the configuration cannot be built
     */
    public String render(LoadBalancer lb) {
        requireDeployable(lb, "render");
        InstanceId id = instances(lb.id()).get(0);
        InstanceFiles files = files(id);
        return render(id, lb, files, record(id, lb, files.readNetwork()));
    }

    /**
     * Returns what {@link #apply} does to deploy a load balancer onto a host that has nothing of
     * it: the configuration and the commands, in order, built by the code the deploy runs. Runs
     * no command, writes no file, reads nothing of the host's state and waits for nothing;
     * {@link DeployPlan} says what a plan cannot know.
     *
     * @param lb a deployable load balancer ({@link LoadBalancer#isDeployable()})
     * @return the plan
     * @throws IllegalArgumentException when {@code lb} is not deployable (a deploy of it runs nothing)
     * @throws DriverException (not retryable) when the configuration cannot be built
     */
    public DeployPlan plan(LoadBalancer lb) {
        requireDeployable(lb, "plan");
        InstanceId id = instances(lb.id()).get(0);
        InstanceFiles files = files(id);
        NetworkRecord net = record(id, lb, files.readNetwork());
        String config = render(id, lb, files, net);
        return new DeployPlan(files.config(), config, deploySteps(id, files, net).commands());
    }

    /** The network an instance should have: the VIP on its device, or for a pair its own address and HA link. */
    private NetworkRecord record(InstanceId id, LoadBalancer lb, Optional<NetworkRecord> have) {
        return pair.isPresent() ? pair.get().record(id, lb, have) : plumbing.record(id, lb);
    }

    private static void requireDeployable(LoadBalancer lb, String call) {
        Objects.requireNonNull(lb, "lb");
        if (lb.vip().isEmpty()) {
            throw new IllegalArgumentException("vip: absent in pool " + lb.id() + "; " + call
                    + " needs a deployable load balancer (a VIP with admin_state_up true)");
        }
        if (!lb.isDeployable()) {
            throw new IllegalArgumentException("vip.admin_state_up: false in pool " + lb.id() + "; " + call
                    + " needs a deployable load balancer (a VIP with admin_state_up true)");
        }
    }

    /**
     * What a deploy runs after writing the instance's files: the plumbing steps, then the
     * HAProxy start (which is also the configuration check).
     */
    private record DeploySteps(List<NamespacePlumbing.Step> plug, Command start) {
        List<Command> commands() {
            List<Command> out = new ArrayList<>();
            plug.forEach(s -> out.add(s.command()));
            out.add(start);
            return out;
        }
    }

    private DeploySteps deploySteps(InstanceId id, InstanceFiles files, NetworkRecord net) {
        return new DeploySteps(plumbing.plugSteps(id, net), firstStart(files, net));
    }

    /**
     * The start of an HAProxy when nothing serves: as at deploy, the start itself checks the
     * configuration ({@code -dW}, warnings fatal) instead of a separate {@code haproxy -c} that
     * takes as long as the start.
     */
    private Command firstStart(InstanceFiles files, NetworkRecord net) {
        return processes.startCommand(files, net.namespace(), Optional.empty(), true);
    }

    // ------------------------------------------------------------------ apply

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        LoadBalancerDriver.requireSamePool(previous, desired);
        checkOpen();
        return convergeAll(desired, false);
    }

    /**
     * Converges every instance this driver runs for {@code lb}, in ordinal order, each under its
     * own lock; for a pair placed on this host, a deploy returns once one instance is VRRP MASTER.
     */
    private ApplyResult convergeAll(LoadBalancer lb, boolean repair) {
        List<InstanceId> ids = instances(lb.id());
        List<ApplyResult> results = new ArrayList<>();
        for (InstanceId id : ids) {
            results.add(locked(id, () -> {
                if (!lb.isDeployable()) {
                    boolean existed = teardown(id, repair, false);
                    return new ApplyResult(ApplyResult.Action.UNDEPLOYED, existed ? "stopped and removed" : "nothing ran");
                }
                return converge(id, lb, repair);
            }));
        }
        if (pair.isPresent() && lb.isDeployable() && ids.size() == PairControl.INSTANCES
                && results.stream().anyMatch(r -> r.action() != ApplyResult.Action.UNCHANGED)) {
            pair.get().awaitMaster(lb.id(), ids.stream().map(this::files).toList());
        }
        return PairControl.combine(ids, results);
    }

    /**
     * Makes one instance serve {@code lb}: nothing, runtime API, reload, restart or full deploy,
     * whichever is the least that reaches the desired state from what is found on the host.
     */
    private ApplyResult converge(InstanceId id, LoadBalancer lb, boolean probeSocket) {
        InstanceFiles files = files(id);
        Optional<NetworkRecord> have = files.readNetwork();
        NetworkRecord wanted = record(id, lb, have);
        String config = render(id, lb, files, wanted);
        ApplyResult haproxy = convergeHaproxy(id, files, wanted, have, config, probeSocket);
        if (pair.isEmpty()) {
            return haproxy;
        }
        String keepalived = pair.get().afterHaproxy(id, files, wanted);
        if (keepalived.equals("unchanged")) {
            return haproxy;
        }
        ApplyResult.Action action = haproxy.action() == ApplyResult.Action.UNCHANGED ? ApplyResult.Action.RELOADED : haproxy.action();
        return new ApplyResult(action, (haproxy.detail().isEmpty() ? "" : haproxy.detail() + "; ") + "keepalived " + keepalived);
    }

    private ApplyResult convergeHaproxy(InstanceId id, InstanceFiles files, NetworkRecord wanted, Optional<NetworkRecord> have,
                                        String config, boolean probeSocket) {
        Optional<Long> pid = processes.running(files);
        // plumbing finished: the marker written after the last plumbing step, or (state directories
        // from before the marker) an HAProxy of ours, which is started only after plumbing finished
        boolean networkIntact = have.isPresent() && have.get().equals(wanted) && plumbing.present(wanted)
                && (pid.isPresent() || files.isPlumbed());
        // a host-side device found down (a cut link) is brought up again: nothing else of the instance was lost
        List<String> raised = networkIntact ? plumbing.raiseDownDevices(wanted) : List.of();
        if (pid.isPresent() && probeSocket && runtime.notServedBy(files.socket(), pid.get()).isPresent()) {
            LOG.warn("instance {}: HAProxy {} runs but its socket does not answer; restarting it", id, pid.get());
            pair.ifPresent(p -> p.beforeHaproxyRestart(id, files));
            processes.stop(id, files);
            pid = Optional.empty();
        }
        if (pid.isPresent() && networkIntact) {
            String current = files.readConfig().orElse("");
            if (current.equals(config)) {
                return raised.isEmpty() ? ApplyResult.of(ApplyResult.Action.UNCHANGED)
                        : new ApplyResult(ApplyResult.Action.CHANGED_IN_PLACE, "brought " + String.join(", ", raised) + " up");
            }
            Optional<RuntimePlan> plan = RuntimePlan.plan(current, config);
            if (plan.isPresent()) {
                Optional<String> refused = runtime.apply(id, files.socket(), plan.get());
                if (refused.isEmpty()) {
                    files.writeConfig(config);
                    files.snapshotGood();
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
        boolean leftovers = teardown(id, probeSocket, true);
        deploy(id, files, wanted, config);
        return new ApplyResult(ApplyResult.Action.DEPLOYED, leftovers ? "removed leftovers and deployed" : "");
    }

    private String render(InstanceId id, LoadBalancer lb, InstanceFiles files, NetworkRecord net) {
        try {
            Optional<PeerSet> peers = net.ha().isPresent() ? Optional.of(PairControl.peers(id, net)) : Optional.empty();
            return renderer.render(lb, files, peers);
        } catch (RuntimeException e) {
            throw new DriverException("the load balancer's configuration could not be built",
                    "rendering the HAProxy configuration of pool " + lb.id() + " failed: " + e, false, e);
        }
    }

    // ------------------------------------------------------------------ deploy

    private void deploy(InstanceId id, InstanceFiles files, NetworkRecord net, String config) {
        if (plumbing.namespaceExists(net.namespace())) {
            // our own leftovers were torn down just before: whatever still has this name was not made by us
            throw new DriverException("the load balancer's network namespace is already used by another deployment",
                    "namespace " + net.namespace() + " exists but " + settings.stateDir() + " has no record of creating it "
                            + "(another state directory, a 'lbaas serve' or another v1-style tool owns it); it was left untouched",
                    false);
        }
        DeploySteps steps = deploySteps(id, files, net);
        if (net.ha().isPresent()) {
            pair.orElseThrow().beforePlumbing();
        }
        Rollback rollback = new Rollback(id);
        try {
            rollback.push("remove state directory", files::delete);
            files.create();
            files.writeConfig(config);
            // intent first: the record names the namespace and device before they exist, so a driver
            // killed at any later step leaves something a new driver recognises as its own
            files.writeNetwork(net);
            plumbing.plug(id, net, steps.plug(), rollback);
            files.markPlumbed(net.namespace());
            rollback.push("stop HAProxy", () -> processes.stop(id, files));
            processes.start(id, files, steps.start(), Optional.empty());
            files.snapshotGood();
            runtime.forget(id);
        } catch (RuntimeException e) {
            rollback.run(e);
            throw Failures.asDriverException(e, "the load balancer could not be deployed", "deploying instance " + id);
        }
    }

    /** Restarts a crashed HAProxy whose namespace and device are intact. */
    private void restart(InstanceId id, InstanceFiles files, NetworkRecord net, String config) {
        Optional<Long> deadPid = files.readPid();
        processes.stop(id, files);
        runtime.carryFromDead(id, files, deadPid);
        // nothing serves, so nothing is at risk: the start checks the configuration, as at deploy
        // (a separate 'haproxy -c' made a repair take twice a deploy's time)
        files.writeConfig(config);
        try {
            processes.start(id, files, firstStart(files, net), Optional.empty());
        } catch (RuntimeException e) {
            files.restoreGood();
            throw e;
        }
        files.snapshotGood();
    }

    // ------------------------------------------------------------------ update

    private void reload(InstanceId id, InstanceFiles files, String config, long oldPid) {
        files.writeCandidate(config);
        try {
            processes.check(files.candidateConfig(), "the configuration change was rejected");
        } catch (RuntimeException e) {
            files.deleteCandidate();
            throw e;
        }
        var before = runtime.readCounters(files.socket());
        files.snapshotGood();
        files.promoteCandidate();
        NetworkRecord net = files.readNetwork().orElseThrow();
        try {
            processes.start(id, files, processes.startCommand(files, net.namespace(), Optional.of(oldPid), false), Optional.of(oldPid));
        } catch (RuntimeException e) {
            files.restoreGood();
            if (!processes.isAlive(oldPid)) {
                LOG.error("instance {}: the reload failed and the old HAProxy {} is gone", id, oldPid);
            }
            throw Failures.asDriverException(e, "the configuration change could not be applied", "reloading instance " + id);
        }
        runtime.carryFromReplaced(id, files, before);
        files.snapshotGood();
    }

    // ------------------------------------------------------------------ remove

    @Override
    public void remove(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        for (InstanceId id : instances(poolId)) {
            locked(id, () -> teardown(id, true, false));
        }
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
     *
     * <p>With {@code handOver}, a pair instance's keepalived gets SIGTERM first, so a MASTER hands
     * the VIP to its peer (an instance rebuilt while the other one serves); without it (the load
     * balancer goes away) it is killed at once.
     */
    private boolean teardown(InstanceId id, boolean findStrays, boolean handOver) {
        InstanceFiles files = files(id);
        Optional<NetworkRecord> net = files.readNetwork();
        boolean dirExists = files.exists();
        if (!dirExists && !findStrays) {
            return false;
        }
        if (!dirExists && processes.all(files).isEmpty()) {
            return false;
        }
        try {
            // the watcher first (this stop is no death), then keepalived: a MASTER that stops with a
            // hand-over gives the VIP to its peer at once, before its HAProxy goes; a single-topology
            // driver removes what a former pair left, with no hand-over
            watcher.stop(files);
            keepalived.stop(id, files, handOver && pair.isPresent());
            processes.stop(id, files);
            // only what the record names: a namespace or device this state directory did not record is not ours
            plumbing.unplug(id, net);
            files.delete();
            runtime.forget(id);
            probe.forget(id);
            return true;
        } catch (RuntimeException e) {
            throw Failures.asDriverException(e, "the load balancer could not be removed completely", "removing instance " + id);
        }
    }

    // ------------------------------------------------------------------ observe

    @Override
    public Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        if (pair.isEmpty()) {
            return observe(instances(poolId).get(0));
        }
        return pair.get().observe(instances(poolId), this::files, this::namespace, this::observe);
    }

    private Optional<Observation> observe(InstanceId id) {
        InstanceFiles files = files(id);
        Optional<Long> pid = processes.running(files);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        if (!plumbing.namespaceExists(files.readNetwork().map(NetworkRecord::namespace).orElse(namespace(id)))) {
            // an HAProxy whose namespace was deleted under it still answers on its socket, but it
            // is not the load balancer as deployed (nothing can reload it there): not running
            return Optional.empty();
        }
        return Optional.of(runtime.observe(id, files, pid.get()));
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        Objects.requireNonNull(poolIds, "poolIds");
        checkOpen();
        List<UUID> ids = List.copyOf(new LinkedHashSet<>(poolIds));
        if (ids.size() <= 1) {
            return LoadBalancerDriver.super.observeAll(ids);
        }
        return observers.observeAll(ids, this::observe);
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
            List<InstanceId> ids = instances(poolId);
            for (InstanceId id : ids) {
                ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
                if (!lock.tryLock()) {
                    continue;
                }
                String prefix = ids.size() > 1 ? "instance " + id.ordinal() + ": " : "";
                try {
                    InstanceFiles files = files(id);
                    Optional<String> reason = probe.probe(id, files);
                    if (reason.isEmpty() && pair.isPresent()) {
                        reason = pair.get().probe(files);
                    }
                    reason.ifPresent(r -> out.merge(poolId, prefix + r, (a, b) -> a + "; " + b));
                } catch (DriverException e) {
                    out.merge(poolId, prefix + "state unreadable: " + e.operatorMessage(), (a, b) -> a + "; " + b);
                } finally {
                    lock.unlock();
                }
            }
        }
        return out;
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
        try {
            return convergeAll(desired, true);
        } catch (RuntimeException e) {
            throw Failures.asDriverException(e, "the load balancer could not be repaired", "repairing pool " + desired.id());
        }
    }

    // ------------------------------------------------------------------ reconcile

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        Objects.requireNonNull(desired, "desired");
        checkOpen();
        Map<InstanceId, LoadBalancer> wanted = new LinkedHashMap<>();
        for (LoadBalancer lb : desired) {
            for (InstanceId id : instances(lb.id())) {
                wanted.put(id, lb);
            }
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
                        if (teardown(id, true, false)) {
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
                failed.put(id.poolId(), Failures.asDriverException(ex, "the load balancer could not be repaired", "reconciling " + id));
            }
        }
        for (InstanceId id : found) {
            if (wanted.containsKey(id)) {
                continue;
            }
            try {
                locked(id, () -> teardown(id, true, false));
                removed.add(id.poolId());
            } catch (DriverException ex) {
                failed.put(id.poolId(), ex);
            }
        }
        // a pool is adopted only when every instance of it was
        adopted.removeAll(repaired);
        adopted.removeAll(failed.keySet());
        repaired.removeAll(failed.keySet());
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
        Set<String> recordedNamespaces = new HashSet<>();
        for (InstanceId id : InstanceFiles.instancesIn(settings.stateDir())) {
            own.add(id);
            files(id).readNetwork().ifPresent(n -> recordedNamespaces.add(n.namespace()));
        }
        own.addAll(processes.instancesRunningUnder(settings.stateDir()));
        own.removeIf(i -> !settings.ordinals().contains(i.ordinal()));
        Set<String> foreign = new TreeSet<>();
        String prefix = settings.namespacePrefix();
        for (String ns : host.namespaces()) {
            if (ns.startsWith(prefix) && !recordedNamespaces.contains(ns)) {
                foreign.add("namespace " + ns + ": not recorded in " + settings.stateDir());
            }
        }
        return new Scan(own, foreign);
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        closed = true;
        observers.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the haproxy-ns driver is closed");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Returns the first instance this driver runs for a pool (the only one without a local pair). */
    InstanceId instance(UUID poolId) {
        return instances(poolId).get(0);
    }

    /** Returns the instances this driver runs for a pool, in ordinal order. */
    List<InstanceId> instances(UUID poolId) {
        return settings.ordinals().stream().map(o -> new InstanceId(poolId, o)).toList();
    }

    InstanceFiles files(InstanceId id) {
        return InstanceFiles.of(settings.stateDir(), id);
    }

    String namespace(InstanceId id) {
        return plumbing.namespace(id);
    }

    private <T> T locked(InstanceId id, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}

package org.lbaas.driver.haproxy.internal.keepalived;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;
import java.util.function.Function;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.haproxy.internal.config.PeerSet;
import org.lbaas.driver.haproxy.internal.netns.NamespacePlumbing;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.PoolStats;

/**
 * What an active/standby pair adds to each of its instances, for the driver to call at the
 * right points of a deploy, repair, removal or observation: the instance's network record (own
 * address on the subnet, HA link slot), the HAProxy {@code peers} that replicate stick tables, and
 * keepalived (converged after HAProxy runs; the driver stops it, and the watcher, before HAProxy),
 * with the watcher that turns an HAProxy's death into a fault of its keepalived ({@link DeathWatcher}).
 * The watchers are processes of their own and keep watching while no driver runs.
 */
public final class PairControl {

    /** The port HAProxy's peers listen on, on the HA link's addresses. */
    public static final int PEER_PORT = 10000;
    /** The instances of a pair. */
    public static final int INSTANCES = 2;

    private final HaproxySettings settings;
    private final NamespacePlumbing plumbing;
    private final KeepalivedProcesses keepalived;
    private final DeathWatcher watcher;

    /**
     * @param settings the driver's settings
     * @param plumbing the namespace plumbing (records, the HA bridge)
     * @param keepalived the keepalived control
     * @param watcher the HAProxy death watchers
     */
    public PairControl(HaproxySettings settings, NamespacePlumbing plumbing, KeepalivedProcesses keepalived,
                       DeathWatcher watcher) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.plumbing = Objects.requireNonNull(plumbing, "plumbing");
        this.keepalived = Objects.requireNonNull(keepalived, "keepalived");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
    }

    /**
     * Returns the network record an instance of a pair should have: its own address (the
     * load balancer's {@code instance_addresses[ordinal]}) and the pair's HA slot, kept from the
     * instance's existing record, or else chosen among the slots other pairs of this state
     * directory hold.
     *
     * @param id the instance
     * @param lb a deployable load balancer
     * @param have the instance's recorded network, if any
     * @return the record
     * @throws DriverException (not retryable) when the load balancer has no address for this instance
     */
    public NetworkRecord record(InstanceId id, LoadBalancer lb, Optional<NetworkRecord> have) {
        InetAddress own = instanceAddress(lb, id.ordinal());
        int slot = have.flatMap(NetworkRecord::ha).map(NetworkRecord.HaLink::slot)
                .or(() -> sibling(id).flatMap(InstanceFiles::readNetwork).flatMap(NetworkRecord::ha).map(NetworkRecord.HaLink::slot))
                .orElseGet(() -> HaAddressing.allocate(id.poolId(), takenSlots(id)).slot());
        return plumbing.haRecord(id, lb, own, slot);
    }

    private Optional<InstanceFiles> sibling(InstanceId id) {
        InstanceFiles other = InstanceFiles.of(settings.stateDir(), new InstanceId(id.poolId(), 1 - id.ordinal()));
        return other.exists() ? Optional.of(other) : Optional.empty();
    }

    private Set<Integer> takenSlots(InstanceId id) {
        Set<Integer> taken = new HashSet<>();
        for (InstanceId other : InstanceFiles.instancesIn(settings.stateDir())) {
            if (!other.poolId().equals(id.poolId())) {
                InstanceFiles.of(settings.stateDir(), other).readNetwork().flatMap(NetworkRecord::ha)
                        .ifPresent(link -> taken.add(link.slot()));
            }
        }
        return taken;
    }

    /**
     * Returns the address of one instance of a pair.
     *
     * @param lb the load balancer
     * @param ordinal 0 or 1
     * @return {@code lb.instanceAddresses().get(ordinal)}
     * @throws DriverException (not retryable) when the load balancer carries too few
     */
    static InetAddress instanceAddress(LoadBalancer lb, int ordinal) {
        List<InetAddress> addresses = lb.instanceAddresses();
        if (addresses.size() <= ordinal) {
            throw new DriverException("the load balancer has no address for its standby instance",
                    "topology active_standby needs " + INSTANCES + " instance addresses on subnet " + lb.subnet().id()
                            + " for pool " + lb.id() + ", the load balancer carries " + addresses.size()
                            + " (the service allocates them with the VIP when the driver's capabilities ask for them)", false);
        }
        return addresses.get(ordinal);
    }

    /**
     * Returns the HAProxy peers of an instance: both instances of the pair on their HA link
     * addresses, the instance itself as the local peer.
     *
     * @param id the instance
     * @param net its record, with an HA link
     * @return the peer set
     */
    public static PeerSet peers(InstanceId id, NetworkRecord net) {
        HaPair pair = new HaPair(net.ha().orElseThrow().slot());
        List<PeerSet.Peer> peers = new ArrayList<>();
        for (int ordinal = 0; ordinal < INSTANCES; ordinal++) {
            peers.add(new PeerSet.Peer(new InstanceId(id.poolId(), ordinal).key(), pair.address(ordinal), PEER_PORT));
        }
        return new PeerSet(id.key(), peers);
    }

    /** Creates the HA bridge if it is missing; before the first instance of a pair is plumbed. */
    public void beforePlumbing() {
        plumbing.ensureHaBridge();
    }

    /**
     * Called once the instance's HAProxy serves: the track file says so, keepalived is converged
     * (started, reloaded or left alone) and the death watcher waits for the HAProxy.
     *
     * @param id the instance
     * @param files its files
     * @param net its record
     * @return what keepalived needed: {@code unchanged}, {@code reloaded} or {@code started}
     */
    public String afterHaproxy(InstanceId id, InstanceFiles files, NetworkRecord net) {
        if (!keepalived.trackedUp(files)) {
            keepalived.haproxyUp(files, true);
        }
        String done = keepalived.converge(id, files, net);
        if (watcher.ensure(id, files, KeepalivedProcesses.trackFile(files)) && done.equals("unchanged")) {
            return "unchanged, HAProxy death watcher started";
        }
        return done;
    }

    /**
     * Called before a running HAProxy that does not answer is replaced: its watcher is stopped (the
     * stop is no death) and the track file says down until {@link #afterHaproxy} runs.
     *
     * @param id the instance
     * @param files its files
     */
    public void beforeHaproxyRestart(InstanceId id, InstanceFiles files) {
        watcher.stop(files);
        keepalived.haproxyUp(files, false);
    }

    /**
     * Returns why a pair instance is unhealthy beyond its HAProxy, or empty: its keepalived does
     * not run, or reported FAULT while its HAProxy runs.
     *
     * @param files the instance's files
     * @return the reason, if any
     */
    public Optional<String> probe(InstanceFiles files) {
        if (keepalived.running(files).isEmpty()) {
            return Optional.of("keepalived is not running");
        }
        if (!keepalived.trackedUp(files)) {
            return Optional.of("HAProxy is down (track file)");
        }
        if (watcher.running(files).isEmpty()) {
            return Optional.of("the HAProxy death watcher is not running");
        }
        return keepalived.role(files).filter(r -> r.state().equals("FAULT"))
                .map(r -> "keepalived reports FAULT since " + r.since() + " (a tracked interface is down)");
    }

    /**
     * Returns the status of one instance of a pair.
     *
     * @param name the instance's name (its namespace)
     * @param files its files
     * @param haproxyRuns whether its HAProxy runs
     * @return the status
     */
    public InstanceStatus status(String name, InstanceFiles files, boolean haproxyRuns) {
        Optional<KeepalivedProcesses.Role> role = keepalived.role(files);
        if (!haproxyRuns || keepalived.running(files).isEmpty()) {
            return new InstanceStatus(name, InstanceStatus.Role.FAULT, role.map(KeepalivedProcesses.Role::since));
        }
        InstanceStatus.Role r = role.map(KeepalivedProcesses.Role::state).map(s -> switch (s) {
            case "MASTER" -> InstanceStatus.Role.ACTIVE;
            case "BACKUP" -> InstanceStatus.Role.STANDBY;
            case "FAULT", "STOP" -> InstanceStatus.Role.FAULT;
            default -> InstanceStatus.Role.UNKNOWN;
        }).orElse(InstanceStatus.Role.UNKNOWN);
        return new InstanceStatus(name, r, role.map(KeepalivedProcesses.Role::since));
    }

    /**
     * Waits until one of the instances reports MASTER (a new pair elects one about three advert
     * intervals after its keepalived processes start).
     *
     * @param pool the pool, for the message
     * @param instances the instances' files
     * @throws DriverException (retryable) when none did within {@code start_timeout}
     */
    public void awaitMaster(Object pool, List<InstanceFiles> instances) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (instances.stream().noneMatch(f -> keepalived.role(f).filter(KeepalivedProcesses.Role::master).isPresent())) {
            if (System.nanoTime() > deadline) {
                throw new DriverException("the load balancer's failover did not start in time",
                        "no instance of pool " + pool + " became VRRP MASTER within " + settings.startTimeout(), true);
            }
            HostShell.pause(Duration.ofMillis(10));
        }
    }

    /**
     * One result for the instances of a load balancer: the strongest action (deployed, undeployed,
     * reloaded, changed in place, unchanged), the details by instance.
     *
     * @param ids the instances, in the order of {@code results}
     * @param results what each instance's convergence did
     * @return the combined result (the only one when there is one)
     */
    public static ApplyResult combine(List<InstanceId> ids, List<ApplyResult> results) {
        if (results.size() == 1) {
            return results.get(0);
        }
        List<ApplyResult.Action> strength = List.of(ApplyResult.Action.UNCHANGED, ApplyResult.Action.CHANGED_IN_PLACE,
                ApplyResult.Action.RELOADED, ApplyResult.Action.UNDEPLOYED, ApplyResult.Action.DEPLOYED);
        ApplyResult.Action action = ApplyResult.Action.UNCHANGED;
        List<String> details = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ApplyResult r = results.get(i);
            if (strength.indexOf(r.action()) > strength.indexOf(action)) {
                action = r.action();
            }
            details.add("instance " + ids.get(i).ordinal() + ": " + r.action().name().toLowerCase(Locale.ROOT)
                    + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"));
        }
        return new ApplyResult(action, String.join("; ", details));
    }

    /**
     * A pair's observation: statistics are the sum over its instances (the standby serves nothing
     * but its health checks, and after a failover the old active's counters, carried over as for
     * a single instance, keep the sum from dropping); member health is the active instance's (the
     * one whose checks decide where traffic goes), or the first running one's while none is active.
     *
     * @param ids the pair's instances this driver runs
     * @param files each instance's files
     * @param names each instance's name (its namespace)
     * @param observeOne one instance's observation, empty when it does not run
     * @return the observation, empty when no instance runs
     */
    public Optional<Observation> observe(List<InstanceId> ids, Function<InstanceId, InstanceFiles> files,
                                         Function<InstanceId, String> names, Function<InstanceId, Optional<Observation>> observeOne) {
        List<InstanceStatus> statuses = new ArrayList<>();
        List<Observation> running = new ArrayList<>();
        Optional<Observation> active = Optional.empty();
        for (InstanceId id : ids) {
            InstanceFiles f = files.apply(id);
            if (!f.exists()) {
                continue;
            }
            Optional<Observation> o = observeOne.apply(id);
            o.ifPresent(running::add);
            InstanceStatus status = status(names.apply(id), f, o.isPresent());
            statuses.add(status);
            if (status.role() == InstanceStatus.Role.ACTIVE && o.isPresent()) {
                active = o;
            }
        }
        if (running.isEmpty()) {
            return Optional.empty();
        }
        PoolStats sum = PoolStats.ZERO;
        boolean reset = false;
        for (Observation o : running) {
            sum = sum.plus(o.stats());
            reset |= o.countersReset();
        }
        Observation health = active.orElse(running.get(0));
        return Optional.of(new Observation(sum, health.memberHealth(), reset, statuses));
    }
}

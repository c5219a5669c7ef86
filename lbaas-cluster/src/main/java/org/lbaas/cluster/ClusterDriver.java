package org.lbaas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;

/**
 * The driver a controller's {@code LoadBalancerService} uses to hand load balancers to the
 * cluster instead of a local data plane.
 *
 * <p>{@link #apply} writes the load balancer as the pool's work item ({@code <root>/work/<poolId>},
 * one generation more, compare-and-set on the znode version) and waits, at most the
 * {@linkplain Builder#applyTimeout apply timeout} (below the service's 30 s driver deadline), until
 * every agent the scheduler placed it on reported that generation; a load balancer that is not
 * deployable and has no work item yet (a new pool before its VIP) is answered {@code UNCHANGED} at
 * once, without a work item or an agent. An agent's failure becomes a
 * {@link DriverException} carrying the agent's tenant and operator messages. {@link #remove}
 * writes an empty work item, waits until the live placed agents reported it removed, then deletes
 * the work and the reports (the scheduler deletes the placement). {@link #observe} reads the
 * agents' reported observations (summed over the instances of a pair); {@link #probe} reports load
 * balancers whose placed agents are not registered or whose report failed; {@link #reconcile}
 * rewrites the work of every desired load balancer and removes the others.
 *
 * <p><b>Several controllers.</b> Each controller's service has a driver of its own. Given the
 * controller's {@link ZooKeeperRepository} ({@link Builder#store}), each work item carries the
 * znode version of the pool's store document the controller knew when it applied
 * ({@code store_version}), and a work item of a higher store version is never replaced: a slower
 * controller's apply of an older state is {@code UNCHANGED}, superseded. Given the controller's
 * {@link Scheduler} ({@link Builder#scheduler}), only the controller whose scheduler leads
 * self-heals: {@link #probe} reports nothing elsewhere, and an agent whose registration is gone
 * is reported only once it has been gone for the scheduler's grace period (the scheduler moves
 * its work then; a restarting agent is not a reason to send work again). Reconcile never removes
 * the work of a pool the store still holds (another controller's, created since this one loaded).
 *
 * <p>Use: {@code ClusterDriver.builder().client(c).capabilities(agentDriverCapabilities).build()};
 * {@link #close()} stops its watches, the client stays the caller's.
 */
public final class ClusterDriver implements LoadBalancerDriver {

    /** The default znode root, {@code /lbaas}. */
    public static final String DEFAULT_ROOT = ZnodePaths.DEFAULT_ROOT;
    /** The default apply timeout, 20 s: below the service's default driver deadline of 30 s. */
    public static final Duration DEFAULT_APPLY_TIMEOUT = Duration.ofSeconds(20);
    /** The default capabilities: everything the model expresses, 1000 members, 10 monitors a pool, no instance addresses. */
    public static final Capabilities DEFAULT_CAPABILITIES = Capabilities.everything(1000, 10, 1_000_000);

    private final ZnodePaths paths;
    private final Znodes znodes;
    private final Capabilities capabilities;
    private final Duration applyTimeout;
    private final Problems problems = new Problems("cluster driver");
    private final Object signal = new Object();
    private final Watched<AgentInfo> agents;
    private final Watched<Placement> placements;
    private final Watched<Report> reports;
    private final ZooKeeperRepository store;
    private final Scheduler scheduler;
    private final Duration grace;
    /** Agent id to when {@link #probe} first found its registration gone (nanoTime). */
    private final Map<String, Long> missingSince = new java.util.concurrent.ConcurrentHashMap<>();

    private ClusterDriver(Builder b) {
        this.paths = new ZnodePaths(b.root);
        this.znodes = new Znodes(b.client);
        this.capabilities = b.capabilities;
        this.applyTimeout = b.applyTimeout;
        this.store = b.store;
        this.scheduler = b.scheduler;
        this.grace = b.scheduler != null ? b.scheduler.grace() : Scheduler.DEFAULT_GRACE;
        Runnable changed = () -> {
            synchronized (signal) {
                signal.notifyAll();
            }
        };
        this.agents = new Watched<>(b.client, paths.agents(), 1, Wire::readAgent, problems, changed);
        this.placements = new Watched<>(b.client, paths.placements(), 1, Wire::readPlacement, problems, changed);
        this.reports = new Watched<>(b.client, paths.reports(), 2, Wire::readReport, problems, changed);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    private ClusterDriver start() {
        try {
            znodes.ensureLayout(paths);
            agents.start(30_000);
            placements.start(30_000);
            reports.start(30_000);
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the cluster driver", e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the cluster driver could not start under " + paths.root() + ": " + e, e);
        }
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** Returns the malformed znodes this driver skips now: path to what is wrong. */
    public Map<String, String> malformed() {
        return problems.snapshot();
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        LoadBalancerDriver.requireSamePool(previous, desired);
        UUID pool = desired.id();
        if (!desired.isDeployable() && !workExists(pool)) {
            // A pool without a VIP (or with its VIP down) that was never handed to an agent runs nowhere: no work item,
            // no placement, no agent round trip (a new pool and its members before the VIP, the usual v1 order).
            return new ApplyResult(ApplyResult.Action.UNCHANGED, "pool " + pool + " is not deployable and runs on no agent");
        }
        long sv = storeVersion(pool);
        Written w = writeWork(pool, Optional.of(desired), sv);
        if (w.supersededBy() >= 0) {
            return new ApplyResult(ApplyResult.Action.UNCHANGED, "superseded: the work of pool " + pool + " is of store "
                    + "version " + w.supersededBy() + ", newer than this controller's " + sv);
        }
        return awaitApplied(pool, w.generation(), deadline());
    }

    /** Whether the pool has a work item (it was handed to the cluster and not removed since). */
    private boolean workExists(UUID pool) {
        try {
            return znodes.client().checkExists().forPath(paths.work(pool)) != null;
        } catch (Exception e) {
            throw zookeeper("read " + paths.work(pool), e);
        }
    }

    /** The znode version of the pool's store document as this controller's repository knows it, or -1. */
    private long storeVersion(UUID pool) {
        return store == null ? -1 : store.knownVersion(pool).orElse(-1);
    }

    /** A work item written (its generation), or not written because the work is of a newer store version. */
    private record Written(long generation, long supersededBy) {
    }

    @Override
    public void remove(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        if (!exists(paths.work(poolId))) {
            return;
        }
        Written w = writeWork(poolId, Optional.empty(), storeVersion(poolId));
        if (w.supersededBy() < 0) {
            awaitRemoved(poolId, w.generation(), deadline());
        }
    }

    private long deadline() {
        return System.nanoTime() + applyTimeout.toNanos();
    }

    private boolean exists(String path) {
        try {
            return znodes.client().checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw zookeeper("read " + path, e);
        }
    }

    /**
     * Writes the next generation of a pool's work item (compare-and-set, retried on a concurrent
     * write), unless the work there is of a higher store version than {@code storeVersion}.
     */
    private Written writeWork(UUID pool, Optional<LoadBalancer> lb, long storeVersion) {
        String path = paths.work(pool);
        int instances = Math.max(1, capabilities.instanceAddresses());
        for (int attempt = 0; ; attempt++) {
            try {
                Stat stat = new Stat();
                long generation;
                int version;
                try {
                    byte[] data = znodes.client().getData().storingStatIn(stat).forPath(path);
                    version = stat.getVersion();
                    long current;
                    try {
                        WorkItem there = Wire.readWork(path, data);
                        if (storeVersion >= 0 && there.storeVersion() > storeVersion) {
                            return new Written(there.generation(), there.storeVersion());
                        }
                        current = there.generation();
                    } catch (MalformedZnodeException e) {
                        problems.report(e);
                        current = version + 1L; // overwritten below with a fresh, larger generation
                    }
                    generation = current + 1;
                } catch (KeeperException.NoNodeException e) {
                    version = -1;
                    generation = 1;
                }
                znodes.write(path, Wire.write(new WorkItem(generation, instances, lb, storeVersion)), version);
                problems.clear(path);
                return new Written(generation, -1);
            } catch (Znodes.Conflict c) {
                if (attempt > 100) {
                    throw zookeeper("write " + path + " (it kept changing under compare-and-set)", c);
                }
            } catch (Exception e) {
                throw zookeeper("write " + path, e);
            }
        }
    }

    private static DriverException zookeeper(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new DriverException("the cluster's state could not be written", "ZooKeeper: could not " + what + ": " + e,
                true, e);
    }

    private ApplyResult awaitApplied(UUID pool, long generation, long deadline) {
        return await(deadline, () -> {
            Optional<Placement> placement = placements.get(paths.placement(pool)).map(Watched.Versioned::value);
            if (placement.isEmpty()) {
                return Optional.empty();
            }
            List<String> placed = placement.get().agents();
            List<String> failures = new ArrayList<>();
            Set<String> tenant = new java.util.LinkedHashSet<>();
            ApplyResult.Action first = null;
            for (int k = 0; k < placed.size(); k++) {
                Optional<Report> r = current(pool, placed.get(k), k, generation);
                if (r.isEmpty()) {
                    return Optional.empty();
                }
                if (r.get().outcome() == Report.Outcome.FAILED) {
                    failures.add("agent " + placed.get(k) + " (ordinal " + k + "): " + r.get().operatorMessage());
                    tenant.add(r.get().tenantMessage());
                } else if (first == null) {
                    first = r.get().action().orElse(ApplyResult.Action.UNCHANGED);
                }
            }
            if (!failures.isEmpty()) {
                throw new DriverException(String.join("; ", tenant), "pool " + pool + " generation " + generation
                        + " failed on " + String.join("; ", failures), false);
            }
            String detail = "generation " + generation + " applied by " + placed
                    + (placed.size() < Math.max(1, capabilities.instanceAddresses()) ? " (fewer agents than instances)" : "");
            return Optional.of(new ApplyResult(first, detail));
        }, () -> "pool " + pool + " generation " + generation + " was not reported applied by every placed agent within "
                + applyTimeout.toMillis() + " ms; " + describe(pool));
    }

    private void awaitRemoved(UUID pool, long generation, long deadline) {
        await(deadline, () -> {
            Optional<Placement> placement = placements.get(paths.placement(pool)).map(Watched.Versioned::value);
            List<String> placed = placement.map(Placement::agents).orElse(List.of());
            for (int k = 0; k < placed.size(); k++) {
                if (agents.get(paths.agent(placed.get(k))).isEmpty()) {
                    continue; // not registered: fenced, and it reconciles against its placements at start
                }
                Optional<Report> r = current(pool, placed.get(k), k, generation);
                if (r.isEmpty()) {
                    return Optional.empty();
                }
                if (r.get().outcome() == Report.Outcome.FAILED) {
                    throw new DriverException(r.get().tenantMessage(), "pool " + pool + ": agent " + placed.get(k)
                            + " could not remove it: " + r.get().operatorMessage(), false);
                }
            }
            return Optional.of(Boolean.TRUE);
        }, () -> "pool " + pool + " was not reported removed by its live agents within " + applyTimeout.toMillis() + " ms; "
                + describe(pool));
        try {
            znodes.deleteTree(paths.work(pool));
            znodes.deleteTree(paths.reports(pool));
        } catch (Exception e) {
            throw zookeeper("delete the work and reports of " + pool, e);
        }
    }

    private Optional<Report> current(UUID pool, String agent, int ordinal, long generation) {
        return reports.get(paths.report(pool, agent)).map(Watched.Versioned::value)
                .filter(r -> r.generation() == generation && r.ordinal() == ordinal);
    }

    private String describe(UUID pool) {
        return "placement " + placements.get(paths.placement(pool)).map(v -> v.value().agents().toString()).orElse("none")
                + ", live agents " + liveAgents() + ", reports " + reportsOf(pool);
    }

    private Set<String> liveAgents() {
        Set<String> out = new java.util.TreeSet<>();
        agents.all().values().forEach(v -> out.add(v.value().agentId()));
        return out;
    }

    private Map<String, String> reportsOf(UUID pool) {
        Map<String, String> out = new java.util.TreeMap<>();
        String prefix = paths.reports(pool) + "/";
        reports.all().forEach((path, v) -> {
            if (path.startsWith(prefix)) {
                Report r = v.value();
                out.put(ZnodePaths.name(path), r.outcome().name().toLowerCase(java.util.Locale.ROOT) + " generation "
                        + r.generation() + " ordinal " + r.ordinal());
            }
        });
        return out;
    }

    private interface Check<T> {
        Optional<T> check();
    }

    private <T> T await(long deadline, Check<T> done, java.util.function.Supplier<String> late) {
        synchronized (signal) {
            while (true) {
                Optional<T> result = done.check();
                if (result.isPresent()) {
                    return result.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DriverException("the cluster did not apply the change in time", late.get(), true);
                }
                try {
                    signal.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DriverException("the cluster did not apply the change", "interrupted while waiting: "
                            + late.get(), true, e);
                }
            }
        }
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        List<String> placed = placements.get(paths.placement(poolId)).map(v -> v.value().agents()).orElse(List.of());
        List<Observation> seen = new ArrayList<>();
        List<InstanceStatus> instances = new ArrayList<>();
        for (int k = 0; k < placed.size(); k++) {
            String agent = placed.get(k);
            int ordinal = k;
            reports.get(paths.report(poolId, agent)).map(Watched.Versioned::value).filter(r -> r.ordinal() == ordinal)
                    .flatMap(Report::observation).ifPresent(o -> {
                        seen.add(o);
                        if (o.instances().isEmpty()) {
                            instances.add(new InstanceStatus(agent + "#" + ordinal, InstanceStatus.Role.UNKNOWN, Optional.empty()));
                        } else {
                            instances.addAll(o.instances());
                        }
                    });
        }
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        if (seen.size() == 1) {
            return Optional.of(seen.get(0));
        }
        long in = 0;
        long out = 0;
        long active = 0;
        long total = 0;
        boolean reset = false;
        Map<UUID, MemberHealth> health = new HashMap<>();
        for (Observation o : seen) {
            in = saturated(in, o.stats().bytesIn());
            out = saturated(out, o.stats().bytesOut());
            active = saturated(active, o.stats().activeConnections());
            total = saturated(total, o.stats().totalConnections());
            reset |= o.countersReset();
            o.memberHealth().forEach(health::putIfAbsent);
        }
        return Optional.of(new Observation(new PoolStats(in, out, active, total), health, reset, instances));
    }

    private static long saturated(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        return LoadBalancerDriver.observeEach(this, poolIds);
    }

    /** Reports each load balancer not placed, placed on an agent that is not registered, or whose report failed. */
    @Override
    public Map<UUID, String> probe(Collection<UUID> poolIds) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (scheduler != null && !scheduler.isLeader()) {
            return out; // the leader's controller heals; the others would only send the same work again
        }
        Set<String> live = liveAgents();
        missingSince.keySet().retainAll(placedAgents());
        missingSince.keySet().removeAll(live);
        long now = System.nanoTime();
        for (UUID id : poolIds) {
            Optional<Placement> placement = placements.get(paths.placement(id)).map(Watched.Versioned::value);
            if (placement.isEmpty()) {
                out.put(id, "not placed on any agent");
                continue;
            }
            List<String> placed = placement.get().agents();
            for (int k = 0; k < placed.size() && !out.containsKey(id); k++) {
                String agent = placed.get(k);
                if (!live.contains(agent)) {
                    long since = missingSince.computeIfAbsent(agent, a -> now);
                    if (now - since >= grace.toNanos()) {
                        out.put(id, "agent " + agent + " (ordinal " + k + ") has not been registered for "
                                + grace.toMillis() + " ms, the scheduler's grace period");
                    }
                } else {
                    Optional<Report> r = reports.get(paths.report(id, agent)).map(Watched.Versioned::value);
                    if (r.isPresent() && r.get().outcome() == Report.Outcome.FAILED) {
                        out.put(id, "agent " + agent + " (ordinal " + k + ") failed: " + r.get().operatorMessage());
                    }
                }
            }
        }
        return out;
    }

    /** How many placed agents the probe found unregistered and tracks (for tests). */
    int missingAgents() {
        return missingSince.size();
    }

    private Set<String> placedAgents() {
        Set<String> out = new HashSet<>();
        placements.all().values().forEach(v -> out.addAll(v.value().agents()));
        return out;
    }

    /**
     * Rewrites the work of every desired load balancer (a generation more: each agent applies it,
     * adopting what already runs) and removes the work of every other, then waits for the agents.
     * A load balancer the agents report {@code UNCHANGED} counts as adopted.
     */
    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        Objects.requireNonNull(desired, "desired");
        Map<UUID, Long> applied = new LinkedHashMap<>();
        Set<UUID> superseded = new HashSet<>();
        for (LoadBalancer lb : desired) {
            Written w = writeWork(lb.id(), Optional.of(lb), storeVersion(lb.id()));
            if (w.supersededBy() >= 0) {
                superseded.add(lb.id());
            } else {
                applied.put(lb.id(), w.generation());
            }
        }
        Map<UUID, Long> removing = new LinkedHashMap<>();
        try {
            for (String child : znodes.client().getChildren().forPath(paths.work())) {
                UUID id = ZnodePaths.poolId(child);
                if (id != null && !applied.containsKey(id) && !superseded.contains(id)
                        && (store == null || !store.hasDocument(id))) {
                    Written w = writeWork(id, Optional.empty(), -1);
                    removing.put(id, w.generation());
                }
            }
        } catch (DriverException e) {
            throw e;
        } catch (Exception e) {
            throw zookeeper("list " + paths.work(), e);
        }
        long deadline = deadline();
        Set<UUID> adopted = new HashSet<>(superseded);
        Set<UUID> repaired = new HashSet<>();
        Set<UUID> removed = new HashSet<>();
        Map<UUID, DriverException> failed = new HashMap<>();
        applied.forEach((id, generation) -> {
            try {
                ApplyResult r = awaitApplied(id, generation, deadline);
                (r.action() == ApplyResult.Action.UNCHANGED ? adopted : repaired).add(id);
            } catch (DriverException e) {
                failed.put(id, e);
            }
        });
        removing.forEach((id, generation) -> {
            try {
                awaitRemoved(id, generation, deadline);
                removed.add(id);
            } catch (DriverException e) {
                failed.put(id, e);
            }
        });
        return new ReconcileReport(adopted, repaired, removed, failed);
    }

    /** Stops watching the cluster; load balancers keep running on the agents. */
    @Override
    public void close() {
        agents.close();
        placements.close();
        reports.close();
    }

    @Override
    public String toString() {
        return "ClusterDriver[" + paths.root() + "]";
    }

    /** Settings of a {@link ClusterDriver}, each with a named default. */
    public static final class Builder {

        private CuratorFramework client;
        private String root = DEFAULT_ROOT;
        private Capabilities capabilities = DEFAULT_CAPABILITIES;
        private Duration applyTimeout = DEFAULT_APPLY_TIMEOUT;
        private ZooKeeperRepository store;
        private Scheduler scheduler;

        private Builder() {
        }

        /**
         * The controller's store (optional): work then carries the store version of the pool's
         * document, and reconcile leaves alone the work of pools the store holds. Give it whenever
         * several controllers share the store.
         */
        public Builder store(ZooKeeperRepository value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * The controller's scheduler (optional): {@link ClusterDriver#probe} then reports only on
         * the controller whose scheduler leads, and a missing agent only after the scheduler's grace
         * period. Without it the driver probes everywhere with {@link Scheduler#DEFAULT_GRACE}.
         */
        public Builder scheduler(Scheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** The Curator client (required; started by the caller, who also closes it). */
        public Builder client(CuratorFramework value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /** The znode root, {@link #DEFAULT_ROOT} by default. */
        public Builder root(String value) {
            this.root = ZnodePaths.checkRoot(value);
            return this;
        }

        /**
         * What the agents' drivers support, {@link #DEFAULT_CAPABILITIES} by default. Its
         * {@code instanceAddresses} is how many instances each load balancer runs (at least 1).
         */
        public Builder capabilities(Capabilities value) {
            this.capabilities = Objects.requireNonNull(value, "capabilities");
            return this;
        }

        /** How long apply, remove and reconcile wait for the agents, {@link #DEFAULT_APPLY_TIMEOUT} by default. */
        public Builder applyTimeout(Duration value) {
            this.applyTimeout = Daemons.positive(value, "applyTimeout");
            return this;
        }

        /**
         * Builds the driver and starts watching the cluster (agents, placements, reports).
         *
         * @throws IllegalStateException when ZooKeeper could not be read
         */
        public ClusterDriver build() {
            if (client == null) {
                throw new IllegalStateException("a ClusterDriver needs a client");
            }
            return new ClusterDriver(this).start();
        }
    }
}

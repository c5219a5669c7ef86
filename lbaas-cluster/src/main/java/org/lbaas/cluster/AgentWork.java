package org.lbaas.cluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one agent runs and how it gets there. {@link #reconcile}, {@link #sync} and
 * {@link #observeAll} run on the agent's single thread; {@link #fence} runs on another, so that a
 * thread blocked in a ZooKeeper call cannot delay it. Every driver call and change of what runs
 * holds {@code driverLock} and checks {@code fenced} first, and no ZooKeeper call is made under it:
 * once fenced, nothing is applied until {@link #unfence}.
 */
final class AgentWork {

    private static final Logger LOG = LoggerFactory.getLogger(AgentWork.class);

    /** One load balancer instance on this agent: the generation handled, what runs, the last report. */
    record Running(int ordinal, long generation, Optional<LoadBalancer> applied, Report report) {
    }

    /** A pool placed on this agent with its work item. */
    record Assigned(int ordinal, WorkItem item) {
    }

    private final String agentId;
    private final ZnodePaths paths;
    private final Znodes znodes;
    private final AgentDrivers drivers;
    private final Watched<Placement> placements;
    private final Watched<WorkItem> work;
    private final Clock clock = Clock.systemUTC();
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    private final Object driverLock = new Object();
    private volatile boolean fenced;
    private volatile int fences;
    private volatile ReconcileReport lastReconcile;

    AgentWork(String agentId, ZnodePaths paths, Znodes znodes, AgentDrivers drivers, Watched<Placement> placements,
              Watched<WorkItem> work) {
        this.agentId = agentId;
        this.paths = paths;
        this.znodes = znodes;
        this.drivers = drivers;
        this.placements = placements;
        this.work = work;
    }

    boolean fenced() {
        return fenced;
    }

    int fences() {
        return fences;
    }

    Optional<ReconcileReport> lastReconcile() {
        return Optional.ofNullable(lastReconcile);
    }

    /** Pool id to ordinal of every instance that runs here now. */
    Map<UUID, Integer> serving() {
        Map<UUID, Integer> out = new HashMap<>();
        running.forEach((id, r) -> r.applied().ifPresent(lb -> out.put(id, r.ordinal())));
        return Map.copyOf(out);
    }

    /**
     * What is placed on this agent now, and the pools it must leave alone because their placement
     * or work znode is malformed.
     */
    private Map<UUID, Assigned> assigned(Set<UUID> skipped) {
        Map<UUID, Assigned> out = new HashMap<>();
        for (String path : placementPaths()) {
            UUID pool = ZnodePaths.poolId(ZnodePaths.name(path));
            if (pool == null) {
                continue;
            }
            Optional<Watched.Versioned<Placement>> placement = placements.get(path);
            Optional<Watched.Versioned<WorkItem>> item = work.get(paths.work(pool));
            if (placement.isEmpty() || (item.isEmpty() && work.exists(paths.work(pool)))) {
                skipped.add(pool);
                continue;
            }
            int ordinal = placement.get().value().ordinalOf(agentId);
            if (ordinal >= 0 && item.isPresent()) {
                out.put(pool, new Assigned(ordinal, item.get().value()));
            }
        }
        return out;
    }

    private Set<String> placementPaths() {
        Set<String> out = new HashSet<>(placements.all().keySet());
        // malformed placements are not in all(): find them through the pools this agent runs
        running.keySet().forEach(id -> {
            if (placements.exists(paths.placement(id))) {
                out.add(paths.placement(id));
            }
        });
        return out;
    }

    /**
     * Reconciles every driver against exactly what is placed on this agent (adopting what runs,
     * removing the rest), then reports each placed load balancer.
     */
    void reconcile() {
        Map<UUID, Report> reports = new HashMap<>();
        synchronized (driverLock) {
            if (fenced) {
                return;
            }
            reconcileDrivers(reports);
        }
        reports.forEach(this::write);
    }

    private void reconcileDrivers(Map<UUID, Report> reports) {
        Set<UUID> skipped = new HashSet<>();
        Map<UUID, Assigned> mine = assigned(skipped);
        Map<LoadBalancerDriver, List<LoadBalancer>> byDriver = new IdentityHashMap<>();
        drivers.all().forEach(d -> byDriver.put(d, new ArrayList<>()));
        mine.forEach((id, a) -> a.item().loadBalancer().ifPresent(lb ->
                byDriver.computeIfAbsent(drivers.forOrdinal(a.ordinal()), d -> new ArrayList<>()).add(lb)));
        for (UUID id : skipped) {
            Running r = running.get(id);
            if (r != null) {
                r.applied().ifPresent(lb -> byDriver.computeIfAbsent(drivers.forOrdinal(r.ordinal()), d -> new ArrayList<>()).add(lb));
            }
        }
        Set<UUID> adopted = new HashSet<>();
        Set<UUID> repaired = new HashSet<>();
        Set<UUID> removed = new HashSet<>();
        Map<UUID, DriverException> failed = new HashMap<>();
        Set<String> foreign = new HashSet<>();
        byDriver.forEach((driver, list) -> {
            try {
                ReconcileReport r = driver.reconcile(list);
                adopted.addAll(r.adopted());
                repaired.addAll(r.repaired());
                removed.addAll(r.removed());
                failed.putAll(r.failed());
                foreign.addAll(r.foreign());
            } catch (RuntimeException e) {
                DriverException d = asDriverException(e);
                list.forEach(lb -> failed.put(lb.id(), d));
            }
        });
        ReconcileReport report = new ReconcileReport(adopted, repaired, removed, failed, foreign);
        lastReconcile = report;
        LOG.info("agent {} reconciled: {} adopted, {} repaired, {} removed, {} failed", agentId, adopted.size(),
                repaired.size(), removed.size(), failed.size());
        running.keySet().removeIf(id -> !skipped.contains(id));
        mine.forEach((id, a) -> {
            Report r;
            Optional<LoadBalancer> lb = a.item().loadBalancer();
            if (lb.isEmpty()) {
                r = report(a, Report.Outcome.REMOVED, Optional.empty(), null, Optional.empty());
            } else if (failed.containsKey(id)) {
                r = report(a, Report.Outcome.FAILED, Optional.empty(), failed.get(id), Optional.empty());
                lb = Optional.empty();
            } else {
                ApplyResult.Action action = adopted.contains(id) ? ApplyResult.Action.UNCHANGED : ApplyResult.Action.DEPLOYED;
                r = report(a, Report.Outcome.APPLIED, Optional.of(action), null, observe(a.ordinal(), id));
            }
            running.put(id, new Running(a.ordinal(), a.item().generation(), lb, r));
            reports.put(id, r);
        });
    }

    /** Applies what changed in the placements and work items since the last call. */
    void sync() {
        if (fenced) {
            return;
        }
        Set<UUID> skipped = new HashSet<>();
        Map<UUID, Assigned> mine = assigned(skipped);
        mine.forEach((id, a) -> {
            Running r = running.get(id);
            if (r != null && r.generation() == a.item().generation() && r.ordinal() == a.ordinal()) {
                return;
            }
            handle(id, a, r);
        });
        for (UUID id : Set.copyOf(running.keySet())) {
            if (!mine.containsKey(id) && !skipped.contains(id)) {
                synchronized (driverLock) {
                    if (fenced) {
                        return;
                    }
                    Running r = running.remove(id);
                    if (r != null) {
                        removeQuietly(r.ordinal(), id);
                    }
                }
                try {
                    znodes.deleteTree(paths.report(id, agentId));
                } catch (Exception e) {
                    LOG.debug("agent {}: could not delete its report of {}: {}", agentId, id, e.toString());
                }
            }
        }
    }

    private void handle(UUID id, Assigned a, Running before) {
        Report r;
        synchronized (driverLock) {
            if (fenced) {
                return;
            }
            r = applyLocked(id, a, before);
        }
        write(id, r);
    }

    private Report applyLocked(UUID id, Assigned a, Running before) {
        Optional<LoadBalancer> previous = Optional.empty();
        if (before != null && before.ordinal() != a.ordinal()) {
            removeQuietly(before.ordinal(), id);
        } else if (before != null) {
            previous = before.applied();
        }
        LoadBalancerDriver driver = drivers.forOrdinal(a.ordinal());
        Report r;
        Optional<LoadBalancer> applied;
        try {
            if (a.item().loadBalancer().isPresent()) {
                LoadBalancer lb = a.item().loadBalancer().get();
                ApplyResult result = driver.apply(previous, lb);
                applied = Optional.of(lb);
                r = report(a, Report.Outcome.APPLIED, Optional.of(result.action()), null, observe(a.ordinal(), id));
            } else {
                driver.remove(id);
                applied = Optional.empty();
                r = report(a, Report.Outcome.REMOVED, Optional.empty(), null, Optional.empty());
            }
        } catch (RuntimeException e) {
            DriverException d = asDriverException(e);
            LOG.warn("agent {}: generation {} of pool {} failed: {}", agentId, a.item().generation(), id, d.operatorMessage());
            applied = previous;
            r = report(a, Report.Outcome.FAILED, Optional.empty(), d, Optional.empty());
        }
        running.put(id, new Running(a.ordinal(), a.item().generation(), applied, r));
        return r;
    }

    /** Repairs what the drivers' probes report and rewrites every report with a fresh observation. */
    void observeAll() {
        if (fenced) {
            return;
        }
        for (UUID id : Set.copyOf(running.keySet())) {
            Report next;
            synchronized (driverLock) {
                Running r = running.get(id);
                if (fenced) {
                    return;
                }
                if (r == null) {
                    continue;
                }
                next = observeLocked(id, r);
            }
            write(id, next);
        }
    }

    private Report observeLocked(UUID id, Running r) {
        Optional<Observation> seen = Optional.empty();
        if (r.applied().filter(LoadBalancer::isDeployable).isPresent() && r.report().outcome() == Report.Outcome.APPLIED) {
            LoadBalancerDriver driver = drivers.forOrdinal(r.ordinal());
            try {
                if (!driver.probe(List.of(id)).isEmpty()) {
                    LOG.info("agent {}: pool {} is not served; repairing it", agentId, id);
                    driver.repair(r.applied().get());
                }
            } catch (RuntimeException ex) {
                LOG.warn("agent {}: repairing pool {} failed: {}", agentId, id, ex.toString());
            }
            seen = observe(r.ordinal(), id);
        }
        Report next = r.report().withObservation(seen, clock.instant());
        running.put(id, new Running(r.ordinal(), r.generation(), r.applied(), next));
        return next;
    }

    /**
     * Stops serving every load balancer of this agent (its connection to ZooKeeper is gone long
     * enough that the scheduler may move them): nothing answers for their VIPs here any more.
     */
    void fence(String why) {
        synchronized (driverLock) {
            if (fenced) {
                return;
            }
            fenced = true;
            fences++;
            LOG.warn("agent {} fences itself ({}): stops serving {} load balancers", agentId, why, running.size());
            running.forEach((id, r) -> {
                if (r.applied().isPresent()) {
                    removeQuietly(r.ordinal(), id);
                }
            });
            running.clear();
        }
    }

    /** Ends fencing: the caller re-registered; everything placed here is reconciled again. */
    void unfence() {
        synchronized (driverLock) {
            fenced = false;
        }
        reconcile();
        sync();
    }

    private void removeQuietly(int ordinal, UUID id) {
        try {
            drivers.forOrdinal(ordinal).remove(id);
        } catch (RuntimeException e) {
            LOG.warn("agent {}: could not remove pool {}: {}", agentId, id, e.toString());
        }
    }

    private Optional<Observation> observe(int ordinal, UUID id) {
        try {
            return drivers.forOrdinal(ordinal).observe(id);
        } catch (RuntimeException e) {
            LOG.debug("agent {}: could not observe pool {}: {}", agentId, id, e.toString());
            return Optional.empty();
        }
    }

    private Report report(Assigned a, Report.Outcome outcome, Optional<ApplyResult.Action> action, DriverException failure,
                          Optional<Observation> observation) {
        return new Report(a.item().generation(), a.ordinal(), outcome, action,
                failure == null ? "" : failure.tenantMessage(), failure == null ? "" : failure.operatorMessage(),
                observation, clock.instant());
    }

    private void write(UUID id, Report r) {
        try {
            znodes.put(paths.report(id, agentId), Wire.write(r));
        } catch (Exception e) {
            LOG.warn("agent {}: could not write its report of {} (rewritten with the next observation): {}", agentId, id,
                    e.toString());
        }
    }

    private static DriverException asDriverException(RuntimeException e) {
        return e instanceof DriverException d ? d
                : new DriverException("the load balancer could not be applied", "the agent's driver failed: " + e, false, e);
    }
}

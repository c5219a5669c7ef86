package org.lbaas.driver.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * The reference driver without a data plane: it keeps the load balancers it "runs" in memory and
 * behaves in every other way as the driver contract asks, so lbaas can be tried, and a service
 * tested, without HAProxy. It passes the conformance kit (module conformance-kit).
 *
 * <ul>
 *   <li><b>Deployment.</b> A load balancer runs while it {@linkplain LoadBalancer#isDeployable() is
 *       deployable}; applying one that is not stops it ({@code UNDEPLOYED}).</li>
 *   <li><b>Changes.</b> Only what a data plane would carry counts: statuses, names and descriptions
 *       are ignored. The same state again is {@code UNCHANGED}; a change of members only is
 *       {@code CHANGED_IN_PLACE} (as a runtime API would do it); anything else is
 *       {@code RELOADED}. {@code previous} is not trusted: the driver compares with what runs.</li>
 *   <li><b>Capabilities.</b> Everything the model expresses, with the limits of the
 *       {@link InMemoryDriverProvider provider's settings}; a load balancer beyond them is refused
 *       with a {@link DriverException} even when handed over directly, and what runs is kept.</li>
 *   <li><b>Statistics</b> are synthetic, driven by the configured clock: each member that takes
 *       traffic (admin up, weight above 0, in a pool that is admin up) adds 3 bytes in, 12 bytes
 *       out and a quarter of a connection per millisecond. Counters survive changes and are never
 *       reset while the load balancer runs; a clock that goes backwards adds nothing.</li>
 *   <li><b>Member health</b>: {@code MAINT} for a member that is admin down, {@code DRAIN} for
 *       weight 0, {@code UP} when the pool has an active monitor, {@code NO_MONITOR} otherwise.</li>
 *   <li><b>Crashes</b> are simulated for tests: {@link #crash(UUID)} kills a load balancer's
 *       instance as a {@code kill -9} would. It then serves nothing ({@link #observe} and
 *       {@link #running} find nothing, its traffic stops), {@link #probe} reports it, and
 *       {@link #repair}, {@link #apply} or {@link #reconcile} bring it back with its counters
 *       kept.</li>
 *   <li><b>Threads.</b> Safe for concurrent calls; calls for one load balancer are atomic.</li>
 * </ul>
 *
 * <p>What runs lives as long as this object: {@link #close()} forgets nothing, but a new driver
 * starts empty.
 */
public final class InMemoryDriver implements LoadBalancerDriver {

    private final Capabilities capabilities;
    private final Clock clock;
    private final Map<UUID, Instance> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    InMemoryDriver(Capabilities capabilities, Clock clock) {
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One load balancer: as it was told, as the data plane carries it, its traffic, and why it
     * crashed ({@code ""} while it runs).
     */
    private record Instance(LoadBalancer told, LoadBalancer plane, Traffic traffic, String crash) {

        Instance at(Instant now) {
            return new Instance(told, plane, traffic.at(now), crash);
        }

        boolean crashed() {
            return !crash.isEmpty();
        }
    }

    /**
     * Traffic counted in member-milliseconds: the sum over time of the members that take traffic.
     *
     * @param memberMillis the accumulated member-milliseconds
     * @param since when they were last accumulated
     * @param serving how many members take traffic now
     */
    private record Traffic(long memberMillis, Instant since, int serving) {

        static Traffic start(Instant now, int serving) {
            return new Traffic(0, now, serving);
        }

        Traffic at(Instant now) {
            if (!now.isAfter(since)) {
                return this;
            }
            long millis = Duration.between(since, now).toMillis();
            return new Traffic(saturated(memberMillis, millis, serving), now, serving);
        }

        Traffic serving(int newServing) {
            return new Traffic(memberMillis, since, newServing);
        }

        PoolStats stats() {
            return new PoolStats(times(memberMillis, 3), times(memberMillis, 12), serving, memberMillis / 4);
        }

        private static long saturated(long total, long millis, int members) {
            long add = times(millis, members);
            long sum = total + add;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }

        private static long times(long value, long factor) {
            long high = Math.multiplyHigh(value, factor);
            long product = value * factor;
            return high != 0 || product < 0 ? Long.MAX_VALUE : product;
        }
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        LoadBalancerDriver.requireSamePool(previous, desired);
        checkOpen();
        refuseUnsupported(desired);
        Instant now = clock.instant();
        ApplyResult[] result = new ApplyResult[1];
        running.compute(desired.id(), (id, current) -> {
            result[0] = transition(current, desired, now);
            return next(current, desired, now);
        });
        return result[0];
    }

    private static ApplyResult transition(Instance current, LoadBalancer desired, Instant now) {
        if (!desired.isDeployable()) {
            return new ApplyResult(ApplyResult.Action.UNDEPLOYED, current == null ? "nothing ran" : "stopped");
        }
        if (current == null) {
            return ApplyResult.of(ApplyResult.Action.DEPLOYED);
        }
        if (current.crashed()) {
            return new ApplyResult(ApplyResult.Action.DEPLOYED, "restarted the instance that crashed (" + current.crash() + ")");
        }
        LoadBalancer plane = dataPlaneView(desired);
        if (current.plane().equals(plane)) {
            return ApplyResult.of(ApplyResult.Action.UNCHANGED);
        }
        if (current.plane().withMembers(plane.members()).equals(plane)) {
            return new ApplyResult(ApplyResult.Action.CHANGED_IN_PLACE, "members changed at runtime");
        }
        return ApplyResult.of(ApplyResult.Action.RELOADED);
    }

    private static Instance next(Instance current, LoadBalancer desired, Instant now) {
        if (!desired.isDeployable()) {
            return null;
        }
        LoadBalancer plane = dataPlaneView(desired);
        int serving = serving(plane);
        if (current == null) {
            return new Instance(desired, plane, Traffic.start(now, serving), "");
        }
        // a crashed instance added no traffic since its crash (it served 0): counters carry on
        return new Instance(desired, plane, current.traffic().at(now).serving(serving), "");
    }

    @Override
    public void remove(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        running.remove(poolId);
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        Instant now = clock.instant();
        Instance seen = running.computeIfPresent(poolId, (id, current) -> current.at(now));
        if (seen == null || seen.crashed()) {
            return Optional.empty();
        }
        Map<UUID, MemberHealth> health = new HashMap<>();
        boolean monitored = !seen.plane().activeMonitors().isEmpty();
        for (Member m : seen.plane().members()) {
            health.put(m.id(), health(m, monitored));
        }
        return Optional.of(new Observation(seen.traffic().stats(), health, false));
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        Objects.requireNonNull(desired, "desired");
        checkOpen();
        Instant now = clock.instant();
        Set<UUID> wanted = new TreeSet<>();
        Set<UUID> adopted = new TreeSet<>();
        Set<UUID> repaired = new TreeSet<>();
        Set<UUID> removed = new TreeSet<>();
        Map<UUID, DriverException> failed = new LinkedHashMap<>();
        for (LoadBalancer lb : desired) {
            wanted.add(lb.id());
            try {
                refuseUnsupported(lb);
            } catch (DriverException e) {
                failed.put(lb.id(), e);
                continue;
            }
            running.compute(lb.id(), (id, current) -> {
                ApplyResult.Action action = transition(current, lb, now).action();
                if (!lb.isDeployable()) {
                    if (current != null) {
                        removed.add(id);
                    }
                } else if (action == ApplyResult.Action.UNCHANGED) {
                    adopted.add(id);
                } else {
                    repaired.add(id);
                }
                return next(current, lb, now);
            });
        }
        for (UUID id : Set.copyOf(running.keySet())) {
            if (!wanted.contains(id) && running.remove(id) != null) {
                removed.add(id);
            }
        }
        return new ReconcileReport(adopted, repaired, removed, failed);
    }

    /**
     * Reports every id whose load balancer does not run: one that {@linkplain #crash crashed}, or
     * one this driver does not run at all. Changes nothing.
     */
    @Override
    public Map<UUID, String> probe(Collection<UUID> poolIds) {
        Objects.requireNonNull(poolIds, "poolIds");
        checkOpen();
        Map<UUID, String> out = new LinkedHashMap<>();
        for (UUID id : poolIds) {
            Instance i = running.get(id);
            if (i == null) {
                out.put(id, "nothing runs for it");
            } else if (i.crashed()) {
                out.put(id, "its instance crashed (" + i.crash() + ")");
            }
        }
        return out;
    }

    /**
     * Brings a load balancer back to serving {@code desired}: restarts a crashed instance (its
     * counters carry on), starts a missing one, and changes a running one only where it differs.
     */
    @Override
    public ApplyResult repair(LoadBalancer desired) {
        return apply(Optional.empty(), desired);
    }

    /**
     * Test hook: kills the instance of a running load balancer, as {@code kill -9} of its process
     * would. Until it is {@linkplain #repair repaired} (or applied or reconciled again), it serves
     * nothing, {@link #observe} and {@link #running} find nothing, and {@link #probe} reports it.
     *
     * @param poolId the pool id
     * @return whether an instance ran and was killed
     */
    public boolean crash(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        checkOpen();
        Instant now = clock.instant();
        boolean[] killed = new boolean[1];
        running.computeIfPresent(poolId, (id, current) -> {
            if (current.crashed()) {
                return current;
            }
            killed[0] = true;
            return new Instance(current.told(), current.plane(), current.traffic().at(now).serving(0),
                    "killed by crash() at " + now);
        });
        return killed[0];
    }

    /**
     * Returns the load balancer that runs for a pool id, as the driver was last told it.
     *
     * @param poolId the pool id
     * @return the load balancer, empty when nothing runs for that id (or its instance crashed)
     */
    public Optional<LoadBalancer> running(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return Optional.ofNullable(running.get(poolId)).filter(i -> !i.crashed()).map(Instance::told);
    }

    /** Returns the pool ids of every load balancer that runs (not those whose instance crashed). */
    public Set<UUID> runningIds() {
        return running.entrySet().stream().filter(e -> !e.getValue().crashed()).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Marks the driver closed; later calls fail. What runs is kept in this object. */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the in-memory driver was closed");
        }
    }

    private void refuseUnsupported(LoadBalancer lb) {
        capabilities.requireSupported(lb, "in-memory driver");
    }

    private static MemberHealth health(Member m, boolean monitored) {
        if (!m.adminStateUp()) {
            return MemberHealth.MAINT;
        }
        if (m.weight() == 0) {
            return MemberHealth.DRAIN;
        }
        return monitored ? MemberHealth.UP : MemberHealth.NO_MONITOR;
    }

    private static int serving(LoadBalancer plane) {
        if (!plane.pool().adminStateUp()) {
            return 0;
        }
        return (int) plane.members().stream().filter(m -> m.adminStateUp() && m.weight() > 0).count();
    }

    /** The load balancer without what no data plane carries: statuses, names and descriptions. */
    static LoadBalancer dataPlaneView(LoadBalancer lb) {
        Pool pool = lb.pool().toBuilder().name("").description("").status(Status.ACTIVE).statusDescription("").build();
        Optional<Vip> vip = lb.vip().map(v -> v.toBuilder().name("").description("").status(Status.ACTIVE)
                .statusDescription("").build());
        List<Member> members = lb.members().stream()
                .map(m -> m.toBuilder().status(Status.ACTIVE).statusDescription("").build()).toList();
        return new LoadBalancer(lb.subnet(), pool, vip, members, lb.healthMonitors());
    }

    @Override
    public String toString() {
        return "InMemoryDriver[" + running.size() + " running]";
    }
}

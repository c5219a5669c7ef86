package org.lbaas.driver.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.LoadBalancer;

/**
 * A load-balancer driver: makes a data plane serve the load balancers it is given.
 *
 * <p><b>Desired state, with the previous one.</b> The service hands a driver whole load balancers
 * (pool, VIP, members, associated monitors, subnet), never single objects: {@link #apply} receives
 * the load balancer as the driver was last told it and as it should now be, so a driver can diff
 * any change (a member added, a weight changed, a monitor associated) and choose how to apply it.
 *
 * <p><b>Idempotent by id.</b> Applying the same desired state twice changes nothing the second
 * time; removing a load balancer the driver does not run succeeds. A driver must tolerate being
 * told a {@code previous} state that does not match what runs (after a crash, say) and converge on
 * {@code desired} anyway.
 *
 * <p><b>Deployment.</b> A load balancer is served only while {@link LoadBalancer#isDeployable()}:
 * when it has no VIP or its VIP is admin down, {@code apply} makes sure nothing runs for it.
 *
 * <p><b>Errors.</b> Every failure is a {@link DriverException} carrying a message for the tenant,
 * one for the operator, and whether a retry can help. A failed call leaves the data plane as it was
 * before the call, or serving the desired state; never half-built.
 *
 * <p><b>Threads.</b> The service never calls a driver concurrently for one load balancer; calls for
 * different load balancers may run in parallel, so implementations must be thread-safe across ids.
 * Calls block until done; the service enforces deadlines.
 */
public interface LoadBalancerDriver extends AutoCloseable {

    /** Returns what this driver supports; the service rejects anything else before calling it. */
    Capabilities capabilities();

    /**
     * Makes the data plane serve {@code desired}.
     *
     * @param previous the load balancer as this driver was last told it, empty for a new one
     * @param desired the load balancer as it should be (same pool id)
     * @return how the change was applied
     * @throws DriverException when it could not be applied
     */
    ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired);

    /**
     * Checks the arguments of {@link #apply}: both given, and {@code previous}, if any, of the same
     * pool as {@code desired}. For drivers to call first in {@code apply}.
     *
     * @param previous the load balancer as the driver was last told it, or empty
     * @param desired the load balancer as it should be
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the two describe different pools, naming both ids
     */
    static void requireSamePool(Optional<LoadBalancer> previous, LoadBalancer desired) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(desired, "desired");
        previous.filter(p -> !p.id().equals(desired.id())).ifPresent(p -> {
            throw new IllegalArgumentException("previous and desired describe different pools: " + p.id() + ", " + desired.id());
        });
    }

    /**
     * Stops serving a load balancer and removes everything the driver made for it. Succeeds when
     * nothing runs for that id.
     *
     * @param poolId the load balancer's pool id
     * @throws DriverException when something could not be removed
     */
    void remove(UUID poolId);

    /**
     * Reads the traffic counters and the members' health of a running load balancer. Counters are
     * cumulative across the driver's own reloads and restarts of the data plane where it can keep
     * them, never negative, and never go down except when {@link Observation#countersReset()} says so.
     *
     * @param poolId the load balancer's pool id
     * @return the observation, empty when nothing runs for that id
     * @throws DriverException when the data plane could not be read
     */
    Optional<Observation> observe(UUID poolId);

    /**
     * Observes many load balancers at once. The default calls {@link #observe} for each id in turn;
     * drivers that can read in parallel or in one pass override it.
     *
     * @param poolIds the ids
     * @return an observation for each id that runs; ids that do not run are absent
     * @throws DriverException when the data plane could not be read
     */
    default Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        return observeEach(this, poolIds);
    }

    /**
     * Observes each id in turn through {@code driver.observe}, as the default {@link #observeAll}
     * does: for a driver or a wrapper (such as a {@link ForwardingDriver} that changes
     * {@code observe}) whose {@code observeAll} must answer exactly what its {@code observe} does.
     *
     * @param driver the driver whose {@code observe} is called
     * @param poolIds the ids, in the order of the answer
     * @return an observation for each id that runs; ids that do not run are absent
     * @throws NullPointerException if an argument is null
     * @throws DriverException when the data plane could not be read
     */
    static Map<UUID, Observation> observeEach(LoadBalancerDriver driver, Collection<UUID> poolIds) {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(poolIds, "poolIds");
        Map<UUID, Observation> out = new LinkedHashMap<>();
        for (UUID id : poolIds) {
            driver.observe(id).ifPresent(o -> out.put(id, o));
        }
        return out;
    }

    /**
     * Checks cheaply whether deployed load balancers are still served as last applied: for a
     * process-based data plane, that the process lives and answers and that its network plumbing
     * exists. A long-running service calls this every second or so for every deployed load
     * balancer and {@linkplain #repair repairs} the ones reported, so it must not change anything
     * and should cost little per id (no config rendering, no host-wide scans per id).
     *
     * <p>The default reports nothing: a driver that cannot tell is never repaired on its own.
     *
     * @param poolIds ids of load balancers this driver was told to serve (deployable ones)
     * @return for each id that is not served, a one-line reason for the operator (for example
     *     {@code "haproxy pid 4242 exited"}); ids that are served, or that the driver cannot judge,
     *     are absent
     * @throws DriverException when the data plane could not be examined at all
     */
    default Map<UUID, String> probe(Collection<UUID> poolIds) {
        return Map.of();
    }

    /**
     * Brings one load balancer that {@link #probe} reported back to serving {@code desired}:
     * restarts what died, recreates what vanished, and leaves what still works untouched. Like
     * {@link #apply}, it is idempotent and leaves nothing half-built.
     *
     * <p>The default applies {@code desired} as if it were new, which converges for any driver that
     * honours {@link #apply}'s contract for a wrong {@code previous}.
     *
     * @param desired the load balancer as it should be served (deployable)
     * @return how it was brought back
     * @throws DriverException when it could not be repaired (the service retries with a back-off)
     */
    default ApplyResult repair(LoadBalancer desired) {
        return apply(Optional.empty(), desired);
    }

    /**
     * Compares what runs with what should run: adopts healthy instances that serve the desired state
     * without restarting them, repairs (restarts or re-applies) those that do not, and removes
     * every instance of a load balancer not in {@code desired} (orphans). Called on start and on
     * request.
     *
     * @param desired every load balancer this driver should run, deployable or not
     * @return what was found and done
     * @throws DriverException when the data plane could not be listed at all (a failure of one
     *     load balancer is reported in the result instead)
     */
    ReconcileReport reconcile(Collection<LoadBalancer> desired);

    /**
     * Releases what the driver holds in this process (threads, connections). Load balancers keep
     * running: a new driver adopts them through {@link #reconcile}.
     */
    @Override
    void close();
}

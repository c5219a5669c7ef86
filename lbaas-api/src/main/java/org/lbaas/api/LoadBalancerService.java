package org.lbaas.api;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Vip;

/**
 * The LBaaS v1 service: the tenant flow of Neutron LBaaS v1 over one {@link LoadBalancerDriver}.
 * Create a pool, add members, create health monitors and associate them with the pool, then create
 * the VIP; read, list, update and delete each object.
 *
 * <p><b>Checked first.</b> Every call is checked before anything changes: the model's rules
 * ({@link InvalidRequestException} listing every violation), the relations between objects
 * ({@link NotFoundException}, {@link ConflictException}, {@link InvalidStateException} for a change
 * while {@code PENDING_DELETE}) and the driver's capabilities ({@link UnsupportedByDriverException}).
 * A call that throws changed nothing.
 *
 * <p><b>Status lifecycle.</b> A change is stored at once with {@code PENDING_CREATE},
 * {@code PENDING_UPDATE} or {@code PENDING_DELETE} and returned as a {@link Pending}; the driver then
 * applies the whole load balancer, after which the object is {@code ACTIVE}, {@code DISABLED} (admin
 * down) or {@code ERROR} with the driver's tenant message as status description. A driver call that
 * exceeds the deadline ends in {@code ERROR} too: nothing stays pending. An object in {@code ERROR}
 * is retried by any update of it (even an empty one) or by {@link #retry(UUID)}. A successful apply
 * also clears {@code ERROR} from every other object of that load balancer, since all of them were
 * applied. Deleting a pool deletes its members and associations with it.
 *
 * <p><b>Ids.</b> The service gives every new object a random id unless the create request names one
 * ({@code withId} on {@link PoolCreate}, {@link MemberCreate}, {@link HealthMonitorCreate},
 * {@link VipCreate}), as a control plane that already has ids needs. Ids are unique per kind across
 * all tenants. A create naming a taken id is refused with a {@link ConflictException} naming the
 * kind and the id, except when it repeats the create that made the object: same id, same tenant,
 * same parent pool, and every attribute it sets equal to the object's attributes as they are now
 * (a VIP's absent address or port id is not compared; status is not an attribute; an object being
 * deleted never matches). A repeat changes nothing and answers the existing object, its
 * {@link Pending} completing when that object is settled, so a caller that crashed after a create
 * can simply create again.
 *
 * <p><b>Order and concurrency.</b> The service is thread-safe. Changes to one load balancer are
 * applied in the order they were accepted (changes that arrive while the driver is busy are applied
 * together in the next call); different load balancers are applied in parallel on a bounded pool of
 * threads.
 *
 * <p><b>Durability.</b> A change is written to the {@link Repository} before the call returns. A
 * service built over the same repository sees every acknowledged object, re-applies what was left
 * pending and asks the driver to reconcile.
 *
 * <p><b>Self-healing.</b> While the service runs, it asks the driver every second
 * ({@link Builder#selfHealing}) whether its deployed, settled load balancers are still served
 * ({@link LoadBalancerDriver#probe}, one call for all of them) and repairs each one that is not
 * ({@link LoadBalancerDriver#repair}): in the load balancer's order of driver calls (never beside an
 * apply or remove of it), with its desired state at that moment, within the driver deadline. A load
 * balancer that keeps dying is repaired with an exponential back-off (at most
 * {@link Builder#selfHealingMaxBackoff}, 60 s by default). A successful repair leaves the objects
 * as they were ({@code ACTIVE}); a failed one sets the pool to {@code ERROR} with a status
 * description (heard by the {@link StatusListener}), and the next successful repair sets it back.
 * Pools in {@code ERROR} for other reasons are left to {@link #retry(UUID)}. {@link #close()} stops
 * it.
 */
public interface LoadBalancerService extends AutoCloseable {

    /**
     * Creates a pool without members, monitors or VIP.
     *
     * @param request the pool
     * @return the pool as stored ({@code PENDING_CREATE}) and its outcome
     */
    Pending<PoolView> createPool(PoolCreate request);

    /**
     * Returns a pool.
     *
     * @param poolId the id
     * @return the pool
     * @throws NotFoundException when there is none
     */
    PoolView getPool(UUID poolId);

    /** Returns every pool, in creation order. */
    List<PoolView> listPools();

    /**
     * Returns the pools of one tenant, in creation order.
     *
     * @param tenantId the tenant
     * @return its pools
     */
    List<PoolView> listPools(String tenantId);

    /**
     * Updates a pool (name, description, lb_method, admin_state_up).
     *
     * @param poolId the id
     * @param update the fields to change
     * @return the pool as stored and its outcome
     */
    Pending<PoolView> updatePool(UUID poolId, PoolUpdate update);

    /**
     * Deletes a pool with its members and monitor associations. Refused while it has a VIP.
     *
     * @param poolId the id
     * @return the pool as stored ({@code PENDING_DELETE}); the outcome is empty once it is gone, or
     *     holds the pool in {@code ERROR} when the driver could not remove it
     */
    Pending<Optional<PoolView>> deletePool(UUID poolId);

    /**
     * Re-applies a load balancer: every object of it in {@code ERROR}, and the pool, become
     * {@code PENDING_UPDATE} and the driver applies the whole load balancer again.
     *
     * @param poolId the pool id
     * @return the pool as stored and its outcome
     */
    Pending<PoolView> retry(UUID poolId);

    /**
     * Adds a member to a pool.
     *
     * @param request the member
     * @return the member as stored and its outcome
     */
    Pending<Member> createMember(MemberCreate request);

    /**
     * Returns a member.
     *
     * @param memberId the id
     * @return the member
     * @throws NotFoundException when there is none
     */
    Member getMember(UUID memberId);

    /** Returns every member, in creation order within each pool. */
    List<Member> listMembers();

    /**
     * Returns the members of one tenant.
     *
     * @param tenantId the tenant
     * @return its members
     */
    List<Member> listMembers(String tenantId);

    /**
     * Updates a member (weight, admin_state_up) or moves it to another pool.
     *
     * @param memberId the id
     * @param update the fields to change
     * @return the member as stored and its outcome (after both load balancers were applied, for a move)
     */
    Pending<Member> updateMember(UUID memberId, MemberUpdate update);

    /**
     * Deletes a member.
     *
     * @param memberId the id
     * @return the member as stored ({@code PENDING_DELETE}) and its outcome
     */
    Pending<Optional<Member>> deleteMember(UUID memberId);

    /**
     * Creates a health monitor, associated with no pool.
     *
     * @param request the monitor
     * @return the monitor (a monitor alone needs no driver, so the outcome is already complete)
     */
    Pending<HealthMonitorView> createHealthMonitor(HealthMonitorCreate request);

    /**
     * Returns a health monitor with its associations.
     *
     * @param monitorId the id
     * @return the monitor
     * @throws NotFoundException when there is none
     */
    HealthMonitorView getHealthMonitor(UUID monitorId);

    /** Returns every health monitor, in creation order. */
    List<HealthMonitorView> listHealthMonitors();

    /**
     * Returns the health monitors of one tenant.
     *
     * @param tenantId the tenant
     * @return its monitors
     */
    List<HealthMonitorView> listHealthMonitors(String tenantId);

    /**
     * Updates a health monitor and re-applies every pool it is associated with.
     *
     * @param monitorId the id
     * @param update the fields to change
     * @return the monitor with its associations ({@code PENDING_UPDATE}) and its outcome, complete
     *     when every associated load balancer was applied
     */
    Pending<HealthMonitorView> updateHealthMonitor(UUID monitorId, HealthMonitorUpdate update);

    /**
     * Deletes a health monitor. Refused while it is associated with a pool.
     *
     * @param monitorId the id
     * @return the monitor as it was; the outcome is already complete and empty
     */
    Pending<Optional<HealthMonitorView>> deleteHealthMonitor(UUID monitorId);

    /**
     * Associates a health monitor with a pool.
     *
     * @param poolId the pool
     * @param monitorId the monitor
     * @return the association as stored ({@code PENDING_CREATE}) and its outcome
     */
    Pending<PoolMonitorAssociation> associate(UUID poolId, UUID monitorId);

    /**
     * Removes the association of a health monitor with a pool.
     *
     * @param poolId the pool
     * @param monitorId the monitor
     * @return the association as stored ({@code PENDING_DELETE}) and its outcome
     */
    Pending<Optional<PoolMonitorAssociation>> disassociate(UUID poolId, UUID monitorId);

    /**
     * Creates the VIP of a pool, which deploys its load balancer.
     *
     * @param request the VIP
     * @return the VIP as stored and its outcome
     */
    Pending<Vip> createVip(VipCreate request);

    /**
     * Returns a VIP.
     *
     * @param vipId the id
     * @return the VIP
     * @throws NotFoundException when there is none
     */
    Vip getVip(UUID vipId);

    /** Returns every VIP. */
    List<Vip> listVips();

    /**
     * Returns the VIPs of one tenant.
     *
     * @param tenantId the tenant
     * @return its VIPs
     */
    List<Vip> listVips(String tenantId);

    /**
     * Updates a VIP; absent session persistence is kept.
     *
     * @param vipId the id
     * @param update the fields to change
     * @return the VIP as stored and its outcome
     */
    Pending<Vip> updateVip(UUID vipId, VipUpdate update);

    /**
     * Deletes a VIP, which undeploys its load balancer.
     *
     * @param vipId the id
     * @return the VIP as stored ({@code PENDING_DELETE}) and its outcome
     */
    Pending<Optional<Vip>> deleteVip(UUID vipId);

    /**
     * Returns a pool's traffic counters, read from the driver.
     *
     * @param poolId the pool
     * @return the counters; zero when nothing is deployed for the pool
     * @throws NotFoundException when there is no such pool
     * @throws DriverException when the driver could not read them within the deadline
     */
    PoolStats stats(UUID poolId);

    /**
     * Returns the operating health of a pool's members, read from the driver.
     *
     * @param poolId the pool
     * @return health by member id; empty when nothing is deployed for the pool
     * @throws NotFoundException when there is no such pool
     * @throws DriverException when the driver could not read it within the deadline
     */
    Map<UUID, MemberHealth> memberHealth(UUID poolId);

    /**
     * Returns a load balancer as the driver is (or is about to be) told it: objects being deleted
     * are left out.
     *
     * @param poolId the pool
     * @return the load balancer
     * @throws NotFoundException when there is no such pool
     */
    LoadBalancer loadBalancer(UUID poolId);

    /**
     * Stops the service's threads, self-healing included. Driver calls in progress are given a
     * moment to finish. The driver and the repository are the caller's and stay open.
     */
    @Override
    void close();

    /** Returns a builder. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LoadBalancerService}; only the driver is required. */
    final class Builder {
        LoadBalancerDriver driver;
        Repository repository = Repository.inMemory();
        SubnetRegistry subnets = SubnetRegistry.of();
        Duration driverDeadline = Duration.ofSeconds(30);
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        ExecutorService executor;
        Clock clock = Clock.systemUTC();
        StatusListener listener = StatusListener.NONE;
        String providerName = "";
        Duration selfHealingInterval = Duration.ofSeconds(1);
        Duration selfHealingMaxBackoff = Duration.ofSeconds(60);
        /** A Micrometer {@code MeterRegistry}, typed {@code Object} so the builder never loads Micrometer. */
        Object meterRegistry;
        Duration poolMetricsInterval = Duration.ofSeconds(10);
        ServiceMetrics metrics = ServiceMetrics.NONE;

        private Builder() {
        }

        /**
         * Sets the driver (required).
         *
         * @param value the driver
         * @return this builder
         */
        public Builder driver(LoadBalancerDriver value) {
            this.driver = Objects.requireNonNull(value, "driver");
            return this;
        }

        /**
         * Sets where objects are kept; default {@link Repository#inMemory()}.
         *
         * @param value the repository
         * @return this builder
         */
        public Builder repository(Repository value) {
            this.repository = Objects.requireNonNull(value, "repository");
            return this;
        }

        /**
         * Sets where subnets are looked up; default: no subnets.
         *
         * @param value the registry
         * @return this builder
         */
        public Builder subnets(SubnetRegistry value) {
            this.subnets = Objects.requireNonNull(value, "subnets");
            return this;
        }

        /**
         * Sets how long one driver call may take before its objects go to {@code ERROR}; default 30 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder driverDeadline(Duration value) {
            this.driverDeadline = positive(value, "driverDeadline");
            return this;
        }

        /**
         * Sets how many driver calls may run at once (for different load balancers); default the
         * number of processors, at least 4. Ignored when {@link #executor} is set.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + value);
            }
            this.threads = value;
            return this;
        }

        /**
         * Runs driver calls on the caller's executor instead of the service's own threads. The
         * service does not shut it down.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder executor(ExecutorService value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * Sets the clock that stamps status changes; default the system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets who hears about status changes; default {@link StatusListener#NONE}.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(StatusListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Sets the provider name pools are created with, such as {@code haproxy-ns}; a pool request
         * naming another provider is refused. Default empty: any provider is accepted as given.
         *
         * @param value the name
         * @return this builder
         */
        public Builder providerName(String value) {
            this.providerName = Objects.requireNonNull(value, "providerName");
            return this;
        }

        /**
         * Sets how often the service asks the driver whether its deployed load balancers are still
         * served ({@link LoadBalancerDriver#probe}); default 1 s. Every load balancer the driver
         * reports is repaired ({@link LoadBalancerDriver#repair}) without an operator: never beside
         * a change of it, always with its desired state of that moment, within the driver deadline,
         * and with a back-off for one that keeps dying (see {@link #selfHealingMaxBackoff}). A
         * repair that fails sets the pool to {@code ERROR} with a description; a later successful
         * one sets it {@code ACTIVE} again. {@link Duration#ZERO} turns self-healing off (for
         * short-lived commands that must not race an operator). A driver that does not override
         * {@code probe} is never repaired on its own.
         *
         * @param interval a positive duration, or zero for no self-healing
         * @return this builder
         */
        public Builder selfHealing(Duration interval) {
            Objects.requireNonNull(interval, "selfHealing");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("selfHealing interval must be zero (off) or positive: " + interval);
            }
            this.selfHealingInterval = interval;
            return this;
        }

        /**
         * Sets the longest wait between two repairs of a load balancer that keeps dying; default
         * 60 s. The first repair runs at once; after the n-th the next waits {@code interval * 2^(n-1)}
         * (1 s, 2 s, 4 s ... with the default interval), at most this long. A load balancer that stays
         * served this long after a repair starts again with an immediate repair.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder selfHealingMaxBackoff(Duration value) {
            this.selfHealingMaxBackoff = positive(value, "selfHealingMaxBackoff");
            return this;
        }

        /**
         * Reports the service's meters to a Micrometer registry (names and tags in the README's
         * "Metrics" section): driver calls timed by operation and result, provisioning status
         * changes, failed API calls by exception, load balancers by status, and, per deployed
         * load balancer, its data plane's counters ({@link #poolMetricsInterval}). Micrometer
         * ({@code io.micrometer:micrometer-core}) is an optional dependency of this module: without
         * this call the service loads none of its classes, so an application that does not call it
         * needs no Micrometer.
         *
         * @param registry the registry, such as a {@code PrometheusMeterRegistry}
         * @return this builder
         */
        @SuppressWarnings("exports") // the caller made the registry, so it reads Micrometer itself
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Sets how often, with a {@link #meterRegistry}, the service reads every load balancer's
         * counters from the driver ({@link LoadBalancerDriver#observe}) for its per-pool meters
         * (tagged {@code pool_id}); default 10 s. {@link Duration#ZERO}: no per-pool meters.
         *
         * @param interval a positive duration, or zero for none
         * @return this builder
         */
        public Builder poolMetricsInterval(Duration interval) {
            Objects.requireNonNull(interval, "poolMetricsInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("poolMetricsInterval must be zero (none) or positive: " + interval);
            }
            this.poolMetricsInterval = interval;
            return this;
        }

        /**
         * Builds the service: loads the repository, asks the driver to reconcile every stored load
         * balancer (blocking until it has), and re-applies whatever was left pending.
         *
         * @return the service
         * @throws IllegalStateException when no driver was set
         * @throws StorageException when the repository cannot be read
         */
        public LoadBalancerService build() {
            if (driver == null) {
                throw new IllegalStateException("a LoadBalancerService needs a driver");
            }
            if (meterRegistry == null) {
                return DefaultLoadBalancerService.start(this);
            }
            metrics = MicrometerServiceMetrics.of(meterRegistry, poolMetricsInterval);
            return MeteredService.wrap(DefaultLoadBalancerService.start(this), metrics);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}

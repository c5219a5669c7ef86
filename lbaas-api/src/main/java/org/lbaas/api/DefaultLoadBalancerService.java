package org.lbaas.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Text;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link LoadBalancerService#builder()}.
 *
 * <p><b>State.</b> All objects live in memory, guarded by one monitor ({@link #lock}) that is only
 * ever held for short, non-blocking work (checks, map updates). Each load balancer is an immutable
 * {@link Lb}; a change replaces it.
 *
 * <p><b>Changes.</b> A call first determines which documents it touches (load balancers by pool id,
 * health monitors by id), takes their write locks in a fixed order (monitors, then pools, each by
 * id; so several pools are never locked in conflicting orders), then re-checks, validates and
 * changes memory under {@link #lock}, writes the touched documents (new owner before old owner when
 * an object moves) and only then hands the load balancers to their runners. A failed write restores
 * memory. Holding the write locks across the write keeps memory and disk in step per document.
 *
 * <p><b>Runners.</b> Each load balancer has a small state machine ({@link LbRuntime}), not a thread:
 * at most one runner task per load balancer runs at a time on the shared executor, so driver calls
 * for one load balancer are serial and calls for different ones parallel. An {@link Attempt} covers
 * every change up to a version; it has a deadline timer started when it is created. When the timer
 * fires first, the attempt's objects go to ERROR, and if the driver call is still running, the load
 * balancer is "hung": later changes get a new attempt with its own deadline, which runs when the
 * call returns or fails with ERROR when it does not.
 *
 * <p><b>Self-healing.</b> {@link SelfHealing} sees the service through {@link HealingHost}: the
 * settled, deployed load balancers, and a repair that runs on a driver thread holding the load
 * balancer's one-call permit ({@code LbRuntime.calls}), like an apply, so it never overlaps an
 * apply or remove of it; a change accepted meanwhile is applied after it.
 */
final class DefaultLoadBalancerService implements LoadBalancerService {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final LoadBalancerDriver driver;
    private final Capabilities capabilities;
    private final Repository repository;
    private final SubnetRegistry subnets;
    private final Duration deadline;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    private final ScheduledExecutorService timer;
    private final ExecutorService notifier;
    private final Clock clock;
    private final StatusListener listener;
    private final String providerName;
    private final Optional<SelfHealing> selfHealing;

    /** Guards every field below. */
    private final Object lock = new Object();
    private long version;
    private boolean closed;
    private final Map<UUID, Lb> lbs = new LinkedHashMap<>();
    private final Map<UUID, HealthMonitor> monitors = new LinkedHashMap<>();
    private final Map<UUID, UUID> memberPool = new HashMap<>();
    private final Map<UUID, UUID> vipPool = new HashMap<>();
    private final Map<UUID, Set<UUID>> monitorPools = new HashMap<>();
    private final Map<AddressKey, UUID> vipAddressPool = new HashMap<>();
    private final Map<UUID, UUID> portPool = new HashMap<>();
    private final Map<UUID, LbRuntime> runtimes = new HashMap<>();
    private final Map<UUID, ReentrantLock> monitorLocks = new HashMap<>();
    private final Map<Key, List<Waiter<?>>> waiters = new HashMap<>();

    private DefaultLoadBalancerService(LoadBalancerService.Builder b) {
        this.driver = b.driver;
        this.capabilities = Objects.requireNonNull(driver.capabilities(), "driver capabilities");
        this.repository = b.repository;
        this.subnets = b.subnets;
        this.deadline = b.driverDeadline;
        this.clock = b.clock;
        this.listener = b.listener;
        this.providerName = b.providerName;
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownExecutor = false;
        } else {
            this.executor = Executors.newFixedThreadPool(b.threads, daemon("lbaas-driver"));
            this.ownExecutor = true;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("lbaas-deadline"));
        this.notifier = Executors.newSingleThreadExecutor(daemon("lbaas-status"));
        this.selfHealing = b.selfHealingInterval.isZero() ? Optional.empty()
                : Optional.of(new SelfHealing(driver, new HealingHost(), b.selfHealingInterval, b.selfHealingMaxBackoff,
                        System::nanoTime));
    }

    static LoadBalancerService start(LoadBalancerService.Builder b) {
        DefaultLoadBalancerService service = new DefaultLoadBalancerService(b);
        try {
            service.recover();
            service.selfHealing.ifPresent(SelfHealing::start);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    // ------------------------------------------------------------------------------------------
    // Pools

    @Override
    public Pending<PoolView> createPool(PoolCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        Violations v = new Violations();
        String provider = request.provider().orElse("");
        if (!providerName.isEmpty()) {
            v.check(provider.isEmpty() || provider.equals(providerName), "provider", provider,
                    "must be empty or '" + providerName + "', the driver of this service");
            provider = providerName;
        }
        String chosen = provider;
        Optional<Pool> pool = v.nested("", () -> Pool.builder().id(id).tenantId(request.tenantId()).name(request.name())
                .description(request.description()).subnetId(request.subnetId()).protocol(request.protocol())
                .lbMethod(request.lbMethod()).provider(chosen).adminStateUp(request.adminStateUp())
                .status(Status.PENDING_CREATE).build());
        throwIfInvalid(v, ObjectKind.POOL, "", "pool");
        Subnet subnet = subnets.subnet(request.subnetId())
                .orElseThrow(() -> new NotFoundException(ObjectKind.SUBNET, request.subnetId().toString()));
        Lb fresh = Lb.create(pool.orElseThrow(), subnet);
        return change(() -> Plan.of(List.of(), List.of(id)), tx -> {
            Lb have = lbs.get(id);
            if (have != null) {
                throwIfTaken(ObjectKind.POOL, id, request.tenantId(), have.pool().tenantId(),
                        RepeatedCreates.differences(request, chosen, have.pool()));
                return new Pending<>(view(have), await(tx, List.of(Key.pool(id)), () -> settled(Key.pool(id)),
                        () -> view(lbOrThrow(id))));
            }
            Lb next = fresh.pendingSince(id, tx.version).withRevision(tx.version);
            checkDriver(ObjectKind.POOL, "", validDesired(ObjectKind.POOL, "", next));
            stage(tx, id, next);
            CompletionStage<PoolView> outcome = await(tx, List.of(Key.pool(id)), () -> settled(Key.pool(id)),
                    () -> view(lbOrThrow(id)));
            return new Pending<>(view(next), outcome);
        });
    }

    /** Refuses a create whose id is taken, unless it repeats the create that made the object (see {@link RepeatedCreates}). */
    private static void throwIfTaken(ObjectKind kind, UUID id, String tenant, String haveTenant, List<String> differences) {
        ConflictException e = RepeatedCreates.conflict(kind, id, tenant, haveTenant, differences);
        if (e != null) {
            throw e;
        }
    }

    @Override
    public PoolView getPool(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        synchronized (lock) {
            return view(lbOrThrow(poolId));
        }
    }

    @Override
    public List<PoolView> listPools() {
        synchronized (lock) {
            return lbs.values().stream().map(this::view).toList();
        }
    }

    @Override
    public List<PoolView> listPools(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (lock) {
            return lbs.values().stream().filter(lb -> lb.pool().tenantId().equals(tenantId)).map(this::view).toList();
        }
    }

    @Override
    public Pending<PoolView> updatePool(UUID poolId, PoolUpdate update) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(update, "update");
        return change(() -> Plan.of(List.of(), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            Pool pool = lb.pool();
            notDeleting(ObjectKind.POOL, poolId.toString(), pool.status());
            Violations v = new Violations();
            Optional<Pool> changed = v.nested("", () -> {
                Pool.Builder b = pool.toBuilder().status(pendingStatus(pool.status(), Status.PENDING_UPDATE))
                        .statusDescription("");
                update.name().ifPresent(b::name);
                update.description().ifPresent(b::description);
                update.lbMethod().ifPresent(b::lbMethod);
                update.adminStateUp().ifPresent(b::adminStateUp);
                return b.build();
            });
            throwIfInvalid(v, ObjectKind.POOL, poolId.toString(), "pool");
            Lb next = lb.withPool(changed.orElseThrow()).pendingSince(poolId, tx.version).withRevision(tx.version);
            checkDriver(ObjectKind.POOL, poolId.toString(), validDesired(ObjectKind.POOL, poolId.toString(), next));
            stage(tx, poolId, next);
            CompletionStage<PoolView> outcome = await(tx, List.of(Key.pool(poolId)), () -> settled(Key.pool(poolId)),
                    () -> view(lbOrThrow(poolId)));
            return new Pending<>(view(next), outcome);
        });
    }

    @Override
    public Pending<Optional<PoolView>> deletePool(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return change(() -> Plan.of(List.of(), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            if (lb.vip().isPresent()) {
                Vip user = lb.vip().get();
                throw new ConflictException(ObjectKind.POOL, poolId.toString(), ConflictException.Reason.IN_USE,
                        "pool " + poolId + " is in use by vip " + user.id() + ": delete the vip first",
                        "pool " + poolId + " is in use by a vip: delete the vip first",
                        new ConflictException.Conflicting(ObjectKind.VIP, user.id().toString(), user.tenantId()));
            }
            Lb next = lb.withPool(lb.pool().withStatus(Status.PENDING_DELETE, "")).pendingSince(poolId, tx.version);
            for (Member m : lb.members().values()) {
                next = next.withMember(m.withStatus(Status.PENDING_DELETE, "")).pendingSince(m.id(), tx.version);
            }
            for (PoolMonitorAssociation a : lb.associations().values()) {
                next = next.withAssociation(a.withStatus(Status.PENDING_DELETE, "")).pendingSince(a.monitorId(), tx.version);
            }
            next = next.withRevision(tx.version);
            stage(tx, poolId, next);
            CompletionStage<Optional<PoolView>> outcome = await(tx, List.of(Key.pool(poolId)),
                    () -> settled(Key.pool(poolId)), () -> Optional.ofNullable(lbs.get(poolId)).map(this::view));
            return new Pending<>(Optional.of(view(next)), outcome);
        });
    }

    @Override
    public Pending<PoolView> retry(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return change(() -> Plan.of(List.of(), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            long ver = tx.version;
            Lb next = lb.withPool(lb.pool().withStatus(pendingStatus(lb.pool().status(), Status.PENDING_UPDATE), ""))
                    .pendingSince(poolId, ver);
            if (lb.vip().isPresent() && lb.vip().get().status() == Status.ERROR) {
                Vip vip = lb.vip().get();
                next = next.withVip(Optional.of(vip.withStatus(Status.PENDING_UPDATE, "")), lb.vipSubnet())
                        .pendingSince(vip.id(), ver);
            }
            for (Member m : lb.members().values()) {
                if (m.status() == Status.ERROR) {
                    next = next.withMember(m.withStatus(Status.PENDING_UPDATE, "")).pendingSince(m.id(), ver);
                }
            }
            for (PoolMonitorAssociation a : lb.associations().values()) {
                if (a.status() == Status.ERROR) {
                    next = next.withAssociation(a.withStatus(Status.PENDING_UPDATE, "")).pendingSince(a.monitorId(), ver);
                }
            }
            next = next.withRevision(ver);
            validDesired(ObjectKind.POOL, poolId.toString(), next);
            stage(tx, poolId, next);
            LOG.info("pool {}: retry requested", poolId);
            CompletionStage<PoolView> outcome = await(tx, List.of(Key.pool(poolId)), () -> settled(Key.pool(poolId)),
                    () -> view(lbOrThrow(poolId)));
            return new Pending<>(view(next), outcome);
        });
    }

    // ------------------------------------------------------------------------------------------
    // Members

    @Override
    public Pending<Member> createMember(MemberCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        UUID poolId = request.poolId();
        return change(() -> Plan.of(List.of(), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            if (memberPool.containsKey(id)) {
                Member have = memberOrThrow(id);
                throwIfTaken(ObjectKind.MEMBER, id, request.tenantId(), have.tenantId(),
                        RepeatedCreates.differences(request, have));
                Key key = Key.member(id);
                return new Pending<>(have, await(tx, List.of(key), () -> settled(key), () -> memberOrThrow(id)));
            }
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            Violations v = new Violations();
            Optional<Member> member = v.nested("", () -> Member.builder().id(id).tenantId(request.tenantId()).poolId(poolId)
                    .address(request.address()).protocolPort(request.protocolPort()).weight(request.weight())
                    .adminStateUp(request.adminStateUp()).status(Status.PENDING_CREATE).build());
            sameTenant(v, request.tenantId(), lb.pool());
            throwIfInvalid(v, ObjectKind.MEMBER, "", "member");
            Member m = member.orElseThrow();
            uniqueEndpoint(lb, m, "");
            Lb next = lb.withMember(m).pendingSince(id, tx.version).withRevision(tx.version);
            checkDriver(ObjectKind.MEMBER, "", validDesired(ObjectKind.MEMBER, "", next));
            stage(tx, poolId, next);
            Key key = Key.member(id);
            CompletionStage<Member> outcome = await(tx, List.of(key), () -> settled(key), () -> memberOrThrow(id));
            return new Pending<>(m, outcome);
        });
    }

    @Override
    public Member getMember(UUID memberId) {
        Objects.requireNonNull(memberId, "memberId");
        synchronized (lock) {
            return memberOrThrow(memberId);
        }
    }

    @Override
    public List<Member> listMembers() {
        synchronized (lock) {
            return lbs.values().stream().flatMap(lb -> lb.members().values().stream()).toList();
        }
    }

    @Override
    public List<Member> listMembers(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (lock) {
            return lbs.values().stream().flatMap(lb -> lb.members().values().stream())
                    .filter(m -> m.tenantId().equals(tenantId)).toList();
        }
    }

    @Override
    public Pending<Member> updateMember(UUID memberId, MemberUpdate update) {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(update, "update");
        String mid = memberId.toString();
        return change(() -> {
            UUID source = Optional.ofNullable(memberPool.get(memberId))
                    .orElseThrow(() -> new NotFoundException(ObjectKind.MEMBER, mid));
            UUID target = update.poolId().orElse(source);
            return Plan.of(List.of(), target.equals(source) ? List.of(source) : List.of(source, target));
        }, tx -> {
            UUID sourceId = memberPool.get(memberId);
            Lb source = lbOrThrow(sourceId);
            Member m = source.members().get(memberId);
            notDeleting(ObjectKind.MEMBER, mid, m.status());
            notDeleting(ObjectKind.POOL, sourceId.toString(), source.pool().status());
            UUID targetId = update.poolId().orElse(sourceId);
            boolean move = !targetId.equals(sourceId);
            Lb target = move ? lbOrThrow(targetId) : source;
            if (move) {
                notDeleting(ObjectKind.POOL, targetId.toString(), target.pool().status());
            }
            Violations v = new Violations();
            Optional<Member> changed = v.nested("", () -> {
                Member.Builder b = m.toBuilder().poolId(targetId)
                        .status(pendingStatus(m.status(), Status.PENDING_UPDATE)).statusDescription("");
                update.weight().ifPresent(b::weight);
                update.adminStateUp().ifPresent(b::adminStateUp);
                return b.build();
            });
            if (move) {
                v.check(m.tenantId().equals(target.pool().tenantId()), "pool_id", targetId,
                        "must be a pool of tenant " + m.tenantId() + ", not of " + target.pool().tenantId());
            }
            throwIfInvalid(v, ObjectKind.MEMBER, mid, "member");
            Member nm = changed.orElseThrow();
            long ver = tx.version;
            if (!move) {
                Lb next = source.withMember(nm).pendingSince(memberId, ver).withRevision(ver);
                checkDriver(ObjectKind.MEMBER, mid, validDesired(ObjectKind.MEMBER, mid, next));
                stage(tx, sourceId, next);
            } else {
                uniqueEndpoint(target, nm, mid);
                Lb nextTarget = target.withMember(nm).pendingSince(memberId, ver).withRevision(ver);
                Lb nextSource = source.withoutMember(memberId)
                        .withPool(source.pool().withStatus(pendingStatus(source.pool().status(), Status.PENDING_UPDATE), ""))
                        .pendingSince(sourceId, ver).withRevision(ver);
                checkDriver(ObjectKind.MEMBER, mid, validDesired(ObjectKind.MEMBER, mid, nextTarget));
                validDesired(ObjectKind.MEMBER, mid, nextSource);
                // The new owner is written first: a crash between the two writes leaves the member in
                // both documents, and the newer revision wins on load.
                stage(tx, targetId, nextTarget);
                stage(tx, sourceId, nextSource);
                LOG.info("member {}: moving from pool {} to pool {}", memberId, sourceId, targetId);
            }
            Key key = Key.member(memberId);
            List<Key> keys = move ? List.of(key, Key.pool(sourceId)) : List.of(key);
            CompletionStage<Member> outcome = await(tx, keys, () -> keys.stream().allMatch(this::settled),
                    () -> memberOrThrow(memberId));
            return new Pending<>(nm, outcome);
        });
    }

    @Override
    public Pending<Optional<Member>> deleteMember(UUID memberId) {
        Objects.requireNonNull(memberId, "memberId");
        String mid = memberId.toString();
        return change(() -> Plan.of(List.of(), List.of(Optional.ofNullable(memberPool.get(memberId))
                .orElseThrow(() -> new NotFoundException(ObjectKind.MEMBER, mid)))), tx -> {
            UUID poolId = memberPool.get(memberId);
            Lb lb = lbOrThrow(poolId);
            Member m = lb.members().get(memberId);
            notDeleting(ObjectKind.MEMBER, mid, m.status());
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            Member deleting = m.withStatus(Status.PENDING_DELETE, "");
            Lb next = lb.withMember(deleting).pendingSince(memberId, tx.version).withRevision(tx.version);
            stage(tx, poolId, next);
            Key key = Key.member(memberId);
            CompletionStage<Optional<Member>> outcome = await(tx, List.of(key), () -> settled(key),
                    () -> findMember(memberId));
            return new Pending<>(Optional.of(deleting), outcome);
        });
    }

    // ------------------------------------------------------------------------------------------
    // Health monitors

    @Override
    public Pending<HealthMonitorView> createHealthMonitor(HealthMonitorCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        Violations v = new Violations();
        Optional<HttpCheck> check = httpCheck(v, request.type().isHttp(), request.httpMethod(), request.urlPath(),
                request.expectedCodes(), Optional.empty());
        Optional<HealthMonitor> monitor = v.nested("", () -> new HealthMonitor(id, request.tenantId(), request.type(),
                request.delay(), request.timeout(), request.maxRetries(),
                request.type().isHttp() ? Optional.of(check.orElse(HttpCheck.defaults())) : Optional.empty(),
                request.adminStateUp()));
        throwIfInvalid(v, ObjectKind.HEALTH_MONITOR, "", "health_monitor");
        if (!capabilities.monitorTypes().contains(request.type())) {
            throw new UnsupportedByDriverException(ObjectKind.HEALTH_MONITOR, "", List.of(Violation.of("health_monitor.type",
                    request.type(), "monitor type " + request.type() + " is not supported by this driver; it supports "
                            + new TreeSet<>(capabilities.monitorTypes()))));
        }
        HealthMonitor m = monitor.orElseThrow();
        return change(() -> Plan.of(List.of(id), List.of()), tx -> {
            HealthMonitor have = monitors.get(id);
            if (have != null) {
                throwIfTaken(ObjectKind.HEALTH_MONITOR, id, request.tenantId(), have.tenantId(),
                        RepeatedCreates.differences(m, have));
                HealthMonitorView existing = monitorView(have);
                return new Pending<>(existing, CompletableFuture.completedStage(existing));
            }
            putMonitor(tx, id, Optional.of(m));
            HealthMonitorView view = monitorView(m);
            return new Pending<>(view, CompletableFuture.completedStage(view));
        });
    }

    @Override
    public HealthMonitorView getHealthMonitor(UUID monitorId) {
        Objects.requireNonNull(monitorId, "monitorId");
        synchronized (lock) {
            return monitorView(monitorOrThrow(monitorId));
        }
    }

    @Override
    public List<HealthMonitorView> listHealthMonitors() {
        synchronized (lock) {
            return monitors.values().stream().map(this::monitorView).toList();
        }
    }

    @Override
    public List<HealthMonitorView> listHealthMonitors(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (lock) {
            return monitors.values().stream().filter(m -> m.tenantId().equals(tenantId)).map(this::monitorView).toList();
        }
    }

    @Override
    public Pending<HealthMonitorView> updateHealthMonitor(UUID monitorId, HealthMonitorUpdate update) {
        Objects.requireNonNull(monitorId, "monitorId");
        Objects.requireNonNull(update, "update");
        String hid = monitorId.toString();
        return change(() -> {
            monitorOrThrow(monitorId);
            return Plan.of(List.of(monitorId), List.copyOf(monitorPools.getOrDefault(monitorId, Set.of())));
        }, tx -> {
            HealthMonitor cur = monitorOrThrow(monitorId);
            Violations v = new Violations();
            Optional<HttpCheck> check = httpCheck(v, cur.type().isHttp(), update.httpMethod(), update.urlPath(),
                    update.expectedCodes(), cur.httpCheck());
            Optional<HealthMonitor> changed = v.nested("", () -> new HealthMonitor(monitorId, cur.tenantId(), cur.type(),
                    update.delay().orElse(cur.delay()), update.timeout().orElse(cur.timeout()),
                    update.maxRetries().orElse(cur.maxRetries()),
                    cur.type().isHttp() ? Optional.of(check.orElse(HttpCheck.defaults())) : Optional.empty(),
                    update.adminStateUp().orElse(cur.adminStateUp())));
            throwIfInvalid(v, ObjectKind.HEALTH_MONITOR, hid, "health_monitor");
            HealthMonitor nm = changed.orElseThrow();
            putMonitor(tx, monitorId, Optional.of(nm));
            List<Key> keys = new ArrayList<>();
            for (UUID poolId : List.copyOf(monitorPools.getOrDefault(monitorId, Set.of()))) {
                Lb lb = lbs.get(poolId);
                PoolMonitorAssociation a = lb.associations().get(monitorId);
                if (a.status() == Status.PENDING_DELETE) {
                    continue;
                }
                Lb next = lb.withAssociation(a.withStatus(pendingStatus(a.status(), Status.PENDING_UPDATE), ""))
                        .pendingSince(monitorId, tx.version).withRevision(tx.version);
                checkDriver(ObjectKind.HEALTH_MONITOR, hid, validDesired(ObjectKind.HEALTH_MONITOR, hid, next));
                stage(tx, poolId, next);
                keys.add(Key.association(poolId, monitorId));
            }
            CompletionStage<HealthMonitorView> outcome = await(tx, keys, () -> keys.stream().allMatch(this::settled),
                    () -> monitorView(monitorOrThrow(monitorId)));
            return new Pending<>(monitorView(nm), outcome);
        });
    }

    @Override
    public Pending<Optional<HealthMonitorView>> deleteHealthMonitor(UUID monitorId) {
        Objects.requireNonNull(monitorId, "monitorId");
        String hid = monitorId.toString();
        return change(() -> {
            monitorOrThrow(monitorId);
            return Plan.of(List.of(monitorId), List.of());
        }, tx -> {
            HealthMonitor m = monitorOrThrow(monitorId);
            Set<UUID> pools = monitorPools.getOrDefault(monitorId, Set.of());
            if (!pools.isEmpty()) {
                throw new ConflictException(ObjectKind.HEALTH_MONITOR, hid, ConflictException.Reason.IN_USE, "health monitor "
                        + monitorId + " is in use by pools " + new TreeSet<>(pools) + ": disassociate it first");
            }
            HealthMonitorView view = monitorView(m);
            putMonitor(tx, monitorId, Optional.empty());
            return new Pending<>(Optional.of(view), CompletableFuture.completedStage(Optional.<HealthMonitorView>empty()));
        });
    }

    @Override
    public Pending<PoolMonitorAssociation> associate(UUID poolId, UUID monitorId) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(monitorId, "monitorId");
        String aid = poolId + "/" + monitorId;
        // The monitor's lock too: an association is only stored once its monitor's document is.
        return change(() -> Plan.of(List.of(monitorId), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            HealthMonitor m = monitorOrThrow(monitorId);
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            PoolMonitorAssociation existing = lb.associations().get(monitorId);
            if (existing != null) {
                notDeleting(ObjectKind.ASSOCIATION, aid, existing.status());
                throw new ConflictException(ObjectKind.ASSOCIATION, aid, ConflictException.Reason.ASSOCIATION_EXISTS,
                        "health monitor " + monitorId + " is already associated with pool " + poolId);
            }
            Violations v = new Violations();
            v.check(m.tenantId().equals(lb.pool().tenantId()), "tenant_id", m.tenantId(),
                    "must be the tenant of pool " + poolId + " (" + lb.pool().tenantId() + ")");
            throwIfInvalid(v, ObjectKind.ASSOCIATION, aid, "health_monitor");
            PoolMonitorAssociation a = new PoolMonitorAssociation(poolId, monitorId, Status.PENDING_CREATE, "");
            Lb next = lb.withAssociation(a).pendingSince(monitorId, tx.version).withRevision(tx.version);
            checkDriver(ObjectKind.ASSOCIATION, aid, validDesired(ObjectKind.ASSOCIATION, aid, next));
            stage(tx, poolId, next);
            Key key = Key.association(poolId, monitorId);
            CompletionStage<PoolMonitorAssociation> outcome = await(tx, List.of(key), () -> settled(key),
                    () -> findAssociation(poolId, monitorId).orElseThrow(() -> new NotFoundException(ObjectKind.ASSOCIATION, aid)));
            return new Pending<>(a, outcome);
        });
    }

    @Override
    public Pending<Optional<PoolMonitorAssociation>> disassociate(UUID poolId, UUID monitorId) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(monitorId, "monitorId");
        String aid = poolId + "/" + monitorId;
        return change(() -> Plan.of(List.of(), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            monitorOrThrow(monitorId);
            PoolMonitorAssociation a = lb.associations().get(monitorId);
            if (a == null) {
                throw new NotFoundException(ObjectKind.ASSOCIATION, aid,
                        "health monitor " + monitorId + " is not associated with pool " + poolId);
            }
            notDeleting(ObjectKind.ASSOCIATION, aid, a.status());
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            PoolMonitorAssociation deleting = a.withStatus(Status.PENDING_DELETE, "");
            Lb next = lb.withAssociation(deleting).pendingSince(monitorId, tx.version).withRevision(tx.version);
            stage(tx, poolId, next);
            Key key = Key.association(poolId, monitorId);
            CompletionStage<Optional<PoolMonitorAssociation>> outcome = await(tx, List.of(key), () -> settled(key),
                    () -> findAssociation(poolId, monitorId));
            return new Pending<>(Optional.of(deleting), outcome);
        });
    }

    // ------------------------------------------------------------------------------------------
    // VIPs

    @Override
    public Pending<Vip> createVip(VipCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        UUID poolId = request.poolId();
        Subnet subnet = subnets.subnet(request.subnetId())
                .orElseThrow(() -> new NotFoundException(ObjectKind.SUBNET, request.subnetId().toString()));
        return change(() -> Plan.of(List.of(), List.of(existingPool(poolId))), tx -> {
            Lb lb = lbOrThrow(poolId);
            if (vipPool.containsKey(id)) {
                Vip have = vipOrThrow(id);
                throwIfTaken(ObjectKind.VIP, id, request.tenantId(), have.tenantId(), RepeatedCreates.differences(request, have));
                Key key = Key.vip(id);
                return new Pending<>(have, await(tx, List.of(key), () -> settled(key), () -> vipOrThrow(id)));
            }
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            if (lb.vip().isPresent()) {
                Vip other = lb.vip().get();
                throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.VIP_EXISTS,
                        "pool " + poolId + " already has vip " + other.id(), "pool " + poolId + " already has a vip",
                        new ConflictException.Conflicting(ObjectKind.VIP, other.id().toString(), other.tenantId()));
            }
            InetAddress address;
            if (request.address().isPresent()) {
                address = request.address().get();
                UUID user = vipAddressPool.get(new AddressKey(subnet.id(), address));
                if (user != null) {
                    Vip other = lbs.get(user).vip().orElseThrow();
                    String taken = "address " + IpAddresses.toText(address) + " on subnet " + subnet.id() + " is in use";
                    throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.ADDRESS_IN_USE,
                            taken + " by vip " + other.id(), taken,
                            new ConflictException.Conflicting(ObjectKind.VIP, other.id().toString(), other.tenantId()));
                }
            } else {
                address = freeAddress(subnet).orElseThrow(() -> new ConflictException(ObjectKind.VIP, "",
                        ConflictException.Reason.NO_FREE_ADDRESS,
                        "subnet " + subnet.id() + " (" + subnet.cidr() + ") has no free address for a vip"));
            }
            UUID portId = request.portId().orElseGet(UUID::randomUUID);
            if (portPool.containsKey(portId)) {
                Vip other = lbs.get(portPool.get(portId)).vip().orElseThrow();
                throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.PORT_IN_USE,
                        "port " + portId + " is in use by vip " + other.id(), "port " + portId + " is in use",
                        new ConflictException.Conflicting(ObjectKind.VIP, other.id().toString(), other.tenantId()));
            }
            Violations v = new Violations();
            Optional<Vip> vip = v.nested("", () -> Vip.builder().id(id).tenantId(request.tenantId()).name(request.name())
                    .description(request.description()).subnetId(request.subnetId()).address(address).portId(portId)
                    .protocolPort(request.protocolPort()).protocol(request.protocol()).poolId(poolId)
                    .sessionPersistence(request.sessionPersistence().orElse(null))
                    .connectionLimit(request.connectionLimit()).adminStateUp(request.adminStateUp())
                    .status(Status.PENDING_CREATE).build());
            sameTenant(v, request.tenantId(), lb.pool());
            v.check(request.protocol() == lb.pool().protocol(), "protocol", request.protocol(),
                    "must equal the protocol of pool " + poolId + " (" + lb.pool().protocol() + ")");
            throwIfInvalid(v, ObjectKind.VIP, "", "vip");
            Vip nv = vip.orElseThrow();
            Lb next = lb.withVip(Optional.of(nv), Optional.of(subnet)).pendingSince(id, tx.version).withRevision(tx.version);
            checkDriver(ObjectKind.VIP, "", validDesired(ObjectKind.VIP, "", next));
            stage(tx, poolId, next);
            Key key = Key.vip(id);
            CompletionStage<Vip> outcome = await(tx, List.of(key), () -> settled(key), () -> vipOrThrow(id));
            return new Pending<>(nv, outcome);
        });
    }

    @Override
    public Vip getVip(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        synchronized (lock) {
            return vipOrThrow(vipId);
        }
    }

    @Override
    public List<Vip> listVips() {
        synchronized (lock) {
            return lbs.values().stream().flatMap(lb -> lb.vip().stream()).toList();
        }
    }

    @Override
    public List<Vip> listVips(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (lock) {
            return lbs.values().stream().flatMap(lb -> lb.vip().stream()).filter(v -> v.tenantId().equals(tenantId)).toList();
        }
    }

    @Override
    public Pending<Vip> updateVip(UUID vipId, VipUpdate update) {
        Objects.requireNonNull(vipId, "vipId");
        Objects.requireNonNull(update, "update");
        String vid = vipId.toString();
        return change(() -> {
            UUID source = Optional.ofNullable(vipPool.get(vipId)).orElseThrow(() -> new NotFoundException(ObjectKind.VIP, vid));
            UUID target = update.poolId().orElse(source);
            return Plan.of(List.of(), target.equals(source) ? List.of(source) : List.of(source, target));
        }, tx -> {
            UUID sourceId = vipPool.get(vipId);
            Lb source = lbOrThrow(sourceId);
            Vip vip = source.vip().orElseThrow();
            notDeleting(ObjectKind.VIP, vid, vip.status());
            notDeleting(ObjectKind.POOL, sourceId.toString(), source.pool().status());
            UUID targetId = update.poolId().orElse(sourceId);
            boolean move = !targetId.equals(sourceId);
            Lb target = move ? lbOrThrow(targetId) : source;
            if (move) {
                notDeleting(ObjectKind.POOL, targetId.toString(), target.pool().status());
                if (target.vip().isPresent()) {
                    Vip other = target.vip().get();
                    throw new ConflictException(ObjectKind.VIP, vid, ConflictException.Reason.VIP_EXISTS,
                            "pool " + targetId + " already has vip " + other.id(), "pool " + targetId + " already has a vip",
                            new ConflictException.Conflicting(ObjectKind.VIP, other.id().toString(), other.tenantId()));
                }
            }
            Violations v = new Violations();
            Optional<Vip> changed = v.nested("", () -> {
                Vip.Builder b = vip.toBuilder().poolId(targetId)
                        .status(pendingStatus(vip.status(), Status.PENDING_UPDATE)).statusDescription("");
                update.name().ifPresent(b::name);
                update.description().ifPresent(b::description);
                update.connectionLimit().ifPresent(b::connectionLimit);
                update.adminStateUp().ifPresent(b::adminStateUp);
                update.sessionPersistence().ifPresent(change -> b.sessionPersistence(change.persistence().orElse(null)));
                return b.build();
            });
            if (move) {
                v.check(vip.protocol() == target.pool().protocol(), "pool_id", targetId,
                        "must be a pool with protocol " + vip.protocol() + ", not " + target.pool().protocol());
                v.check(vip.tenantId().equals(target.pool().tenantId()), "pool_id", targetId,
                        "must be a pool of tenant " + vip.tenantId() + ", not of " + target.pool().tenantId());
            }
            throwIfInvalid(v, ObjectKind.VIP, vid, "vip");
            Vip nv = changed.orElseThrow();
            long ver = tx.version;
            if (!move) {
                Lb next = source.withVip(Optional.of(nv), source.vipSubnet()).pendingSince(vipId, ver).withRevision(ver);
                checkDriver(ObjectKind.VIP, vid, validDesired(ObjectKind.VIP, vid, next));
                stage(tx, sourceId, next);
            } else {
                Lb nextTarget = target.withVip(Optional.of(nv), source.vipSubnet()).pendingSince(vipId, ver).withRevision(ver);
                Lb nextSource = source.withVip(Optional.empty(), Optional.empty()).settled(vipId)
                        .withPool(source.pool().withStatus(pendingStatus(source.pool().status(), Status.PENDING_UPDATE), ""))
                        .pendingSince(sourceId, ver).withRevision(ver);
                checkDriver(ObjectKind.VIP, vid, validDesired(ObjectKind.VIP, vid, nextTarget));
                validDesired(ObjectKind.VIP, vid, nextSource);
                stage(tx, targetId, nextTarget);
                stage(tx, sourceId, nextSource);
                LOG.info("vip {}: moving from pool {} to pool {}", vipId, sourceId, targetId);
            }
            Key key = Key.vip(vipId);
            List<Key> keys = move ? List.of(key, Key.pool(sourceId)) : List.of(key);
            CompletionStage<Vip> outcome = await(tx, keys, () -> keys.stream().allMatch(this::settled), () -> vipOrThrow(vipId));
            return new Pending<>(nv, outcome);
        });
    }

    @Override
    public Pending<Optional<Vip>> deleteVip(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        String vid = vipId.toString();
        return change(() -> Plan.of(List.of(), List.of(Optional.ofNullable(vipPool.get(vipId))
                .orElseThrow(() -> new NotFoundException(ObjectKind.VIP, vid)))), tx -> {
            UUID poolId = vipPool.get(vipId);
            Lb lb = lbOrThrow(poolId);
            Vip vip = lb.vip().orElseThrow();
            notDeleting(ObjectKind.VIP, vid, vip.status());
            Vip deleting = vip.withStatus(Status.PENDING_DELETE, "");
            Lb next = lb.withVip(Optional.of(deleting), lb.vipSubnet()).pendingSince(vipId, tx.version).withRevision(tx.version);
            stage(tx, poolId, next);
            Key key = Key.vip(vipId);
            CompletionStage<Optional<Vip>> outcome = await(tx, List.of(key), () -> settled(key), () -> findVip(vipId));
            return new Pending<>(Optional.of(deleting), outcome);
        });
    }

    // ------------------------------------------------------------------------------------------
    // Observation

    @Override
    public PoolStats stats(UUID poolId) {
        return observe(poolId).map(Observation::stats).orElse(PoolStats.ZERO);
    }

    @Override
    public Map<UUID, MemberHealth> memberHealth(UUID poolId) {
        return observe(poolId).map(Observation::memberHealth).orElse(Map.of());
    }

    @Override
    public LoadBalancer loadBalancer(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        synchronized (lock) {
            return desired(lbOrThrow(poolId));
        }
    }

    private Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        LbRuntime rt;
        synchronized (lock) {
            ensureOpen();
            lbOrThrow(poolId);
            rt = runtimes.computeIfAbsent(poolId, LbRuntime::new);
        }
        long until = System.nanoTime() + deadline.toNanos();
        try {
            if (!rt.calls.tryAcquire(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new DriverException("statistics are not available right now, try again later",
                        "the driver was busy with load balancer " + poolId + " for more than " + text(deadline), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("statistics are not available right now, try again later",
                    "interrupted while waiting for the driver", true, e);
        }
        AtomicInteger claim = new AtomicInteger();
        CompletableFuture<Optional<Observation>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (!claim.compareAndSet(0, 1)) {
                    return;
                }
                try {
                    result.complete(Objects.requireNonNull(driver.observe(poolId), "observation"));
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                } finally {
                    Thread.interrupted();
                    rt.calls.release();
                }
            });
        } catch (RejectedExecutionException e) {
            rt.calls.release();
            throw new IllegalStateException("the service is closed", e);
        }
        try {
            return result.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (claim.compareAndSet(0, 2)) {
                rt.calls.release();
            }
            throw new DriverException("statistics are not available right now, try again later",
                    "the driver did not return statistics of load balancer " + poolId + " within " + text(deadline), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("statistics are not available right now, try again later",
                    "interrupted while waiting for the driver", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DriverException de) {
                throw de;
            }
            throw new DriverException("statistics are not available", "the driver failed to observe load balancer "
                    + poolId + ": " + cause, false, cause);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    public void close() {
        List<Waiter<?>> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (List<Waiter<?>> list : waiters.values()) {
                for (Waiter<?> w : list) {
                    if (!w.done) {
                        w.done = true;
                        abandoned.add(w);
                    }
                }
            }
            waiters.clear();
            for (LbRuntime rt : runtimes.values()) {
                if (rt.open != null && rt.open.timer != null) {
                    rt.open.timer.cancel(false);
                }
            }
        }
        selfHealing.ifPresent(SelfHealing::close);
        for (Waiter<?> w : abandoned) {
            w.future.completeExceptionally(new IllegalStateException("the service was closed before the driver finished"));
        }
        timer.shutdownNow();
        notifier.shutdown();
        if (ownExecutor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        try {
            notifier.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("lbaas service closed");
    }

    /** Loads the repository, reconciles the driver and re-applies whatever was left pending. */
    private void recover() {
        Repository.Contents contents = repository.load();
        List<StoredLoadBalancer> stored = new ArrayList<>(contents.loadBalancers());
        stored.sort(Comparator.comparingLong(StoredLoadBalancer::revision).reversed());
        Set<UUID> fixed = new LinkedHashSet<>();
        List<LoadBalancer> desired = new ArrayList<>();
        Set<UUID> pendingLbs = new LinkedHashSet<>();
        synchronized (lock) {
            contents.healthMonitors().stream().sorted(Comparator.comparing(HealthMonitor::id))
                    .forEach(m -> monitors.put(m.id(), m));
            Set<UUID> seenMembers = new HashSet<>();
            Set<UUID> seenVips = new HashSet<>();
            List<Lb> loaded = new ArrayList<>();
            for (StoredLoadBalancer s : stored) {
                version = Math.max(version, s.revision());
                Lb lb = Lb.of(s);
                for (Member m : s.members()) {
                    if (!seenMembers.add(m.id())) {
                        LOG.warn("member {} is stored in two pools (a move was interrupted by a crash): keeping the newer "
                                + "copy, dropping the one in pool {}", m.id(), s.id());
                        lb = lb.withoutMember(m.id());
                        fixed.add(s.id());
                    }
                }
                if (s.vip().isPresent() && !seenVips.add(s.vip().get().id())) {
                    LOG.warn("vip {} is stored with two pools (a move was interrupted by a crash): keeping the newer "
                            + "copy, dropping the one with pool {}", s.vip().get().id(), s.id());
                    lb = lb.withVip(Optional.empty(), Optional.empty());
                    fixed.add(s.id());
                }
                for (PoolMonitorAssociation a : s.associations()) {
                    if (!monitors.containsKey(a.monitorId())) {
                        LOG.warn("pool {} is associated with health monitor {}, which is not stored: dropping the association",
                                s.id(), a.monitorId());
                        lb = lb.withoutAssociation(a.monitorId());
                        fixed.add(s.id());
                    }
                }
                loaded.add(lb);
            }
            version++;
            loaded.sort(Comparator.comparingLong(Lb::revision));
            for (Lb lb : loaded) {
                Lb withPending = lb;
                for (Key k : keysOf(Optional.of(lb))) {
                    if (statusOf(lb, k).map(Status::isPending).orElse(false)) {
                        withPending = withPending.pendingSince(k.kind() == ObjectKind.ASSOCIATION ? k.other() : k.id(), version);
                    }
                }
                if (!withPending.pending().isEmpty()) {
                    pendingLbs.add(lb.id());
                }
                replaceLb(lb.id(), Optional.empty(), Optional.of(withPending));
                runtimes.put(lb.id(), new LbRuntime(lb.id()));
            }
            for (Lb lb : lbs.values()) {
                if (lb.pool().status() == Status.PENDING_DELETE) {
                    continue;
                }
                try {
                    desired.add(desired(lb));
                } catch (ValidationException e) {
                    LOG.error("stored load balancer {} is invalid and is not reconciled: {}", lb.id(), e.getMessage());
                }
            }
        }
        for (UUID id : fixed) {
            writeLb(id);
        }
        LOG.info("lbaas service starting: {} load balancers, {} health monitors, {} with changes left pending",
                contents.loadBalancers().size(), contents.healthMonitors().size(), pendingLbs.size());
        Map<UUID, DriverException> failed = Map.of();
        Set<UUID> reconciled = new HashSet<>();
        try {
            ReconcileReport report = driver.reconcile(desired);
            LOG.info("driver reconciled: {} adopted, {} repaired, {} orphans removed, {} failed", report.adopted().size(),
                    report.repaired().size(), report.removed().size(), report.failed().size());
            LOG.debug("reconcile report: adopted {}, repaired {}, removed {}", report.adopted(), report.repaired(),
                    report.removed());
            failed = report.failed();
            desired.forEach(d -> reconciled.add(d.id()));
        } catch (RuntimeException e) {
            LOG.error("the driver could not reconcile; pending changes are re-applied one by one", e);
        }
        synchronized (lock) {
            for (LoadBalancer d : desired) {
                if (reconciled.contains(d.id()) && !failed.containsKey(d.id())) {
                    runtimes.get(d.id()).lastApplied = Optional.of(d);
                }
            }
        }
        for (Map.Entry<UUID, DriverException> f : failed.entrySet()) {
            UUID id = f.getKey();
            LOG.warn("load balancer {} could not be reconciled: {}", id, f.getValue().operatorMessage());
            Tx tx;
            synchronized (lock) {
                Lb lb = lbs.get(id);
                if (lb == null || lb.pool().status().isPending()) {
                    continue;
                }
                tx = new Tx(++version);
                Lb next = lb.withPool(lb.pool().withStatus(Status.ERROR,
                        Text.statusDescription(f.getValue().tenantMessage()))).withRevision(tx.version);
                putLb(tx, id, Optional.of(next));
                finish(tx);
            }
            persistQuietly(tx);
            publish(tx);
        }
        List<LbRuntime> start = new ArrayList<>();
        synchronized (lock) {
            for (UUID id : pendingLbs) {
                kick(id, version, start);
            }
        }
        start(start);
    }

    // ------------------------------------------------------------------------------------------
    // The change machinery

    /** What a change touches: health monitor documents and load balancer documents. */
    private record Plan(List<UUID> monitorIds, List<UUID> lbIds) {
        static Plan of(List<UUID> monitorIds, List<UUID> lbIds) {
            return new Plan(List.copyOf(monitorIds), List.copyOf(lbIds));
        }
    }

    /** One change in progress: what to undo, write, announce, apply and complete. */
    private static final class Tx {
        final long version;
        final Map<UUID, Optional<Lb>> undoLbs = new LinkedHashMap<>();
        final Map<UUID, Optional<HealthMonitor>> undoMonitors = new LinkedHashMap<>();
        final Set<UUID> lbDocs = new LinkedHashSet<>();
        final Set<UUID> monitorDocs = new LinkedHashSet<>();
        final Map<Key, Optional<Found>> before = new LinkedHashMap<>();
        final List<StatusChange> events = new ArrayList<>();
        final Set<UUID> applies = new LinkedHashSet<>();
        final List<Waiter<?>> registered = new ArrayList<>();
        final List<Runnable> completions = new ArrayList<>();

        Tx(long version) {
            this.version = version;
        }
    }

    /**
     * Runs a change: plans it, locks what it touches in a fixed order, checks and applies it in
     * memory, writes it, then starts the driver work and completes whatever it settled.
     */
    private <T> T change(Supplier<Plan> planner, Function<Tx, T> body) {
        while (true) {
            Plan plan;
            List<ReentrantLock> locks = new ArrayList<>();
            synchronized (lock) {
                ensureOpen();
                plan = planner.get();
                plan.monitorIds().stream().sorted().distinct()
                        .forEach(id -> locks.add(monitorLocks.computeIfAbsent(id, k -> new ReentrantLock())));
                plan.lbIds().stream().sorted().distinct()
                        .forEach(id -> locks.add(runtimes.computeIfAbsent(id, LbRuntime::new).writeLock));
            }
            int held = 0;
            Tx tx = null;
            List<LbRuntime> start = new ArrayList<>();
            T result = null;
            try {
                for (ReentrantLock l : locks) {
                    l.lock();
                    held++;
                }
                synchronized (lock) {
                    ensureOpen();
                    if (planner.get().equals(plan)) {
                        tx = new Tx(++version);
                        try {
                            result = body.apply(tx);
                        } catch (RuntimeException e) {
                            rollback(tx);
                            throw e;
                        }
                        finish(tx);
                    }
                }
                if (tx != null) {
                    try {
                        persist(tx);
                    } catch (StorageException e) {
                        synchronized (lock) {
                            rollback(tx);
                        }
                        restore(tx);
                        throw e;
                    }
                    publish(tx);
                    synchronized (lock) {
                        for (UUID id : tx.applies) {
                            kick(id, tx.version, start);
                        }
                    }
                }
            } finally {
                for (int i = held - 1; i >= 0; i--) {
                    locks.get(i).unlock();
                }
                synchronized (lock) {
                    forgetUnused(plan);
                }
            }
            if (tx != null) {
                start(start);
                tx.completions.forEach(Runnable::run);
                return result;
            }
        }
    }

    /** Drops lock holders created for objects that do not exist (a create that was refused). */
    private void forgetUnused(Plan plan) {
        for (UUID id : plan.lbIds()) {
            LbRuntime rt = runtimes.get(id);
            if (rt != null && !lbs.containsKey(id) && !rt.busy && !rt.writeLock.isLocked() && !rt.writeLock.hasQueuedThreads()) {
                runtimes.remove(id);
            }
        }
        for (UUID id : plan.monitorIds()) {
            ReentrantLock l = monitorLocks.get(id);
            if (l != null && !monitors.containsKey(id) && !l.isLocked() && !l.hasQueuedThreads()) {
                monitorLocks.remove(id);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the lbaas service is closed");
        }
    }

    /** Replaces (or removes) a load balancer within a change. */
    /** Stores a changed load balancer in the transaction and schedules a driver call for it. */
    private void stage(Tx tx, UUID id, Lb next) {
        putLb(tx, id, Optional.of(next));
        tx.applies.add(id);
    }

    private void putLb(Tx tx, UUID id, Optional<Lb> next) {
        Optional<Lb> prev = Optional.ofNullable(lbs.get(id));
        tx.undoLbs.putIfAbsent(id, prev);
        for (Key k : keysOf(prev)) {
            tx.before.computeIfAbsent(k, this::find);
        }
        for (Key k : keysOf(next)) {
            tx.before.computeIfAbsent(k, this::find);
        }
        replaceLb(id, prev, next);
        tx.lbDocs.add(id);
    }

    private void putMonitor(Tx tx, UUID id, Optional<HealthMonitor> next) {
        tx.undoMonitors.putIfAbsent(id, Optional.ofNullable(monitors.get(id)));
        if (next.isPresent()) {
            monitors.put(id, next.get());
        } else {
            monitors.remove(id);
        }
        tx.monitorDocs.add(id);
    }

    /** Swaps a load balancer in the map and its entries in the indexes. */
    private void replaceLb(UUID id, Optional<Lb> prev, Optional<Lb> next) {
        prev.ifPresent(this::unindex);
        if (next.isPresent()) {
            lbs.put(id, next.get());
            index(next.get());
        } else {
            lbs.remove(id);
        }
    }

    private void index(Lb lb) {
        UUID id = lb.id();
        lb.members().keySet().forEach(m -> memberPool.put(m, id));
        lb.vip().ifPresent(v -> {
            vipPool.put(v.id(), id);
            vipAddressPool.put(new AddressKey(v.subnetId(), v.address()), id);
            portPool.put(v.portId(), id);
        });
        lb.associations().keySet().forEach(m -> monitorPools.computeIfAbsent(m, k -> new TreeSet<>()).add(id));
    }

    /** Removes a load balancer's index entries, leaving entries that already point to another pool (a move). */
    private void unindex(Lb lb) {
        UUID id = lb.id();
        lb.members().keySet().forEach(m -> memberPool.remove(m, id));
        lb.vip().ifPresent(v -> {
            vipPool.remove(v.id(), id);
            vipAddressPool.remove(new AddressKey(v.subnetId(), v.address()), id);
            portPool.remove(v.portId(), id);
        });
        lb.associations().keySet().forEach(m -> {
            Set<UUID> pools = monitorPools.get(m);
            if (pools != null) {
                pools.remove(id);
                if (pools.isEmpty()) {
                    monitorPools.remove(m);
                }
            }
        });
    }

    /** Ends the in-memory part of a change: computes its status events and settles waiters. */
    private void finish(Tx tx) {
        for (Map.Entry<Key, Optional<Found>> e : tx.before.entrySet()) {
            Key k = e.getKey();
            Optional<Found> was = e.getValue();
            Optional<Found> now = find(k);
            Optional<Status> s0 = was.map(Found::status);
            Optional<Status> s1 = now.map(Found::status);
            boolean describedAnew = now.isPresent() && was.isPresent()
                    && !now.get().description().equals(was.get().description());
            if (!s0.equals(s1) || describedAnew) {
                UUID lbId = now.or(() -> was).map(Found::lbId).orElseThrow();
                tx.events.add(new StatusChange(k.kind(), k.display(), lbId, s0, s1,
                        now.map(Found::description).orElse(""), clock.instant()));
            }
        }
        for (Key k : tx.before.keySet()) {
            List<Waiter<?>> list = waiters.get(k);
            if (list != null) {
                for (Waiter<?> w : List.copyOf(list)) {
                    settle(tx, w);
                }
            }
        }
    }

    /** Restores memory after a change could not be written. */
    private void rollback(Tx tx) {
        List<Map.Entry<UUID, Optional<Lb>>> undo = new ArrayList<>(tx.undoLbs.entrySet());
        for (int i = undo.size() - 1; i >= 0; i--) {
            UUID id = undo.get(i).getKey();
            replaceLb(id, Optional.ofNullable(lbs.get(id)), undo.get(i).getValue());
        }
        tx.undoMonitors.forEach((id, m) -> {
            if (m.isPresent()) {
                monitors.put(id, m.get());
            } else {
                monitors.remove(id);
            }
        });
        for (Waiter<?> w : tx.registered) {
            w.done = true;
            for (Key k : w.keys) {
                List<Waiter<?>> list = waiters.get(k);
                if (list != null) {
                    list.remove(w);
                    if (list.isEmpty()) {
                        waiters.remove(k);
                    }
                }
            }
        }
        tx.completions.clear();
    }

    /** After a rollback, writes back the documents of a change, so that disk matches memory again. */
    private void restore(Tx tx) {
        try {
            persist(tx);
        } catch (StorageException e) {
            LOG.error("after a failed write, the previous state could not be written back either: {}", e.getMessage());
        }
    }

    private void persist(Tx tx) {
        for (UUID id : tx.monitorDocs) {
            Optional<HealthMonitor> m;
            synchronized (lock) {
                m = Optional.ofNullable(monitors.get(id));
            }
            if (m.isPresent()) {
                repository.save(m.get());
            } else {
                repository.deleteHealthMonitor(id);
            }
        }
        for (UUID id : tx.lbDocs) {
            writeLb(id);
        }
    }

    private void writeLb(UUID id) {
        Optional<StoredLoadBalancer> s;
        synchronized (lock) {
            s = Optional.ofNullable(lbs.get(id)).map(Lb::stored);
        }
        if (s.isPresent()) {
            repository.save(s.get());
        } else {
            repository.deleteLoadBalancer(id);
        }
    }

    private void persistQuietly(Tx tx) {
        try {
            persist(tx);
        } catch (StorageException e) {
            LOG.error("status changes could not be stored (they are recomputed after a restart): {}", e.getMessage(), e);
        }
    }

    /** Logs a change's status events and hands them to the listener, in order. */
    private void publish(Tx tx) {
        for (StatusChange c : tx.events) {
            if (c.current().isEmpty()) {
                LOG.info("{} {} (load balancer {}): {} -> deleted", c.kind().wireName(), c.id(), c.loadBalancerId(),
                        c.previous().map(Status::name).orElse("new"));
            } else {
                LOG.info("{} {} (load balancer {}): {} -> {}{}", c.kind().wireName(), c.id(), c.loadBalancerId(),
                        c.previous().map(Status::name).orElse("new"), c.current().get(),
                        c.statusDescription().isEmpty() ? "" : " (" + c.statusDescription() + ")");
            }
        }
        if (listener == StatusListener.NONE || tx.events.isEmpty()) {
            return;
        }
        List<StatusChange> batch = List.copyOf(tx.events);
        try {
            notifier.execute(() -> {
                for (StatusChange c : batch) {
                    try {
                        listener.statusChanged(c);
                    } catch (RuntimeException e) {
                        LOG.warn("a status listener failed on {}", c, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("service closed: {} status changes not delivered", batch.size());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Waiters

    /** Completes a future once its objects no longer wait for the driver. */
    private static final class Waiter<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();
        final List<Key> keys;
        final BooleanSupplier ready;
        final Supplier<T> value;
        boolean done;

        Waiter(List<Key> keys, BooleanSupplier ready, Supplier<T> value) {
            this.keys = List.copyOf(keys);
            this.ready = ready;
            this.value = value;
        }
    }

    private <T> CompletionStage<T> await(Tx tx, List<Key> keys, BooleanSupplier ready, Supplier<T> value) {
        Waiter<T> w = new Waiter<>(keys, ready, value);
        tx.registered.add(w);
        for (Key k : w.keys) {
            waiters.computeIfAbsent(k, x -> new ArrayList<>()).add(w);
        }
        settle(tx, w);
        return w.future.minimalCompletionStage();
    }

    /** If a waiter's objects are settled, computes its value now and completes it after the change. */
    private <T> void settle(Tx tx, Waiter<T> w) {
        if (w.done || !w.ready.getAsBoolean()) {
            return;
        }
        w.done = true;
        for (Key k : w.keys) {
            List<Waiter<?>> list = waiters.get(k);
            if (list != null) {
                list.remove(w);
                if (list.isEmpty()) {
                    waiters.remove(k);
                }
            }
        }
        try {
            T v = w.value.get();
            tx.completions.add(() -> w.future.complete(v));
        } catch (RuntimeException e) {
            tx.completions.add(() -> w.future.completeExceptionally(e));
        }
    }

    private boolean settled(Key k) {
        return find(k).map(f -> !f.status().isPending()).orElse(true);
    }

    // ------------------------------------------------------------------------------------------
    // Runners: driver calls, one at a time per load balancer

    /** The driver-facing state of one load balancer; guarded by {@link #lock} except the locks. */
    private static final class LbRuntime {
        final UUID id;
        /** Held while a change to this load balancer is made and written. */
        final ReentrantLock writeLock = new ReentrantLock();
        /** One driver call for this load balancer at a time (apply, remove, observe). */
        final Semaphore calls = new Semaphore(1);
        long requested;
        Attempt open;
        boolean busy;
        boolean hung;
        Optional<LoadBalancer> lastApplied = Optional.empty();

        LbRuntime(UUID id) {
            this.id = id;
        }
    }

    /** One driver call covering every change up to {@link #version}, with its deadline. */
    private static final class Attempt {
        long version;
        boolean started;
        boolean inCall;
        boolean finished;
        boolean timedOut;
        Thread thread;
        ScheduledFuture<?> timer;

        Attempt(long version) {
            this.version = version;
        }
    }

    /**
     * Asks for the driver to apply a load balancer up to {@code v}; under {@link #lock}. When no
     * runner task is active for it, adds it to {@code start}: the caller starts those with
     * {@link #start(List)} once it holds no lock (so an executor that runs tasks in the calling
     * thread cannot run a driver call under a lock).
     */
    private void kick(UUID id, long v, List<LbRuntime> start) {
        LbRuntime rt = runtimes.get(id);
        if (rt == null || closed) {
            return;
        }
        rt.requested = Math.max(rt.requested, v);
        if (rt.open == null) {
            rt.open = newAttempt(rt);
        } else if (!rt.open.started) {
            rt.open.version = rt.requested;
        }
        if (!rt.busy) {
            rt.busy = true;
            start.add(rt);
        }
    }

    private void start(List<LbRuntime> runners) {
        for (LbRuntime rt : runners) {
            try {
                executor.execute(() -> run(rt));
            } catch (RejectedExecutionException e) {
                synchronized (lock) {
                    rt.busy = false;
                }
                LOG.warn("cannot schedule driver work for load balancer {}: {}", rt.id, e.toString());
            }
        }
    }

    private Attempt newAttempt(LbRuntime rt) {
        Attempt att = new Attempt(rt.requested);
        try {
            att.timer = timer.schedule(() -> timedOut(rt, att), deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("service closing: no deadline for load balancer {}", rt.id);
        }
        return att;
    }

    private enum Op { APPLY, REMOVE, INVALID }

    /** The runner task of one load balancer: performs attempts until none is open. */
    private void run(LbRuntime rt) {
        while (true) {
            Attempt att;
            synchronized (lock) {
                att = rt.open;
                if (att == null || att.started || closed) {
                    rt.busy = false;
                    return;
                }
                att.started = true;
            }
            rt.calls.acquireUninterruptibly();
            Op op;
            Optional<LoadBalancer> previous;
            LoadBalancer desired = null;
            String invalid = "";
            Outcome outcome;
            try {
                synchronized (lock) {
                    Lb lb = lbs.get(rt.id);
                    if (att.timedOut || lb == null) {
                        rt.hung = false;
                        if (!att.timedOut) {
                            att.finished = true;
                            cancel(att);
                            rt.open = null;
                        }
                        continue;
                    }
                    att.version = rt.requested;
                    previous = rt.lastApplied;
                    if (lb.pool().status() == Status.PENDING_DELETE) {
                        op = Op.REMOVE;
                    } else {
                        try {
                            desired = desired(lb);
                            op = Op.APPLY;
                        } catch (ValidationException e) {
                            op = Op.INVALID;
                            invalid = e.getMessage();
                        }
                    }
                    att.thread = Thread.currentThread();
                    att.inCall = op != Op.INVALID;
                }
                outcome = call(rt.id, op, previous, desired, invalid);
                synchronized (lock) {
                    att.inCall = false;
                    att.thread = null;
                }
                Thread.interrupted();
            } finally {
                rt.calls.release();
            }
            finishAttempt(rt, att, op, desired, outcome);
        }
    }

    /** What a driver call came to. */
    private record Outcome(boolean ok, String tenantMessage) {
    }

    private Outcome call(UUID id, Op op, Optional<LoadBalancer> previous, LoadBalancer desired, String invalid) {
        long start = System.nanoTime();
        try {
            switch (op) {
                case APPLY -> {
                    ApplyResult r = driver.apply(previous, desired);
                    LOG.debug("driver applied load balancer {} in {} ms: {} {}", id, millis(start),
                            r == null ? "(no result)" : r.action(), r == null ? "" : r.detail());
                }
                case REMOVE -> {
                    driver.remove(id);
                    LOG.debug("driver removed load balancer {} in {} ms", id, millis(start));
                }
                case INVALID -> {
                    LOG.error("load balancer {} is invalid and cannot be applied: {}", id, invalid);
                    return new Outcome(false, "the load balancer is invalid: " + invalid);
                }
                default -> throw new AssertionError(op);
            }
            return new Outcome(true, "");
        } catch (DriverException e) {
            LOG.warn("driver failed on load balancer {} after {} ms (retryable: {}): {}", id, millis(start),
                    e.retryable(), e.operatorMessage(), e);
            return new Outcome(false, e.tenantMessage());
        } catch (Exception | Error e) {
            // Exception, not only RuntimeException: a driver may throw a checked exception sneakily.
            LOG.error("driver failed unexpectedly on load balancer {} after {} ms", id, millis(start), e);
            return new Outcome(false, "the driver failed unexpectedly");
        }
    }

    private void finishAttempt(LbRuntime rt, Attempt att, Op op, LoadBalancer desired, Outcome outcome) {
        Tx tx = null;
        rt.writeLock.lock();
        try {
            synchronized (lock) {
                if (outcome.ok() && op == Op.APPLY) {
                    rt.lastApplied = Optional.of(desired);
                }
                if (att.timedOut) {
                    rt.hung = false;
                    LOG.warn("driver returned for load balancer {} after its deadline had passed ({}); its objects stay in "
                            + "ERROR until retried", rt.id, outcome.ok() ? "succeeded" : "failed");
                } else {
                    att.finished = true;
                    cancel(att);
                    rt.open = null;
                    tx = new Tx(++version);
                    resolve(tx, rt.id, att.version, outcome.ok(), outcome.tenantMessage());
                    if (lbs.containsKey(rt.id) && rt.requested > att.version) {
                        rt.open = newAttempt(rt);
                    }
                    if (!lbs.containsKey(rt.id)) {
                        runtimes.remove(rt.id, rt);
                    }
                    finish(tx);
                }
            }
            if (tx != null) {
                persistQuietly(tx);
                publish(tx);
            }
        } finally {
            rt.writeLock.unlock();
        }
        if (tx != null) {
            tx.completions.forEach(Runnable::run);
        }
    }

    /** The deadline of an attempt passed before the driver returned. */
    private void timedOut(LbRuntime rt, Attempt att) {
        Tx tx;
        rt.writeLock.lock();
        try {
            synchronized (lock) {
                if (att.finished || att.timedOut || closed) {
                    return;
                }
                att.timedOut = true;
                if (rt.open == att) {
                    rt.open = null;
                }
                String why;
                if (att.inCall) {
                    why = "driver did not finish within " + text(deadline);
                } else if (att.started) {
                    why = "driver did not finish an earlier call for this load balancer within " + text(deadline);
                } else if (rt.hung) {
                    why = "driver is still busy with an earlier call for this load balancer that exceeded the deadline of "
                            + text(deadline);
                } else {
                    why = "no driver thread became free within " + text(deadline);
                }
                if (att.started) {
                    rt.hung = true;
                }
                if (att.inCall && att.thread != null) {
                    att.thread.interrupt();
                }
                LOG.warn("load balancer {}: {}", rt.id, why);
                tx = new Tx(++version);
                resolve(tx, rt.id, att.version, false, why);
                if (lbs.containsKey(rt.id) && rt.requested > att.version) {
                    rt.open = newAttempt(rt);
                }
                finish(tx);
            }
            persistQuietly(tx);
            publish(tx);
        } finally {
            rt.writeLock.unlock();
        }
        tx.completions.forEach(Runnable::run);
    }

    private static void cancel(Attempt att) {
        if (att.timer != null) {
            att.timer.cancel(false);
        }
    }

    /**
     * Settles a load balancer after a driver call that covered every change up to {@code upTo}:
     * on success objects become ACTIVE or DISABLED (deleted objects go away, and ERROR objects that
     * were part of the applied state recover); on failure the covered objects go to ERROR.
     */
    private void resolve(Tx tx, UUID id, long upTo, boolean ok, String message) {
        Lb lb = lbs.get(id);
        if (lb == null) {
            return;
        }
        String why = ok ? "" : Text.statusDescription(message);
        if (ok && lb.pool().status() == Status.PENDING_DELETE && lb.pendingUpTo(id, upTo)) {
            putLb(tx, id, Optional.empty());
            return;
        }
        Lb next = lb;
        Pool pool = lb.pool();
        if (lb.pendingUpTo(id, upTo) || (ok && pool.status() == Status.ERROR)) {
            next = next.withPool(pool.withStatus(ok ? done(pool.adminStateUp()) : Status.ERROR, why)).settled(id);
        }
        if (lb.vip().isPresent()) {
            Vip vip = lb.vip().get();
            if (lb.pendingUpTo(vip.id(), upTo) || (ok && vip.status() == Status.ERROR)) {
                if (ok && vip.status() == Status.PENDING_DELETE) {
                    next = next.withVip(Optional.empty(), Optional.empty()).settled(vip.id());
                } else {
                    next = next.withVip(Optional.of(vip.withStatus(ok ? done(vip.adminStateUp()) : Status.ERROR, why)),
                            lb.vipSubnet()).settled(vip.id());
                }
            }
        }
        for (Member m : lb.members().values()) {
            if (lb.pendingUpTo(m.id(), upTo) || (ok && m.status() == Status.ERROR)) {
                if (ok && m.status() == Status.PENDING_DELETE) {
                    next = next.withoutMember(m.id());
                } else {
                    next = next.withMember(m.withStatus(ok ? done(m.adminStateUp()) : Status.ERROR, why)).settled(m.id());
                }
            }
        }
        for (PoolMonitorAssociation a : lb.associations().values()) {
            if (lb.pendingUpTo(a.monitorId(), upTo) || (ok && a.status() == Status.ERROR)) {
                if (ok && a.status() == Status.PENDING_DELETE) {
                    next = next.withoutAssociation(a.monitorId());
                } else {
                    HealthMonitor m = monitors.get(a.monitorId());
                    boolean up = m == null || m.adminStateUp();
                    next = next.withAssociation(a.withStatus(ok ? done(up) : Status.ERROR, why)).settled(a.monitorId());
                }
            }
        }
        if (!next.equals(lb)) {
            putLb(tx, id, Optional.of(next.withRevision(tx.version)));
        }
    }

    private static Status done(boolean adminUp) {
        return adminUp ? Status.ACTIVE : Status.DISABLED;
    }

    // ------------------------------------------------------------------------------------------
    // Self-healing: what SelfHealing sees of the service, and repairs on the runners

    /** The service as {@link SelfHealing} sees it. */
    private final class HealingHost implements SelfHealing.Host {

        @Override
        public Map<UUID, Status> settledDeployed() {
            Map<UUID, Status> out = new LinkedHashMap<>();
            synchronized (lock) {
                if (closed) {
                    return out;
                }
                for (Lb lb : lbs.values()) {
                    if (isSettledDeployed(lb)) {
                        out.put(lb.id(), lb.pool().status());
                    }
                }
            }
            return out;
        }

        @Override
        public CompletionStage<SelfHealing.Repair> repair(UUID poolId, String reason) {
            CompletableFuture<SelfHealing.Repair> done = new CompletableFuture<>();
            LbRuntime rt;
            synchronized (lock) {
                rt = closed ? null : runtimes.get(poolId);
            }
            if (rt == null) {
                done.complete(SelfHealing.Repair.skipped("the load balancer is gone"));
                return done;
            }
            try {
                executor.execute(() -> repairOnRunner(rt, reason, done));
            } catch (RejectedExecutionException e) {
                done.complete(SelfHealing.Repair.skipped("the service is closing"));
            }
            return done;
        }
    }

    /**
     * Whether a load balancer is deployed and nothing about it waits for the driver: no pending
     * object, no driver work queued, running or hung, and no object in ERROR but the pool. Under
     * {@link #lock}.
     */
    private boolean isSettledDeployed(Lb lb) {
        if (!lb.pending().isEmpty() || lb.vip().isEmpty() || !lb.vip().get().adminStateUp()
                || lb.vip().get().status() == Status.ERROR) {
            return false;
        }
        LbRuntime rt = runtimes.get(lb.id());
        if (rt == null || rt.busy || rt.open != null || rt.hung) {
            return false;
        }
        for (Member m : lb.members().values()) {
            if (m.status() == Status.ERROR) {
                return false;
            }
        }
        for (PoolMonitorAssociation a : lb.associations().values()) {
            if (a.status() == Status.ERROR) {
                return false;
            }
        }
        return true;
    }

    /**
     * Repairs a load balancer on a driver thread, holding its one-call-at-a-time permit like an
     * apply does, so no apply or remove of it runs meanwhile. The desired state is taken once the
     * permit is held; a change accepted later waits for the permit and is applied after the
     * repair. Skipped when the load balancer changed or has driver work of its own.
     */
    private void repairOnRunner(LbRuntime rt, String reason, CompletableFuture<SelfHealing.Repair> done) {
        if (!rt.calls.tryAcquire()) {
            done.complete(SelfHealing.Repair.skipped("a driver call for it is in progress"));
            return;
        }
        try {
            LoadBalancer desired;
            long revision;
            synchronized (lock) {
                Lb lb = lbs.get(rt.id);
                if (closed || lb == null || runtimes.get(rt.id) != rt || !isSettledDeployed(lb)) {
                    done.complete(SelfHealing.Repair.skipped("it changed or has driver work of its own"));
                    return;
                }
                try {
                    desired = desired(lb);
                } catch (ValidationException e) {
                    done.complete(SelfHealing.Repair.skipped("it is invalid: " + e.getMessage()));
                    return;
                }
                revision = lb.revision();
            }
            AtomicBoolean settled = new AtomicBoolean();
            AtomicBoolean inCall = new AtomicBoolean(true);
            CompletableFuture<Long> errorRevision = new CompletableFuture<>();
            Thread caller = Thread.currentThread();
            long start = System.nanoTime();
            ScheduledFuture<?> deadlineTimer = null;
            try {
                deadlineTimer = timer.schedule(() -> {
                    if (!settled.compareAndSet(false, true)) {
                        return;
                    }
                    try {
                        synchronized (inCall) {
                            if (inCall.get()) {
                                caller.interrupt();
                            }
                        }
                        String why = "driver did not repair it within " + text(deadline);
                        errorRevision.complete(settleRepair(rt, revision, false, why));
                        done.complete(new SelfHealing.Repair(SelfHealing.Repair.Result.FAILED, why, millis(start)));
                    } finally {
                        errorRevision.complete(revision);
                    }
                }, deadline.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("service closing: no deadline for the repair of load balancer {}", rt.id);
            }
            boolean ok;
            String tenantMessage;
            String detail;
            try {
                ApplyResult r = driver.repair(desired);
                ok = true;
                tenantMessage = "";
                detail = r == null ? "(no result)" : r.action() + (r.detail().isEmpty() ? "" : " " + r.detail());
            } catch (DriverException e) {
                ok = false;
                tenantMessage = e.tenantMessage();
                detail = e.operatorMessage();
            } catch (Exception | Error e) {
                ok = false;
                tenantMessage = "the driver failed unexpectedly";
                detail = e.toString();
            }
            if (deadlineTimer != null) {
                deadlineTimer.cancel(false);
            }
            synchronized (inCall) {
                inCall.set(false);
            }
            Thread.interrupted();
            if (ok) {
                synchronized (lock) {
                    rt.lastApplied = Optional.of(desired);
                }
            }
            if (settled.compareAndSet(false, true)) {
                settleRepair(rt, revision, ok, tenantMessage);
                done.complete(new SelfHealing.Repair(ok ? SelfHealing.Repair.Result.REPAIRED : SelfHealing.Repair.Result.FAILED,
                        detail, millis(start)));
            } else if (ok) {
                LOG.warn("self-healing: the driver repaired load balancer {} after the deadline had passed ({} ms)", rt.id,
                        millis(start));
                settleRepair(rt, errorRevision.join(), true, "");
            }
        } finally {
            rt.calls.release();
        }
    }

    /**
     * Records what a repair came to, unless the load balancer changed since {@code revision}: a
     * success clears ERROR (ACTIVE or DISABLED again, as after an apply), a failure sets the pool
     * to ERROR with the tenant's message.
     *
     * @return the load balancer's revision afterwards
     */
    private long settleRepair(LbRuntime rt, long revision, boolean ok, String tenantMessage) {
        Tx tx = null;
        long after = revision;
        rt.writeLock.lock();
        try {
            synchronized (lock) {
                Lb lb = lbs.get(rt.id);
                if (closed || lb == null || lb.revision() != revision || !lb.pending().isEmpty()) {
                    return after;
                }
                tx = new Tx(++version);
                if (ok) {
                    resolve(tx, rt.id, 0, true, "");
                } else {
                    String why = Text.statusDescription("the load balancer stopped and could not be restarted: "
                            + tenantMessage);
                    if (lb.pool().status() != Status.ERROR || !lb.pool().statusDescription().equals(why)) {
                        putLb(tx, rt.id, Optional.of(lb.withPool(lb.pool().withStatus(Status.ERROR, why))
                                .withRevision(tx.version)));
                    }
                }
                finish(tx);
                after = lbs.get(rt.id).revision();
            }
            persistQuietly(tx);
            publish(tx);
        } finally {
            rt.writeLock.unlock();
        }
        tx.completions.forEach(Runnable::run);
        return after;
    }

    // ------------------------------------------------------------------------------------------
    // Lookups and checks (under lock)

    /** An object's key for waiters and status events; an association is (pool id, monitor id). */
    private record Key(ObjectKind kind, UUID id, UUID other) {
        static Key pool(UUID id) {
            return new Key(ObjectKind.POOL, id, id);
        }

        static Key member(UUID id) {
            return new Key(ObjectKind.MEMBER, id, id);
        }

        static Key vip(UUID id) {
            return new Key(ObjectKind.VIP, id, id);
        }

        static Key association(UUID poolId, UUID monitorId) {
            return new Key(ObjectKind.ASSOCIATION, poolId, monitorId);
        }

        String display() {
            return kind == ObjectKind.ASSOCIATION ? id + "/" + other : id.toString();
        }
    }

    private record Found(Status status, String description, UUID lbId) {
    }

    private record AddressKey(UUID subnetId, InetAddress address) {
    }

    private Optional<Found> find(Key k) {
        UUID lbId = switch (k.kind()) {
            case POOL, ASSOCIATION -> k.id();
            case MEMBER -> memberPool.get(k.id());
            case VIP -> vipPool.get(k.id());
            default -> null;
        };
        Lb lb = lbId == null ? null : lbs.get(lbId);
        if (lb == null) {
            return Optional.empty();
        }
        return switch (k.kind()) {
            case POOL -> Optional.of(new Found(lb.pool().status(), lb.pool().statusDescription(), lbId));
            case MEMBER -> Optional.ofNullable(lb.members().get(k.id()))
                    .map(m -> new Found(m.status(), m.statusDescription(), lbId));
            case VIP -> lb.vip().filter(v -> v.id().equals(k.id()))
                    .map(v -> new Found(v.status(), v.statusDescription(), lbId));
            case ASSOCIATION -> Optional.ofNullable(lb.associations().get(k.other()))
                    .map(a -> new Found(a.status(), a.statusDescription(), lbId));
            default -> Optional.empty();
        };
    }

    private static Optional<Status> statusOf(Lb lb, Key k) {
        return switch (k.kind()) {
            case POOL -> Optional.of(lb.pool().status());
            case MEMBER -> Optional.ofNullable(lb.members().get(k.id())).map(Member::status);
            case VIP -> lb.vip().map(Vip::status);
            case ASSOCIATION -> Optional.ofNullable(lb.associations().get(k.other())).map(PoolMonitorAssociation::status);
            default -> Optional.empty();
        };
    }

    private static List<Key> keysOf(Optional<Lb> maybe) {
        if (maybe.isEmpty()) {
            return List.of();
        }
        Lb lb = maybe.get();
        List<Key> keys = new ArrayList<>();
        keys.add(Key.pool(lb.id()));
        lb.vip().ifPresent(v -> keys.add(Key.vip(v.id())));
        lb.members().keySet().forEach(m -> keys.add(Key.member(m)));
        lb.associations().keySet().forEach(m -> keys.add(Key.association(lb.id(), m)));
        return keys;
    }

    private UUID existingPool(UUID poolId) {
        lbOrThrow(poolId);
        return poolId;
    }

    private Lb lbOrThrow(UUID poolId) {
        Lb lb = lbs.get(poolId);
        if (lb == null) {
            throw new NotFoundException(ObjectKind.POOL, poolId.toString());
        }
        return lb;
    }

    private HealthMonitor monitorOrThrow(UUID monitorId) {
        HealthMonitor m = monitors.get(monitorId);
        if (m == null) {
            throw new NotFoundException(ObjectKind.HEALTH_MONITOR, monitorId.toString());
        }
        return m;
    }

    private Optional<Member> findMember(UUID memberId) {
        return Optional.ofNullable(memberPool.get(memberId)).map(lbs::get).map(lb -> lb.members().get(memberId));
    }

    private Member memberOrThrow(UUID memberId) {
        return findMember(memberId).orElseThrow(() -> new NotFoundException(ObjectKind.MEMBER, memberId.toString()));
    }

    private Optional<Vip> findVip(UUID vipId) {
        return Optional.ofNullable(vipPool.get(vipId)).map(lbs::get).flatMap(Lb::vip).filter(v -> v.id().equals(vipId));
    }

    private Vip vipOrThrow(UUID vipId) {
        return findVip(vipId).orElseThrow(() -> new NotFoundException(ObjectKind.VIP, vipId.toString()));
    }

    private Optional<PoolMonitorAssociation> findAssociation(UUID poolId, UUID monitorId) {
        return Optional.ofNullable(lbs.get(poolId)).map(lb -> lb.associations().get(monitorId));
    }

    private PoolView view(Lb lb) {
        return new PoolView(lb.pool(), List.copyOf(lb.members().keySet()), List.copyOf(lb.associations().keySet()),
                List.copyOf(lb.associations().values()), lb.vip().map(Vip::id));
    }

    private HealthMonitorView monitorView(HealthMonitor m) {
        List<PoolMonitorAssociation> pools = new ArrayList<>();
        for (UUID poolId : monitorPools.getOrDefault(m.id(), Set.of())) {
            findAssociation(poolId, m.id()).ifPresent(pools::add);
        }
        return new HealthMonitorView(m, pools);
    }

    /** The load balancer as the driver is to be told it: objects being deleted are left out. */
    private LoadBalancer desired(Lb lb) {
        Optional<Vip> vip = lb.vip().filter(v -> v.status() != Status.PENDING_DELETE);
        Subnet subnet = vip.isPresent() ? lb.vipSubnet().orElseThrow() : lb.poolSubnet();
        List<Member> members = lb.members().values().stream().filter(m -> m.status() != Status.PENDING_DELETE).toList();
        List<HealthMonitor> hms = new ArrayList<>();
        for (PoolMonitorAssociation a : lb.associations().values()) {
            HealthMonitor m = monitors.get(a.monitorId());
            if (a.status() != Status.PENDING_DELETE && m != null) {
                hms.add(m);
            }
        }
        return new LoadBalancer(subnet, lb.pool(), vip, members, hms);
    }

    private LoadBalancer validDesired(ObjectKind kind, String id, Lb lb) {
        try {
            return desired(lb);
        } catch (ValidationException e) {
            throw new InvalidRequestException(kind, id, e.violations());
        }
    }

    private void checkDriver(ObjectKind kind, String id, LoadBalancer lb) {
        List<Violation> unsupported = capabilities.unsupported(lb);
        if (!unsupported.isEmpty()) {
            throw new UnsupportedByDriverException(kind, id, unsupported);
        }
    }

    private static void throwIfInvalid(Violations v, ObjectKind kind, String id, String prefix) {
        if (!v.isEmpty()) {
            throw new InvalidRequestException(kind, id, v.list().stream().map(x -> x.prefixed(prefix)).toList());
        }
    }

    private static void notDeleting(ObjectKind kind, String id, Status status) {
        if (status == Status.PENDING_DELETE) {
            throw new InvalidStateException(kind, id, status, kind.wireName() + " " + id
                    + " is being deleted (PENDING_DELETE) and cannot be changed");
        }
    }

    private static void sameTenant(Violations v, String tenantId, Pool pool) {
        v.check(tenantId.equals(pool.tenantId()), "tenant_id", tenantId,
                "must be the tenant of pool " + pool.id() + " (" + pool.tenantId() + ")");
    }

    private static void uniqueEndpoint(Lb lb, Member m, String id) {
        for (Member other : lb.members().values()) {
            if (!other.id().equals(m.id()) && other.address().equals(m.address())
                    && other.protocolPort() == m.protocolPort()) {
                String endpoint = " with address " + IpAddresses.toText(m.address()) + " and protocol_port " + m.protocolPort();
                throw new ConflictException(ObjectKind.MEMBER, id, ConflictException.Reason.MEMBER_EXISTS,
                        "pool " + lb.id() + " already has member " + other.id() + endpoint,
                        "pool " + lb.id() + " already has a member" + endpoint,
                        new ConflictException.Conflicting(ObjectKind.MEMBER, other.id().toString(), other.tenantId()));
            }
        }
    }

    /** A PENDING_CREATE object stays PENDING_CREATE when it changes again before the driver created it. */
    private static Status pendingStatus(Status current, Status wanted) {
        return current == Status.PENDING_CREATE ? Status.PENDING_CREATE : wanted;
    }

    /**
     * Builds the HTTP part of a monitor from a request's fields over the current values (or v1's
     * defaults), or records why the fields are not allowed.
     */
    private static Optional<HttpCheck> httpCheck(Violations v, boolean http, Optional<HttpMethod> method,
                                                 Optional<String> path, Optional<String> codes,
                                                 Optional<HttpCheck> current) {
        if (!http) {
            String rule = "is only for HTTP and HTTPS monitors";
            method.ifPresent(m -> v.add(Violation.of("http_method", m, rule)));
            path.ifPresent(p -> v.add(Violation.of("url_path", p, rule)));
            codes.ifPresent(c -> v.add(Violation.of("expected_codes", c, rule)));
            return Optional.empty();
        }
        HttpCheck base = current.orElse(HttpCheck.defaults());
        Optional<ExpectedCodes> expected = codes.isPresent()
                ? v.nested("", () -> ExpectedCodes.parse(codes.get())) : Optional.of(base.expectedCodes());
        return v.nested("", () -> new HttpCheck(method.orElse(base.method()), path.orElse(base.urlPath()),
                expected.orElse(base.expectedCodes())));
    }

    /**
     * Picks the first host address of a subnet that is not its network, broadcast or gateway
     * address, nor another VIP's.
     */
    private Optional<InetAddress> freeAddress(Subnet subnet) {
        Cidr cidr = subnet.cidr();
        byte[] raw = cidr.network().getAddress();
        int bits = raw.length * 8;
        int hostBits = bits - cidr.prefixLength();
        BigInteger base = new BigInteger(1, raw);
        BigInteger size = BigInteger.ONE.shiftLeft(hostBits);
        boolean small = hostBits <= 1;
        BigInteger first = small ? BigInteger.ZERO : BigInteger.ONE;
        BigInteger last = small || cidr.ipVersion() == 6 ? size.subtract(BigInteger.ONE) : size.subtract(BigInteger.TWO);
        long budget = vipAddressPool.size() + 3L;
        for (BigInteger off = first; off.compareTo(last) <= 0 && budget > 0; off = off.add(BigInteger.ONE)) {
            InetAddress candidate = toAddress(base.add(off), raw.length);
            if (subnet.gateway().map(candidate::equals).orElse(false)
                    || vipAddressPool.containsKey(new AddressKey(subnet.id(), candidate))) {
                continue;
            }
            budget--;
            if (IpAddresses.isUsableUnicast(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static InetAddress toAddress(BigInteger value, int length) {
        byte[] b = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(b.length, length);
        System.arraycopy(b, b.length - copy, out, length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    private static long millis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

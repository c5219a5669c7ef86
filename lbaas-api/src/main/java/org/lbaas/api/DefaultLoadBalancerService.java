package org.lbaas.api;

import static org.lbaas.api.TenantChecks.conflicting;
import static org.lbaas.api.TenantChecks.httpCheck;
import static org.lbaas.api.TenantChecks.noVip;
import static org.lbaas.api.TenantChecks.notDeleting;
import static org.lbaas.api.TenantChecks.pendingStatus;
import static org.lbaas.api.TenantChecks.sameTenant;
import static org.lbaas.api.TenantChecks.throwIfInvalid;
import static org.lbaas.api.TenantChecks.throwIfTaken;
import static org.lbaas.api.TenantChecks.uniqueEndpoint;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link LoadBalancerService#builder()}: the tenant operations of
 * Neutron LBaaS v1, each checking a request and making it a change, over these subsystems:
 * <ul>
 *   <li>{@link ServiceState}: the load balancers and health monitors in memory, their indexes and
 *       the service's one lock;</li>
 *   <li>{@link ChangeEngine}: transactions, rollback, persistence to the {@link Repository} and
 *       publication of status events;</li>
 *   <li>{@link DriverRunner}: driver calls per load balancer, one at a time, with deadlines, and
 *       observations;</li>
 *   <li>{@link VipAddresses}: VIP address allocation;</li>
 *   <li>{@link Recovery}: start-up reconcile and re-applying what was left pending;</li>
 *   <li>{@link SelfHealing}, through {@link RepairHost}: probes and repairs.</li>
 * </ul>
 */
final class DefaultLoadBalancerService implements LoadBalancerService {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final Capabilities capabilities;
    private final SubnetRegistry subnets;
    private final String providerName;
    private final ExecutorService notifier;
    private final ServiceState state = new ServiceState();
    private final ChangeEngine engine;
    private final DriverRunner runner;
    private final Recovery recovery;
    private final Optional<SelfHealing> selfHealing;

    private DefaultLoadBalancerService(LoadBalancerService.Builder b) {
        this.capabilities = Objects.requireNonNull(b.driver.capabilities(), "driver capabilities");
        this.subnets = b.subnets;
        this.providerName = b.providerName;
        this.notifier = Executors.newSingleThreadExecutor(daemon("lbaas-status"));
        this.engine = new ChangeEngine(state, b.repository, b.clock, b.listener, notifier);
        boolean own = b.executor == null;
        this.runner = new DriverRunner(state, engine, b.driver, b.driverDeadline,
                own ? Executors.newFixedThreadPool(b.threads, daemon("lbaas-driver")) : b.executor, own,
                Executors.newSingleThreadScheduledExecutor(daemon("lbaas-deadline")));
        engine.attach(runner);
        this.recovery = new Recovery(state, engine, runner, b.driver, b.repository);
        this.selfHealing = b.selfHealingInterval.isZero() ? Optional.empty()
                : Optional.of(new SelfHealing(b.driver, new RepairHost(state, engine, runner), b.selfHealingInterval,
                        b.selfHealingMaxBackoff, System::nanoTime));
    }

    static LoadBalancerService start(LoadBalancerService.Builder b) {
        DefaultLoadBalancerService service = new DefaultLoadBalancerService(b);
        try {
            service.recovery.recover();
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
        Subnet subnet = subnet(request.subnetId());
        TrackedLoadBalancer fresh = TrackedLoadBalancer.create(pool.orElseThrow(), subnet);
        return engine.change(() -> ChangeEngine.Plan.of(List.of(), List.of(id)), tx -> {
            Optional<TrackedLoadBalancer> have = state.loadBalancer(id);
            if (have.isPresent()) {
                throwIfTaken(ObjectKind.POOL, id, request.tenantId(), have.get().pool().tenantId(),
                        RepeatedCreates.differences(request, chosen, have.get().pool()));
                return poolPending(tx, have.get(), id);
            }
            TrackedLoadBalancer next = fresh.pendingSince(id, tx.version).withRevision(tx.version);
            checkedDesired(ObjectKind.POOL, "", next);
            engine.stage(tx, id, next);
            return poolPending(tx, next, id);
        });
    }

    private Pending<PoolView> poolPending(ChangeEngine.Tx tx, TrackedLoadBalancer now, UUID poolId) {
        return engine.pending(tx, state.view(now), List.of(ObjectKey.pool(poolId)), () -> state.view(state.lbOrThrow(poolId)));
    }

    @Override
    public PoolView getPool(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        synchronized (state.lock) {
            return state.view(state.lbOrThrow(poolId));
        }
    }

    @Override
    public List<PoolView> listPools() {
        synchronized (state.lock) {
            return state.loadBalancers().stream().map(state::view).toList();
        }
    }

    @Override
    public List<PoolView> listPools(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (state.lock) {
            return state.loadBalancers().stream().filter(lb -> lb.pool().tenantId().equals(tenantId)).map(state::view)
                    .toList();
        }
    }

    @Override
    public Pending<PoolView> updatePool(UUID poolId, PoolUpdate update) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(update, "update");
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = changeablePool(poolId);
            Pool pool = lb.pool();
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
            TrackedLoadBalancer next = lb.withPool(changed.orElseThrow()).pendingSince(poolId, tx.version)
                    .withRevision(tx.version);
            checkedDesired(ObjectKind.POOL, poolId.toString(), next);
            engine.stage(tx, poolId, next);
            return poolPending(tx, next, poolId);
        });
    }

    @Override
    public Pending<Optional<PoolView>> deletePool(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = changeablePool(poolId);
            if (lb.vip().isPresent()) {
                Vip user = lb.vip().get();
                throw new ConflictException(ObjectKind.POOL, poolId.toString(), ConflictException.Reason.IN_USE,
                        "pool " + poolId + " is in use by vip " + user.id() + ": delete the vip first",
                        "pool " + poolId + " is in use by a vip: delete the vip first", conflicting(user));
            }
            TrackedLoadBalancer next = lb.withPool(lb.pool().withStatus(Status.PENDING_DELETE, ""))
                    .pendingSince(poolId, tx.version);
            for (Member m : lb.members().values()) {
                next = next.withMember(m.withStatus(Status.PENDING_DELETE, "")).pendingSince(m.id(), tx.version);
            }
            for (PoolMonitorAssociation a : lb.associations().values()) {
                next = next.withAssociation(a.withStatus(Status.PENDING_DELETE, "")).pendingSince(a.monitorId(), tx.version);
            }
            next = next.withRevision(tx.version);
            engine.stage(tx, poolId, next);
            return engine.pending(tx, Optional.of(state.view(next)), List.of(ObjectKey.pool(poolId)),
                    () -> state.loadBalancer(poolId).map(state::view));
        });
    }

    @Override
    public Pending<PoolView> retry(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = changeablePool(poolId);
            long ver = tx.version;
            TrackedLoadBalancer next = lb.withPool(lb.pool().withStatus(
                    pendingStatus(lb.pool().status(), Status.PENDING_UPDATE), "")).pendingSince(poolId, ver);
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
            engine.stage(tx, poolId, next);
            LOG.info("pool {}: retry requested", poolId);
            return poolPending(tx, next, poolId);
        });
    }

    // ------------------------------------------------------------------------------------------
    // Members

    @Override
    public Pending<Member> createMember(MemberCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        UUID poolId = request.poolId();
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            if (state.poolOfMember(id).isPresent()) {
                Member have = state.memberOrThrow(id);
                throwIfTaken(ObjectKind.MEMBER, id, request.tenantId(), have.tenantId(),
                        RepeatedCreates.differences(request, have));
                return memberPending(tx, have, List.of(ObjectKey.member(id)));
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
            TrackedLoadBalancer next = lb.withMember(m).pendingSince(id, tx.version).withRevision(tx.version);
            checkedDesired(ObjectKind.MEMBER, "", next);
            engine.stage(tx, poolId, next);
            return memberPending(tx, m, List.of(ObjectKey.member(id)));
        });
    }

    private Pending<Member> memberPending(ChangeEngine.Tx tx, Member now, List<ObjectKey> keys) {
        return engine.pending(tx, now, keys, () -> state.memberOrThrow(now.id()));
    }

    @Override
    public Member getMember(UUID memberId) {
        Objects.requireNonNull(memberId, "memberId");
        synchronized (state.lock) {
            return state.memberOrThrow(memberId);
        }
    }

    @Override
    public List<Member> listMembers() {
        synchronized (state.lock) {
            return state.loadBalancers().stream().flatMap(lb -> lb.members().values().stream()).toList();
        }
    }

    @Override
    public List<Member> listMembers(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (state.lock) {
            return state.loadBalancers().stream().flatMap(lb -> lb.members().values().stream())
                    .filter(m -> m.tenantId().equals(tenantId)).toList();
        }
    }

    @Override
    public Pending<Member> updateMember(UUID memberId, MemberUpdate update) {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(update, "update");
        String mid = memberId.toString();
        return engine.change(() -> movePlan(state.poolOfMember(memberId), ObjectKind.MEMBER, mid, update.poolId()), tx -> {
            UUID sourceId = state.poolOfMember(memberId).orElseThrow();
            TrackedLoadBalancer source = state.lbOrThrow(sourceId);
            Member m = source.members().get(memberId);
            notDeleting(ObjectKind.MEMBER, mid, m.status());
            notDeleting(ObjectKind.POOL, sourceId.toString(), source.pool().status());
            UUID targetId = update.poolId().orElse(sourceId);
            boolean move = !targetId.equals(sourceId);
            TrackedLoadBalancer target = move ? changeablePool(targetId) : source;
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
                TrackedLoadBalancer next = source.withMember(nm).pendingSince(memberId, ver).withRevision(ver);
                checkedDesired(ObjectKind.MEMBER, mid, next);
                engine.stage(tx, sourceId, next);
            } else {
                uniqueEndpoint(target, nm, mid);
                TrackedLoadBalancer nextTarget = target.withMember(nm).pendingSince(memberId, ver).withRevision(ver);
                TrackedLoadBalancer nextSource = source.withoutMember(memberId);
                stageMove(tx, ObjectKind.MEMBER, mid, nextTarget, nextSource);
                LOG.info("member {}: moving from pool {} to pool {}", memberId, sourceId, targetId);
            }
            return memberPending(tx, nm, moveKeys(ObjectKey.member(memberId), move, sourceId));
        });
    }

    @Override
    public Pending<Optional<Member>> deleteMember(UUID memberId) {
        Objects.requireNonNull(memberId, "memberId");
        String mid = memberId.toString();
        return engine.change(() -> movePlan(state.poolOfMember(memberId), ObjectKind.MEMBER, mid, Optional.empty()), tx -> {
            UUID poolId = state.poolOfMember(memberId).orElseThrow();
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            Member m = lb.members().get(memberId);
            notDeleting(ObjectKind.MEMBER, mid, m.status());
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            Member deleting = m.withStatus(Status.PENDING_DELETE, "");
            TrackedLoadBalancer next = lb.withMember(deleting).pendingSince(memberId, tx.version).withRevision(tx.version);
            engine.stage(tx, poolId, next);
            return engine.pending(tx, Optional.of(deleting), List.of(ObjectKey.member(memberId)),
                    () -> state.findMember(memberId));
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
        return engine.change(() -> ChangeEngine.Plan.of(List.of(id), List.of()), tx -> {
            Optional<HealthMonitor> have = state.monitor(id);
            if (have.isPresent()) {
                throwIfTaken(ObjectKind.HEALTH_MONITOR, id, request.tenantId(), have.get().tenantId(),
                        RepeatedCreates.differences(m, have.get()));
                HealthMonitorView existing = state.monitorView(have.get());
                return ChangeEngine.answered(existing, existing);
            }
            engine.putMonitor(tx, id, Optional.of(m));
            HealthMonitorView view = state.monitorView(m);
            return ChangeEngine.answered(view, view);
        });
    }

    @Override
    public HealthMonitorView getHealthMonitor(UUID monitorId) {
        Objects.requireNonNull(monitorId, "monitorId");
        synchronized (state.lock) {
            return state.monitorView(state.monitorOrThrow(monitorId));
        }
    }

    @Override
    public List<HealthMonitorView> listHealthMonitors() {
        synchronized (state.lock) {
            return state.monitors().stream().map(state::monitorView).toList();
        }
    }

    @Override
    public List<HealthMonitorView> listHealthMonitors(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (state.lock) {
            return state.monitors().stream().filter(m -> m.tenantId().equals(tenantId)).map(state::monitorView).toList();
        }
    }

    @Override
    public Pending<HealthMonitorView> updateHealthMonitor(UUID monitorId, HealthMonitorUpdate update) {
        Objects.requireNonNull(monitorId, "monitorId");
        Objects.requireNonNull(update, "update");
        String hid = monitorId.toString();
        return engine.change(() -> {
            state.monitorOrThrow(monitorId);
            return ChangeEngine.Plan.of(List.of(monitorId), state.poolsOfMonitor(monitorId));
        }, tx -> {
            HealthMonitor cur = state.monitorOrThrow(monitorId);
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
            engine.putMonitor(tx, monitorId, Optional.of(nm));
            List<ObjectKey> keys = new ArrayList<>();
            for (UUID poolId : state.poolsOfMonitor(monitorId)) {
                TrackedLoadBalancer lb = state.lbOrThrow(poolId);
                PoolMonitorAssociation a = lb.associations().get(monitorId);
                if (a.status() == Status.PENDING_DELETE) {
                    continue;
                }
                TrackedLoadBalancer next = lb.withAssociation(a.withStatus(pendingStatus(a.status(), Status.PENDING_UPDATE), ""))
                        .pendingSince(monitorId, tx.version).withRevision(tx.version);
                checkedDesired(ObjectKind.HEALTH_MONITOR, hid, next);
                engine.stage(tx, poolId, next);
                keys.add(ObjectKey.association(poolId, monitorId));
            }
            return engine.pending(tx, state.monitorView(nm), keys,
                    () -> state.monitorView(state.monitorOrThrow(monitorId)));
        });
    }

    @Override
    public Pending<Optional<HealthMonitorView>> deleteHealthMonitor(UUID monitorId) {
        Objects.requireNonNull(monitorId, "monitorId");
        String hid = monitorId.toString();
        return engine.change(() -> {
            state.monitorOrThrow(monitorId);
            return ChangeEngine.Plan.of(List.of(monitorId), List.of());
        }, tx -> {
            HealthMonitor m = state.monitorOrThrow(monitorId);
            List<UUID> pools = state.poolsOfMonitor(monitorId);
            if (!pools.isEmpty()) {
                throw new ConflictException(ObjectKind.HEALTH_MONITOR, hid, ConflictException.Reason.IN_USE, "health monitor "
                        + monitorId + " is in use by pools " + new TreeSet<>(pools) + ": disassociate it first");
            }
            HealthMonitorView view = state.monitorView(m);
            engine.putMonitor(tx, monitorId, Optional.empty());
            return ChangeEngine.answered(Optional.of(view), Optional.<HealthMonitorView>empty());
        });
    }

    @Override
    public Pending<PoolMonitorAssociation> associate(UUID poolId, UUID monitorId) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(monitorId, "monitorId");
        String aid = poolId + "/" + monitorId;
        // The monitor's lock too: an association is only stored once its monitor's document is.
        return engine.change(() -> ChangeEngine.Plan.of(List.of(monitorId), List.of(state.existingPool(poolId))), tx -> {
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            HealthMonitor m = state.monitorOrThrow(monitorId);
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
            TrackedLoadBalancer next = lb.withAssociation(a).pendingSince(monitorId, tx.version).withRevision(tx.version);
            checkedDesired(ObjectKind.ASSOCIATION, aid, next);
            engine.stage(tx, poolId, next);
            return engine.pending(tx, a, List.of(ObjectKey.association(poolId, monitorId)),
                    () -> state.findAssociation(poolId, monitorId)
                            .orElseThrow(() -> new NotFoundException(ObjectKind.ASSOCIATION, aid)));
        });
    }

    @Override
    public Pending<Optional<PoolMonitorAssociation>> disassociate(UUID poolId, UUID monitorId) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(monitorId, "monitorId");
        String aid = poolId + "/" + monitorId;
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            state.monitorOrThrow(monitorId);
            PoolMonitorAssociation a = lb.associations().get(monitorId);
            if (a == null) {
                throw new NotFoundException(ObjectKind.ASSOCIATION, aid,
                        "health monitor " + monitorId + " is not associated with pool " + poolId);
            }
            notDeleting(ObjectKind.ASSOCIATION, aid, a.status());
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            PoolMonitorAssociation deleting = a.withStatus(Status.PENDING_DELETE, "");
            TrackedLoadBalancer next = lb.withAssociation(deleting).pendingSince(monitorId, tx.version).withRevision(tx.version);
            engine.stage(tx, poolId, next);
            return engine.pending(tx, Optional.of(deleting), List.of(ObjectKey.association(poolId, monitorId)),
                    () -> state.findAssociation(poolId, monitorId));
        });
    }

    // ------------------------------------------------------------------------------------------
    // VIPs

    @Override
    public Pending<Vip> createVip(VipCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        UUID poolId = request.poolId();
        Subnet subnet = subnet(request.subnetId());
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            if (state.poolOfVip(id).isPresent()) {
                Vip have = state.vipOrThrow(id);
                throwIfTaken(ObjectKind.VIP, id, request.tenantId(), have.tenantId(), RepeatedCreates.differences(request, have));
                return vipPending(tx, have, List.of(ObjectKey.vip(id)));
            }
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            noVip(lb, "");
            InetAddress address = vipAddress(subnet, request.address());
            UUID portId = request.portId().orElseGet(UUID::randomUUID);
            Optional<Vip> portUser = state.vipWithPort(portId);
            if (portUser.isPresent()) {
                throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.PORT_IN_USE,
                        "port " + portId + " is in use by vip " + portUser.get().id(), "port " + portId + " is in use",
                        conflicting(portUser.get()));
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
            TrackedLoadBalancer next = lb.withVip(Optional.of(nv), Optional.of(subnet)).pendingSince(id, tx.version)
                    .withRevision(tx.version);
            checkedDesired(ObjectKind.VIP, "", next);
            engine.stage(tx, poolId, next);
            return vipPending(tx, nv, List.of(ObjectKey.vip(id)));
        });
    }

    /**
     * The address of a new VIP ({@link VipAddresses}). A requested address outside the subnet is
     * kept: the model's rules refuse it together with the request's other violations.
     */
    private InetAddress vipAddress(Subnet subnet, Optional<InetAddress> requested) {
        VipAddresses.Allocation allocation = VipAddresses.allocate(subnet, state.vipAddresses(subnet.id()), requested);
        if (allocation instanceof VipAddresses.Chosen chosen) {
            return chosen.address();
        }
        if (allocation instanceof VipAddresses.OutsideSubnet outside) {
            return outside.address();
        }
        if (allocation instanceof VipAddresses.InUse inUse) {
            Vip other = state.vipWithAddress(subnet.id(), inUse.address()).orElseThrow();
            throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.ADDRESS_IN_USE,
                    inUse.reason() + " by vip " + other.id(), inUse.reason(), conflicting(other));
        }
        throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.NO_FREE_ADDRESS, allocation.reason());
    }

    private Pending<Vip> vipPending(ChangeEngine.Tx tx, Vip now, List<ObjectKey> keys) {
        return engine.pending(tx, now, keys, () -> state.vipOrThrow(now.id()));
    }

    @Override
    public Vip getVip(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        synchronized (state.lock) {
            return state.vipOrThrow(vipId);
        }
    }

    @Override
    public List<Vip> listVips() {
        synchronized (state.lock) {
            return state.loadBalancers().stream().flatMap(lb -> lb.vip().stream()).toList();
        }
    }

    @Override
    public List<Vip> listVips(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (state.lock) {
            return state.loadBalancers().stream().flatMap(lb -> lb.vip().stream())
                    .filter(v -> v.tenantId().equals(tenantId)).toList();
        }
    }

    @Override
    public Pending<Vip> updateVip(UUID vipId, VipUpdate update) {
        Objects.requireNonNull(vipId, "vipId");
        Objects.requireNonNull(update, "update");
        String vid = vipId.toString();
        return engine.change(() -> movePlan(state.poolOfVip(vipId), ObjectKind.VIP, vid, update.poolId()), tx -> {
            UUID sourceId = state.poolOfVip(vipId).orElseThrow();
            TrackedLoadBalancer source = state.lbOrThrow(sourceId);
            Vip vip = source.vip().orElseThrow();
            notDeleting(ObjectKind.VIP, vid, vip.status());
            notDeleting(ObjectKind.POOL, sourceId.toString(), source.pool().status());
            UUID targetId = update.poolId().orElse(sourceId);
            boolean move = !targetId.equals(sourceId);
            TrackedLoadBalancer target = move ? changeablePool(targetId) : source;
            if (move) {
                noVip(target, vid);
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
                TrackedLoadBalancer next = source.withVip(Optional.of(nv), source.vipSubnet()).pendingSince(vipId, ver)
                        .withRevision(ver);
                checkedDesired(ObjectKind.VIP, vid, next);
                engine.stage(tx, sourceId, next);
            } else {
                TrackedLoadBalancer nextTarget = target.withVip(Optional.of(nv), source.vipSubnet()).pendingSince(vipId, ver)
                        .withRevision(ver);
                TrackedLoadBalancer nextSource = source.withVip(Optional.empty(), Optional.empty()).settled(vipId);
                stageMove(tx, ObjectKind.VIP, vid, nextTarget, nextSource);
                LOG.info("vip {}: moving from pool {} to pool {}", vipId, sourceId, targetId);
            }
            return vipPending(tx, nv, moveKeys(ObjectKey.vip(vipId), move, sourceId));
        });
    }

    @Override
    public Pending<Optional<Vip>> deleteVip(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        String vid = vipId.toString();
        return engine.change(() -> movePlan(state.poolOfVip(vipId), ObjectKind.VIP, vid, Optional.empty()), tx -> {
            UUID poolId = state.poolOfVip(vipId).orElseThrow();
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            Vip vip = lb.vip().orElseThrow();
            notDeleting(ObjectKind.VIP, vid, vip.status());
            Vip deleting = vip.withStatus(Status.PENDING_DELETE, "");
            TrackedLoadBalancer next = lb.withVip(Optional.of(deleting), lb.vipSubnet()).pendingSince(vipId, tx.version)
                    .withRevision(tx.version);
            engine.stage(tx, poolId, next);
            return engine.pending(tx, Optional.of(deleting), List.of(ObjectKey.vip(vipId)), () -> state.findVip(vipId));
        });
    }

    // ------------------------------------------------------------------------------------------
    // Moves between pools (a member or a VIP)

    /**
     * Plans a change of an object that may move: the pool it is in ({@code source}, the object is
     * not found without one) and the pool it moves to, if another.
     */
    private static ChangeEngine.Plan movePlan(Optional<UUID> source, ObjectKind kind, String id, Optional<UUID> target) {
        UUID from = source.orElseThrow(() -> new NotFoundException(kind, id));
        UUID to = target.orElse(from);
        return ChangeEngine.Plan.of(List.of(), to.equals(from) ? List.of(from) : List.of(from, to));
    }

    /**
     * Stages a move: the new owner ({@code nextTarget}, complete) is written first, so a crash
     * between the two writes leaves the object in both documents and the newer revision wins on
     * load; the old owner, without the object, goes PENDING_UPDATE to be applied without it.
     */
    private void stageMove(ChangeEngine.Tx tx, ObjectKind kind, String id, TrackedLoadBalancer nextTarget,
                           TrackedLoadBalancer withoutObject) {
        long ver = tx.version;
        UUID sourceId = withoutObject.id();
        TrackedLoadBalancer nextSource = withoutObject
                .withPool(withoutObject.pool().withStatus(pendingStatus(withoutObject.pool().status(), Status.PENDING_UPDATE),
                        ""))
                .pendingSince(sourceId, ver).withRevision(ver);
        checkedDesired(kind, id, nextTarget);
        validDesired(kind, id, nextSource);
        engine.stage(tx, nextTarget.id(), nextTarget);
        engine.stage(tx, sourceId, nextSource);
    }

    /** The keys a change of a moved object waits for: the object, and after a move the old owner's pool. */
    private static List<ObjectKey> moveKeys(ObjectKey key, boolean move, UUID sourceId) {
        return move ? List.of(key, ObjectKey.pool(sourceId)) : List.of(key);
    }

    // ------------------------------------------------------------------------------------------
    // Observation

    @Override
    public PoolStats stats(UUID poolId) {
        return runner.observe(poolId).map(Observation::stats).orElse(PoolStats.ZERO);
    }

    @Override
    public Map<UUID, MemberHealth> memberHealth(UUID poolId) {
        return runner.observe(poolId).map(Observation::memberHealth).orElse(Map.of());
    }

    @Override
    public LoadBalancer loadBalancer(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        synchronized (state.lock) {
            return state.desired(state.lbOrThrow(poolId));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    public void close() {
        List<Runnable> abandoned;
        synchronized (state.lock) {
            if (!state.close()) {
                return;
            }
            abandoned = engine.abandonWaiters();
            runner.cancelDeadlines();
        }
        selfHealing.ifPresent(SelfHealing::close);
        abandoned.forEach(Runnable::run);
        runner.stopTimer();
        notifier.shutdown();
        runner.stopExecutor();
        try {
            notifier.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("lbaas service closed");
    }

    // ------------------------------------------------------------------------------------------
    // Checks (under the state's lock)

    private Subnet subnet(UUID subnetId) {
        return subnets.subnet(subnetId).orElseThrow(() -> new NotFoundException(ObjectKind.SUBNET, subnetId.toString()));
    }

    /** Returns an existing pool that is not being deleted. */
    private TrackedLoadBalancer changeablePool(UUID poolId) {
        TrackedLoadBalancer lb = state.lbOrThrow(poolId);
        notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
        return lb;
    }

    /** Returns the load balancer as the driver would get it, refusing a request that breaks the model's rules. */
    private LoadBalancer validDesired(ObjectKind kind, String id, TrackedLoadBalancer lb) {
        try {
            return state.desired(lb);
        } catch (ValidationException e) {
            throw new InvalidRequestException(kind, id, e.violations());
        }
    }

    /** As {@link #validDesired}, and refuses what the driver does not support. */
    private void checkedDesired(ObjectKind kind, String id, TrackedLoadBalancer lb) {
        List<Violation> unsupported = capabilities.unsupported(validDesired(kind, id, lb));
        if (!unsupported.isEmpty()) {
            throw new UnsupportedByDriverException(kind, id, unsupported);
        }
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

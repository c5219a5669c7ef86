package org.lbaas.api;

import static org.lbaas.api.TenantChecks.conflicting;
import static org.lbaas.api.TenantChecks.httpCheck;
import static org.lbaas.api.TenantChecks.notDeleting;
import static org.lbaas.api.TenantChecks.notInstanceAddress;
import static org.lbaas.api.TenantChecks.pendingStatus;
import static org.lbaas.api.TenantChecks.sameTenant;
import static org.lbaas.api.TenantChecks.throwIfInvalid;
import static org.lbaas.api.TenantChecks.throwIfTaken;
import static org.lbaas.api.TenantChecks.uniqueEndpoint;

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
import org.lbaas.driver.spi.LoadBalancerDriver;
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
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link LoadBalancerService#builder()}: the tenant operations of
 * Neutron LBaaS v1, each checking a request ({@link TenantChecks}) and making it a change (pools,
 * members and health monitors here, VIPs in {@link VipOperations}), over these
 * subsystems:
 * <ul>
 *   <li>{@link ServiceState}: the load balancers and health monitors in memory, their indexes and
 *       the service's one lock;</li>
 *   <li>{@link ChangeEngine}: transactions, rollback, persistence to the {@link Repository} and
 *       publication of status events;</li>
 *   <li>{@link DriverRunner}: driver calls per load balancer, one at a time, with deadlines, and
 *       observations;</li>
 *   <li>{@link VipAddresses}: VIP address allocation;</li>
 *   <li>{@link Recovery}: start-up reconcile and re-applying what was left pending;</li>
 *   <li>{@link RemoteChanges}: over a shared store, the other controllers' changes;</li>
 *   <li>{@link SelfHealing}, through {@link RepairHost}: probes and repairs.</li>
 * </ul>
 */
final class DefaultLoadBalancerService implements LoadBalancerService {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final Capabilities capabilities;
    private final String providerName;
    private final ExecutorService notifier;
    private final ServiceState state = new ServiceState();
    private final ChangeEngine engine;
    private final DriverRunner runner;
    private final TenantChecks checks;
    private final VipOperations vips;
    private final Recovery recovery;
    private final Optional<SelfHealing> selfHealing;
    private final Optional<RemoteChanges> remote;
    private final ServiceMetrics metrics;

    private DefaultLoadBalancerService(LoadBalancerService.Builder b) {
        this.metrics = b.metrics;
        // Without metrics the driver is called as given: the default path loads no metrics class.
        LoadBalancerDriver driver = metrics == ServiceMetrics.NONE ? b.driver : new MeteredDriver(b.driver, metrics);
        this.capabilities = Objects.requireNonNull(driver.capabilities(), "driver capabilities");
        this.providerName = b.providerName;
        this.notifier = Executors.newSingleThreadExecutor(daemon("lbaas-status"));
        this.engine = new ChangeEngine(state, b.repository, b.clock, b.listener, notifier, metrics);
        boolean own = b.executor == null;
        this.runner = new DriverRunner(state, engine, driver, b.driverDeadline,
                own ? Executors.newFixedThreadPool(b.threads, daemon("lbaas-driver")) : b.executor, own,
                Executors.newSingleThreadScheduledExecutor(daemon("lbaas-deadline")), metrics);
        engine.attach(runner);
        this.checks = new TenantChecks(state, engine, capabilities, b.subnets);
        this.vips = new VipOperations(state, engine, checks);
        this.recovery = new Recovery(state, engine, runner, driver, b.repository);
        this.remote = b.repository.shared().map(shared -> new RemoteChanges(state, engine, runner, shared,
                Executors.newSingleThreadExecutor(daemon("lbaas-remote"))));
        remote.ifPresent(engine::attach);
        this.selfHealing = b.selfHealingInterval.isZero() ? Optional.empty()
                : Optional.of(new SelfHealing(driver, new RepairHost(state, engine, runner), b.selfHealingInterval,
                        b.selfHealingMaxBackoff, System::nanoTime));
    }

    static LoadBalancerService start(LoadBalancerService.Builder b) {
        DefaultLoadBalancerService service = new DefaultLoadBalancerService(b);
        try {
            service.recovery.recover();
            service.remote.ifPresent(RemoteChanges::start);
            service.selfHealing.ifPresent(SelfHealing::start);
            service.metrics.start(service.new Gauges());
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
        Subnet subnet = checks.subnet(request.subnetId());
        TrackedLoadBalancer fresh = TrackedLoadBalancer.create(pool.orElseThrow(), subnet);
        return engine.change(() -> ChangeEngine.Plan.of(List.of(), List.of(id)), tx -> {
            Optional<TrackedLoadBalancer> have = state.loadBalancer(id);
            if (have.isPresent()) {
                throwIfTaken(ObjectKind.POOL, id, request.tenantId(), have.get().pool().tenantId(),
                        RepeatedCreates.differences(request, chosen, have.get().pool()));
                return poolPending(tx, have.get(), id);
            }
            TrackedLoadBalancer next = fresh.pendingSince(id, tx.version).withRevision(tx.version);
            checks.checkedDesired(ObjectKind.POOL, "", next);
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
        return state.read(() -> state.view(state.lbOrThrow(poolId)));
    }

    @Override
    public List<PoolView> listPools() {
        return state.read(() -> state.loadBalancers().stream().map(state::view).toList());
    }

    @Override
    public List<PoolView> listPools(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return listPools().stream().filter(p -> p.pool().tenantId().equals(tenantId)).toList();
    }

    @Override
    public Pending<PoolView> updatePool(UUID poolId, PoolUpdate update) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(update, "update");
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = checks.changeablePool(poolId);
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
            checks.checkedDesired(ObjectKind.POOL, poolId.toString(), next);
            engine.stage(tx, poolId, next);
            return poolPending(tx, next, poolId);
        });
    }

    @Override
    public Pending<Optional<PoolView>> deletePool(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = checks.changeablePool(poolId);
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
            TrackedLoadBalancer lb = checks.changeablePool(poolId);
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
            checks.validDesired(ObjectKind.POOL, poolId.toString(), next);
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
            notInstanceAddress(lb, m, "");
            TrackedLoadBalancer next = lb.withMember(m).pendingSince(id, tx.version).withRevision(tx.version);
            checks.checkedDesired(ObjectKind.MEMBER, "", next);
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
        return state.read(() -> state.memberOrThrow(memberId));
    }

    @Override
    public List<Member> listMembers() {
        return state.read(() -> state.loadBalancers().stream().flatMap(lb -> lb.members().values().stream()).toList());
    }

    @Override
    public List<Member> listMembers(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return listMembers().stream().filter(m -> m.tenantId().equals(tenantId)).toList();
    }

    @Override
    public Pending<Member> updateMember(UUID memberId, MemberUpdate update) {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(update, "update");
        String mid = memberId.toString();
        return checks.changeHeld(() -> state.poolOfMember(memberId), ObjectKind.MEMBER, mid, update.poolId(), (tx, source) -> {
            Member m = source.members().get(memberId);
            notDeleting(ObjectKind.MEMBER, mid, m.status());
            TenantChecks.Move to = checks.move(source, update.poolId());
            Violations v = new Violations();
            Optional<Member> changed = v.nested("", () -> {
                Member.Builder b = m.toBuilder().poolId(to.target().id())
                        .status(pendingStatus(m.status(), Status.PENDING_UPDATE)).statusDescription("");
                update.weight().ifPresent(b::weight);
                update.adminStateUp().ifPresent(b::adminStateUp);
                return b.build();
            });
            to.checkTenant(v, m.tenantId());
            throwIfInvalid(v, ObjectKind.MEMBER, mid, "member");
            Member nm = changed.orElseThrow();
            if (to.moves()) {
                uniqueEndpoint(to.target(), nm, mid);
                notInstanceAddress(to.target(), nm, mid);
            }
            TrackedLoadBalancer next = to.target().withMember(nm).pendingSince(memberId, tx.version).withRevision(tx.version);
            checks.stageUpdate(tx, ObjectKind.MEMBER, mid, next, to.leftBehind(s -> s.withoutMember(memberId)));
            return memberPending(tx, nm, to.loggedKeys(ObjectKey.member(memberId)));
        });
    }

    @Override
    public Pending<Optional<Member>> deleteMember(UUID memberId) {
        Objects.requireNonNull(memberId, "memberId");
        String mid = memberId.toString();
        return checks.changeHeld(() -> state.poolOfMember(memberId), ObjectKind.MEMBER, mid, Optional.empty(), (tx, lb) -> {
            UUID poolId = lb.id();
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
        return state.read(() -> state.monitorView(state.monitorOrThrow(monitorId)));
    }

    @Override
    public List<HealthMonitorView> listHealthMonitors() {
        return state.read(() -> state.monitors().stream().map(state::monitorView).toList());
    }

    @Override
    public List<HealthMonitorView> listHealthMonitors(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return listHealthMonitors().stream().filter(m -> m.monitor().tenantId().equals(tenantId)).toList();
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
                checks.checkedDesired(ObjectKind.HEALTH_MONITOR, hid, next);
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
            checks.checkedDesired(ObjectKind.ASSOCIATION, aid, next);
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
        return vips.createVip(request);
    }

    @Override
    public Vip getVip(UUID vipId) {
        return vips.getVip(vipId);
    }

    @Override
    public List<Vip> listVips() {
        return vips.listVips();
    }

    @Override
    public List<Vip> listVips(String tenantId) {
        return vips.listVips(tenantId);
    }

    @Override
    public Pending<Vip> updateVip(UUID vipId, VipUpdate update) {
        return vips.updateVip(vipId, update);
    }

    @Override
    public Pending<Optional<Vip>> deleteVip(UUID vipId) {
        return vips.deleteVip(vipId);
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
        return state.read(() -> state.desired(state.lbOrThrow(poolId)));
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
        remote.ifPresent(RemoteChanges::close);
        metrics.close();
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

    /** What the service's gauges read. */
    private final class Gauges implements ServiceMetrics.Source {
        @Override
        public long loadBalancers(Status status) {
            return state.read(() -> state.loadBalancers().stream().filter(lb -> lb.pool().status() == status).count());
        }

        @Override
        public List<UUID> pools() {
            return state.read(() -> state.loadBalancers().stream().map(TrackedLoadBalancer::id).toList());
        }

        @Override
        public Optional<Observation> observe(UUID poolId) {
            try {
                return runner.observe(poolId);
            } catch (NotFoundException | IllegalStateException gone) {
                return Optional.empty();
            }
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

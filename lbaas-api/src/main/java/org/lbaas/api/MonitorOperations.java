package org.lbaas.api;

import static org.lbaas.api.TenantChecks.httpCheck;
import static org.lbaas.api.TenantChecks.notDeleting;
import static org.lbaas.api.TenantChecks.pendingStatus;
import static org.lbaas.api.TenantChecks.throwIfInvalid;
import static org.lbaas.api.TenantChecks.throwIfTaken;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;

/** The tenant operations on health monitors and their associations with pools; see {@link LoadBalancerService}. */
final class MonitorOperations {

    private final ServiceState state;
    private final ChangeEngine engine;
    private final TenantChecks checks;
    private final Capabilities capabilities;

    MonitorOperations(ServiceState state, ChangeEngine engine, TenantChecks checks, Capabilities capabilities) {
        this.state = state;
        this.engine = engine;
        this.checks = checks;
        this.capabilities = capabilities;
    }

    Pending<HealthMonitorView> createHealthMonitor(HealthMonitorCreate request) {
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

    HealthMonitorView getHealthMonitor(UUID monitorId) {
        Objects.requireNonNull(monitorId, "monitorId");
        synchronized (state.lock) {
            return state.monitorView(state.monitorOrThrow(monitorId));
        }
    }

    List<HealthMonitorView> listHealthMonitors() {
        synchronized (state.lock) {
            return state.monitors().stream().map(state::monitorView).toList();
        }
    }

    List<HealthMonitorView> listHealthMonitors(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (state.lock) {
            return state.monitors().stream().filter(m -> m.tenantId().equals(tenantId)).map(state::monitorView).toList();
        }
    }

    Pending<HealthMonitorView> updateHealthMonitor(UUID monitorId, HealthMonitorUpdate update) {
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

    Pending<Optional<HealthMonitorView>> deleteHealthMonitor(UUID monitorId) {
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

    Pending<PoolMonitorAssociation> associate(UUID poolId, UUID monitorId) {
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

    Pending<Optional<PoolMonitorAssociation>> disassociate(UUID poolId, UUID monitorId) {
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
}

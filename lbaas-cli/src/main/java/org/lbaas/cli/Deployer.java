package org.lbaas.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.PersistenceChange;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Takes a load balancer document through {@link LoadBalancerService} the way a Neutron client
 * did: pool, members, health monitors and their association, VIP; and back. Every step waits for
 * the driver and fails on {@code ERROR}, naming the step.
 */
final class Deployer {

    /** Longest wait for one step: the service's driver deadline plus a margin. */
    static final long STEP_TIMEOUT_SECONDS = Session.DRIVER_DEADLINE.toSeconds() + 30;

    private final LoadBalancerService service;
    private final ReportingDriver driver;
    private final String command;
    private final Consumer<String> progress;

    /**
     * @param service the service
     * @param driver the service's driver, asked for the operator's side of a failure
     * @param command the command name, first word of every step name
     * @param progress told each step as it completes
     */
    Deployer(LoadBalancerService service, ReportingDriver driver, String command, Consumer<String> progress) {
        this.service = Objects.requireNonNull(service, "service");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.command = Objects.requireNonNull(command, "command");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    // ------------------------------------------------------------------------------ create

    /**
     * Creates every object of a document. When a step fails, removes what was created and
     * rethrows.
     *
     * @param lb the document
     * @param vipErrorExpected when the VIP ends in ERROR and this says so, that is not a failure
     *     (a dry run, where HAProxy never starts)
     * @return the ids the service gave the objects
     */
    DeployedDocument create(LoadBalancer lb, BooleanSupplier vipErrorExpected) {
        Pool p = lb.pool();
        UUID poolId = null;
        Map<UUID, UUID> monitors = new LinkedHashMap<>();
        try {
            PoolView pool = await("create pool", service.createPool(new PoolCreate(p.tenantId(), p.name(), p.description(),
                    p.subnetId(), p.protocol(), p.lbMethod(), p.provider().isEmpty() ? Optional.empty() : Optional.of(p.provider()),
                    p.adminStateUp())));
            poolId = pool.id();
            requireSettled("create pool", poolId, pool.pool().status(), pool.pool().statusDescription());
            progress.accept("pool " + poolId + " " + pool.pool().status());
            Map<UUID, UUID> members = new LinkedHashMap<>();
            for (int i = 0; i < lb.members().size(); i++) {
                Member m = lb.members().get(i);
                members.put(m.id(), createMember("create members[" + i + "]", poolId, m).id());
            }
            for (int i = 0; i < lb.healthMonitors().size(); i++) {
                HealthMonitor m = lb.healthMonitors().get(i);
                createAndAssociate("health_monitors[" + i + "]", poolId, m, id -> monitors.put(m.id(), id));
            }
            Optional<UUID> vipId = Optional.empty();
            if (lb.vip().isPresent()) {
                vipId = Optional.of(createVip(poolId, lb.vip().get(), vipErrorExpected).id());
            }
            return new DeployedDocument(p.id(), poolId, vipId, members, monitors);
        } catch (RuntimeException | Error e) {
            if (poolId != null && !vipErrorExpected.getAsBoolean()) {
                rollback(poolId, monitors.values(), e);
            }
            throw e;
        }
    }

    private Member createMember(String step, UUID poolId, Member m) {
        Member created = await(step, service.createMember(new MemberCreate(m.tenantId(), poolId, m.address(), m.protocolPort(),
                m.weight(), m.adminStateUp())));
        requireSettled(step, poolId, created.status(), created.statusDescription());
        progress.accept("member " + Describe.endpoint(created) + " " + created.status());
        return created;
    }

    /** Creates a monitor, tells {@code created} its id (so a rollback finds it), and associates it. */
    private UUID createAndAssociate(String at, UUID poolId, HealthMonitor m, Consumer<UUID> created) {
        HealthMonitorView view = await("create " + at, service.createHealthMonitor(monitorCreate(m)));
        UUID id = view.id();
        created.accept(id);
        PoolMonitorAssociation a = await("associate " + at, service.associate(poolId, id));
        requireSettled("associate " + at, poolId, a.status(), a.statusDescription());
        progress.accept("health monitor " + Describe.monitor(view.monitor()) + ", associated " + a.status());
        return id;
    }

    private Vip createVip(UUID poolId, Vip v, BooleanSupplier errorExpected) {
        Vip vip = await("create vip", service.createVip(new VipCreate(v.tenantId(), v.name(), v.description(), v.subnetId(),
                Optional.of(v.address()), Optional.of(v.portId()), v.protocolPort(), v.protocol(), poolId,
                v.sessionPersistence(), v.connectionLimit(), v.adminStateUp())));
        if (vip.status() == Status.ERROR && errorExpected.getAsBoolean()) {
            return vip;
        }
        requireSettled("create vip", poolId, vip.status(), vip.statusDescription());
        progress.accept(Describe.vip(vip) + " " + vip.status());
        return vip;
    }

    private static HealthMonitorCreate monitorCreate(HealthMonitor m) {
        Optional<HttpCheck> h = m.httpCheck();
        return new HealthMonitorCreate(m.tenantId(), m.type(), m.delay(), m.timeout(), m.maxRetries(),
                h.map(HttpCheck::method), h.map(HttpCheck::urlPath), h.map(c -> c.expectedCodes().spec()), m.adminStateUp());
    }

    private void rollback(UUID poolId, Iterable<UUID> monitors, Throwable cause) {
        try {
            remove(poolId, monitors);
            progress.accept("rolled back: removed pool " + poolId + " and what was created with it");
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    // ------------------------------------------------------------------------------ remove

    /**
     * Removes a pool with its VIP, members and associations, then the given health monitors when
     * no pool uses them any more.
     *
     * @param poolId the service's pool id
     * @param monitors monitors to delete once unused
     */
    void remove(UUID poolId, Iterable<UUID> monitors) {
        PoolView pool = service.getPool(poolId);
        if (pool.vipId().isPresent()) {
            Optional<Vip> left = await("delete vip", service.deleteVip(pool.vipId().get()));
            left.ifPresent(v -> fail("delete vip", poolId, v.statusDescription()));
            progress.accept("VIP " + pool.vipId().get() + " deleted");
        }
        Set<UUID> toDelete = new HashSet<>(pool.healthMonitorIds());
        monitors.forEach(toDelete::add);
        Optional<PoolView> leftPool = await("delete pool", service.deletePool(poolId));
        leftPool.ifPresent(v -> fail("delete pool", poolId, v.pool().statusDescription()));
        progress.accept("pool " + poolId + " deleted with its members and associations");
        for (UUID m : toDelete) {
            HealthMonitorView view;
            try {
                view = service.getHealthMonitor(m);
            } catch (NotFoundException e) {
                continue;
            }
            if (view.pools().isEmpty()) {
                await("delete health monitor " + m, service.deleteHealthMonitor(m));
            }
        }
    }

    // ------------------------------------------------------------------------------ update

    /**
     * Brings a deployed load balancer to a new document, object by object.
     *
     * @param deployed the ids of the deployed objects
     * @param desired the new document (same document pool id)
     * @return the ids after the update, and one line per change
     */
    Updated update(DeployedDocument deployed, LoadBalancer desired) {
        UUID poolId = deployed.poolId();
        LoadBalancer current = service.loadBalancer(poolId);
        List<String> changes = new ArrayList<>();
        Pool cp = current.pool();
        Pool dp = desired.pool();
        List<String> fixed = new ArrayList<>();
        if (cp.protocol() != dp.protocol()) {
            fixed.add("pool.protocol: a deployed pool's protocol cannot change (" + cp.protocol() + " -> " + dp.protocol()
                    + "); undeploy and deploy again");
        }
        if (!cp.tenantId().equals(dp.tenantId())) {
            fixed.add("pool.tenant_id: a deployed pool's tenant cannot change (" + cp.tenantId() + " -> " + dp.tenantId() + ")");
        }
        if (!cp.subnetId().equals(dp.subnetId())) {
            fixed.add("pool.subnet_id: a deployed pool's subnet cannot change; undeploy and deploy again");
        }
        if (!fixed.isEmpty()) {
            throw new InvalidInputException(fixed);
        }

        // Deletions first, so that a replacement never collides with what it replaces.
        Map<UUID, UUID> members = new LinkedHashMap<>();
        Map<UUID, Member> currentById = new HashMap<>();
        current.members().forEach(m -> currentById.put(m.id(), m));
        Map<UUID, Member> desiredByService = new HashMap<>();
        List<Member> toCreate = new ArrayList<>();
        for (Member m : desired.members()) {
            UUID svc = deployed.members().get(m.id());
            Member have = svc == null ? null : currentById.get(svc);
            if (have != null && have.address().equals(m.address()) && have.protocolPort() == m.protocolPort()) {
                desiredByService.put(svc, m);
                members.put(m.id(), svc);
            } else {
                toCreate.add(m);
            }
        }
        Optional<Vip> cv = current.vip();
        Optional<Vip> dv = desired.vip();
        boolean replaceVip = cv.isPresent() && dv.isPresent() && !sameFixedVip(cv.get(), dv.get());
        if (cv.isPresent() && (dv.isEmpty() || replaceVip)) {
            await("delete vip", service.deleteVip(cv.get().id())).ifPresent(v -> fail("delete vip", poolId, v.statusDescription()));
            changes.add("VIP " + Describe.endpoint(cv.get()) + " deleted" + (replaceVip ? " (to be re-created)" : ""));
        }
        for (Member have : current.members()) {
            if (!desiredByService.containsKey(have.id())) {
                await("delete member " + Describe.endpoint(have), service.deleteMember(have.id()))
                        .ifPresent(m -> fail("delete member " + Describe.endpoint(have), poolId, m.statusDescription()));
                changes.add("member " + Describe.endpoint(have) + " removed");
            }
        }
        Map<UUID, UUID> monitors = new LinkedHashMap<>();
        Map<UUID, HealthMonitor> currentMonitors = new HashMap<>();
        current.healthMonitors().forEach(m -> currentMonitors.put(m.id(), m));
        List<HealthMonitor> monitorsToCreate = new ArrayList<>();
        Map<UUID, HealthMonitor> monitorsToUpdate = new LinkedHashMap<>();
        for (HealthMonitor m : desired.healthMonitors()) {
            UUID svc = deployed.monitors().get(m.id());
            HealthMonitor have = svc == null ? null : currentMonitors.get(svc);
            if (have != null && have.type() == m.type()) {
                monitors.put(m.id(), svc);
                monitorsToUpdate.put(svc, m);
            } else {
                monitorsToCreate.add(m);
            }
        }
        for (HealthMonitor have : current.healthMonitors()) {
            if (!monitorsToUpdate.containsKey(have.id())) {
                await("disassociate health monitor " + have.id(), service.disassociate(poolId, have.id()))
                        .ifPresent(a -> fail("disassociate health monitor " + have.id(), poolId, a.statusDescription()));
                if (service.getHealthMonitor(have.id()).pools().isEmpty()) {
                    await("delete health monitor " + have.id(), service.deleteHealthMonitor(have.id()));
                }
                changes.add("health monitor " + have.type() + " removed");
            }
        }

        // Changes in place.
        PoolUpdate pu = PoolUpdate.empty();
        if (!cp.name().equals(dp.name())) {
            pu = pu.withName(dp.name());
        }
        if (!cp.description().equals(dp.description())) {
            pu = pu.withDescription(dp.description());
        }
        if (cp.lbMethod() != dp.lbMethod()) {
            pu = pu.withLbMethod(dp.lbMethod());
        }
        if (cp.adminStateUp() != dp.adminStateUp()) {
            pu = pu.withAdminStateUp(dp.adminStateUp());
        }
        if (!pu.equals(PoolUpdate.empty())) {
            PoolView v = await("update pool", service.updatePool(poolId, pu));
            requireSettled("update pool", poolId, v.pool().status(), v.pool().statusDescription());
            changes.add("pool updated (" + v.pool().lbMethod() + ", admin " + (v.pool().adminStateUp() ? "up" : "down") + ")");
        }
        for (Map.Entry<UUID, Member> e : desiredByService.entrySet()) {
            Member have = currentById.get(e.getKey());
            Member want = e.getValue();
            MemberUpdate mu = MemberUpdate.empty();
            if (have.weight() != want.weight()) {
                mu = mu.withWeight(want.weight());
            }
            if (have.adminStateUp() != want.adminStateUp()) {
                mu = mu.withAdminStateUp(want.adminStateUp());
            }
            if (!mu.equals(MemberUpdate.empty())) {
                String step = "update member " + Describe.endpoint(have);
                Member m = await(step, service.updateMember(have.id(), mu));
                requireSettled(step, poolId, m.status(), m.statusDescription());
                changes.add("member " + Describe.endpoint(m) + " updated (weight " + m.weight() + ", admin "
                        + (m.adminStateUp() ? "up" : "down") + ")");
            }
        }
        for (Map.Entry<UUID, HealthMonitor> e : monitorsToUpdate.entrySet()) {
            HealthMonitor have = currentMonitors.get(e.getKey());
            HealthMonitor want = e.getValue();
            if (!sameMonitorSettings(have, want)) {
                String step = "update health monitor " + have.id();
                HealthMonitorView v = await(step, service.updateHealthMonitor(have.id(), monitorUpdate(want)));
                for (PoolMonitorAssociation a : v.pools()) {
                    requireSettled(step, poolId, a.status(), a.statusDescription());
                }
                changes.add("health monitor updated: " + Describe.monitor(v.monitor()));
            }
        }

        // Creations last.
        for (Member m : toCreate) {
            Member created = createMember("create member " + Describe.endpoint(m), poolId, m);
            members.put(m.id(), created.id());
            changes.add("member " + Describe.endpoint(created) + " added");
        }
        for (HealthMonitor m : monitorsToCreate) {
            createAndAssociate("health monitor " + m.id(), poolId, m, id -> monitors.put(m.id(), id));
            changes.add("health monitor added: " + Describe.monitor(m));
        }
        Optional<UUID> vipId = cv.filter(v -> !replaceVip && dv.isPresent()).map(Vip::id);
        if (dv.isPresent() && (cv.isEmpty() || replaceVip)) {
            Vip created = createVip(poolId, dv.get(), () -> false);
            vipId = Optional.of(created.id());
            changes.add(Describe.vip(created) + " created");
        } else if (vipId.isPresent()) {
            VipUpdate vu = vipUpdate(cv.get(), dv.get());
            if (!vu.equals(VipUpdate.empty())) {
                Vip v = await("update vip", service.updateVip(vipId.get(), vu));
                requireSettled("update vip", poolId, v.status(), v.statusDescription());
                changes.add(Describe.vip(v) + " updated");
            }
        }
        return new Updated(new DeployedDocument(deployed.documentPoolId(), poolId, vipId, members, monitors), changes);
    }

    /** The result of {@link #update}: the new ids and what changed. */
    record Updated(DeployedDocument deployed, List<String> changes) {
    }

    private static boolean sameFixedVip(Vip a, Vip b) {
        return a.address().equals(b.address()) && a.protocolPort() == b.protocolPort() && a.protocol() == b.protocol()
                && a.subnetId().equals(b.subnetId()) && a.portId().equals(b.portId()) && a.tenantId().equals(b.tenantId());
    }

    private static VipUpdate vipUpdate(Vip have, Vip want) {
        VipUpdate u = VipUpdate.empty();
        if (!have.name().equals(want.name())) {
            u = u.withName(want.name());
        }
        if (!have.description().equals(want.description())) {
            u = new VipUpdate(u.name(), Optional.of(want.description()), u.poolId(), u.connectionLimit(), u.adminStateUp(),
                    u.sessionPersistence());
        }
        if (have.connectionLimit() != want.connectionLimit()) {
            u = u.withConnectionLimit(want.connectionLimit());
        }
        if (have.adminStateUp() != want.adminStateUp()) {
            u = u.withAdminStateUp(want.adminStateUp());
        }
        if (!have.sessionPersistence().equals(want.sessionPersistence())) {
            u = new VipUpdate(u.name(), u.description(), u.poolId(), u.connectionLimit(), u.adminStateUp(),
                    Optional.of(new PersistenceChange(want.sessionPersistence())));
        }
        return u;
    }

    private static boolean sameMonitorSettings(HealthMonitor a, HealthMonitor b) {
        return a.delay() == b.delay() && a.timeout() == b.timeout() && a.maxRetries() == b.maxRetries()
                && a.httpCheck().equals(b.httpCheck()) && a.adminStateUp() == b.adminStateUp();
    }

    private static HealthMonitorUpdate monitorUpdate(HealthMonitor m) {
        Optional<HttpCheck> h = m.httpCheck();
        return new HealthMonitorUpdate(Optional.of(m.delay()), Optional.of(m.timeout()), Optional.of(m.maxRetries()),
                h.map(HttpCheck::method), h.map(HttpCheck::urlPath), h.map(c -> c.expectedCodes().spec()),
                Optional.of(m.adminStateUp()));
    }

    // ------------------------------------------------------------------------------ waiting

    private <T> T await(String step, Pending<T> pending) {
        try {
            return pending.outcome().toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException(command + ": " + step, "interrupted", e);
        } catch (TimeoutException e) {
            throw new StepFailedException(command + ": " + step, "no outcome after " + STEP_TIMEOUT_SECONDS + " s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw Failures.of(command + ": " + step, e);
        }
    }

    private void requireSettled(String step, UUID poolId, Status status, String description) {
        if (status == Status.ERROR) {
            fail(step, poolId, description);
        }
        if (status.isPending()) {
            throw new StepFailedException(command + ": " + step, "still " + status + " after the driver finished");
        }
    }

    private void fail(String step, UUID poolId, String description) {
        String why = driver.lastFailure(poolId).orElse(description);
        throw new StepFailedException(command + ": " + step, "ERROR" + (why.isEmpty() ? "" : ": " + why));
    }
}

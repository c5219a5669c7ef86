package org.lbaas.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * did (pool, members, health monitors and their association, VIP; and back), under the
 * document's own ids. Every step waits for the driver and fails on {@code ERROR}, naming the step.
 *
 * <p><b>Crash safety.</b> Since every object carries the document's id and a repeated create is
 * idempotent, a command killed at any point is finished by running it again: {@link #converge}
 * accepts what exists, creates what is missing and changes what differs; {@link #remove} removes
 * what is left. The one object that lives outside a pool's record, a health monitor, is noted in a
 * {@link Journal} before a step that could leave it unassociated (its create before the
 * association, its disassociation before its delete) and forgotten after; {@link #settle} deletes
 * the monitors a killed command left noted and unused. Every changing command settles first.
 */
final class Deployer {

    /** Longest wait for one step: the service's driver deadline plus a margin. */
    static final long STEP_TIMEOUT_SECONDS = Session.DRIVER_DEADLINE.toSeconds() + 30;

    private final LoadBalancerService service;
    private final ReportingDriver driver;
    private final String command;
    private final Consumer<String> progress;
    private final Journal journal;

    /**
     * The health monitors a command may leave unassociated if it is killed. Implementations write
     * durably before returning.
     */
    interface Journal {

        /** Notes a monitor before a step that may leave it unassociated. */
        void add(UUID monitorId);

        /** Forgets a monitor once it is associated or deleted. */
        void remove(UUID monitorId);

        /** The monitors noted. */
        Set<UUID> noted();

        /** Returns a journal kept in memory (a dry run, a demo: nothing outlives the process). */
        static Journal inMemory() {
            Set<UUID> ids = new java.util.LinkedHashSet<>();
            return new Journal() {
                @Override
                public synchronized void add(UUID monitorId) {
                    ids.add(monitorId);
                }

                @Override
                public synchronized void remove(UUID monitorId) {
                    ids.remove(monitorId);
                }

                @Override
                public synchronized Set<UUID> noted() {
                    return Set.copyOf(ids);
                }
            };
        }
    }

    /**
     * @param service the service
     * @param driver the service's driver, asked for the operator's side of a failure
     * @param command the command name, first word of every step name
     * @param progress told each step as it completes
     */
    Deployer(LoadBalancerService service, ReportingDriver driver, String command, Consumer<String> progress) {
        this(service, driver, command, progress, Journal.inMemory());
    }

    /**
     * @param service the service
     * @param driver the service's driver, asked for the operator's side of a failure
     * @param command the command name, first word of every step name
     * @param progress told each step as it completes
     * @param journal where monitors that a kill could leave unassociated are noted
     */
    Deployer(LoadBalancerService service, ReportingDriver driver, String command, Consumer<String> progress, Journal journal) {
        this.service = Objects.requireNonNull(service, "service");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.command = Objects.requireNonNull(command, "command");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    // ------------------------------------------------------------------------------ settle

    /**
     * Finishes what a killed command left: deletes each noted health monitor that no pool uses,
     * and forgets every noted one.
     */
    void settle() {
        for (UUID m : journal.noted()) {
            deleteIfUnused(m);
            journal.remove(m);
        }
    }

    private boolean deleteIfUnused(UUID monitorId) {
        HealthMonitorView view;
        try {
            view = service.getHealthMonitor(monitorId);
            if (view.pools().stream().anyMatch(a -> a.status().isPending())) {
                view.pools().forEach(a -> awaitSettled(a.poolId()));
                view = service.getHealthMonitor(monitorId);
            }
        } catch (NotFoundException e) {
            return true;
        }
        if (view.pools().isEmpty()) {
            await("delete health monitor " + monitorId, service.deleteHealthMonitor(monitorId));
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------ create

    /**
     * Deploys a document: {@link #converge}s to it, and when this call created the pool and a step
     * fails, removes what it created and rethrows.
     *
     * @param lb the document
     * @return the pool id (the document's)
     */
    UUID create(LoadBalancer lb) {
        UUID poolId = lb.pool().id();
        boolean existed = exists(poolId);
        try {
            converge(lb);
            return poolId;
        } catch (RuntimeException | Error e) {
            if (!existed && exists(poolId)) {
                rollback(poolId, e);
            }
            throw e;
        }
    }

    private boolean exists(UUID poolId) {
        try {
            service.getPool(poolId);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private PoolView createPool(Pool p) {
        PoolView pool = await("create pool", service.createPool(new PoolCreate(p.tenantId(), p.name(), p.description(),
                p.subnetId(), p.protocol(), p.lbMethod(), p.provider().isEmpty() ? Optional.empty() : Optional.of(p.provider()),
                p.adminStateUp()).withId(p.id())));
        requireSettled("create pool", p.id(), pool.pool().status(), pool.pool().statusDescription());
        progress.accept("pool " + p.id() + " " + pool.pool().status());
        return pool;
    }

    private Member createMember(String step, UUID poolId, Member m) {
        Member created = await(step, service.createMember(new MemberCreate(m.tenantId(), poolId, m.address(), m.protocolPort(),
                m.weight(), m.adminStateUp()).withId(m.id())));
        requireSettled(step, poolId, created.status(), created.statusDescription());
        progress.accept("member " + Describe.endpoint(created) + " " + created.status());
        return created;
    }

    /** Creates a monitor (or finds it), and associates it; noted in the journal in between. */
    private void createAndAssociate(String at, UUID poolId, HealthMonitor m) {
        journal.add(m.id());
        HealthMonitorView view;
        try {
            view = service.getHealthMonitor(m.id());
            if (!sameMonitorSettings(view.monitor(), m) && view.monitor().type() == m.type()) {
                view = await("update " + at, service.updateHealthMonitor(m.id(), monitorUpdate(m)));
            }
        } catch (NotFoundException e) {
            view = await("create " + at, service.createHealthMonitor(monitorCreate(m)));
        }
        if (view.pools().stream().noneMatch(a -> a.poolId().equals(poolId))) {
            PoolMonitorAssociation a = await("associate " + at, service.associate(poolId, m.id()));
            requireSettled("associate " + at, poolId, a.status(), a.statusDescription());
            progress.accept("health monitor " + Describe.monitor(view.monitor()) + ", associated " + a.status());
        }
        journal.remove(m.id());
    }

    private Vip createVip(UUID poolId, Vip v) {
        Vip vip = await("create vip", service.createVip(new VipCreate(v.tenantId(), v.name(), v.description(), v.subnetId(),
                Optional.of(v.address()), Optional.of(v.portId()), v.protocolPort(), v.protocol(), poolId,
                v.sessionPersistence(), v.connectionLimit(), v.adminStateUp()).withId(v.id())));
        requireSettled("create vip", poolId, vip.status(), vip.statusDescription());
        progress.accept(Describe.vip(vip) + " " + vip.status());
        return vip;
    }

    private static HealthMonitorCreate monitorCreate(HealthMonitor m) {
        Optional<HttpCheck> h = m.httpCheck();
        return new HealthMonitorCreate(m.tenantId(), m.type(), m.delay(), m.timeout(), m.maxRetries(),
                h.map(HttpCheck::method), h.map(HttpCheck::urlPath), h.map(c -> c.expectedCodes().spec()), m.adminStateUp())
                .withId(m.id());
    }

    private void rollback(UUID poolId, Throwable cause) {
        try {
            remove(poolId);
            progress.accept("rolled back: removed pool " + poolId + " and what was created with it");
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    // ------------------------------------------------------------------------------ remove

    /**
     * Removes a pool with its VIP, members and associations, then its health monitors when no
     * other pool uses them. Finishes what a killed removal left.
     *
     * @param poolId the pool id
     * @throws NotFoundException when there is no such pool
     */
    void remove(UUID poolId) {
        service.getPool(poolId);
        settle();
        if (!awaitSettled(poolId)) {
            settle();
            progress.accept("pool " + poolId + " deleted (a killed command had begun it)");
            return;
        }
        PoolView pool = service.getPool(poolId);
        if (pool.vipId().isPresent()) {
            Optional<Vip> left = await("delete vip", service.deleteVip(pool.vipId().get()));
            left.ifPresent(v -> fail("delete vip", poolId, v.statusDescription()));
            progress.accept("VIP " + pool.vipId().get() + " deleted");
        }
        List<UUID> monitors = pool.healthMonitorIds();
        monitors.forEach(journal::add);
        Optional<PoolView> leftPool = await("delete pool", service.deletePool(poolId));
        leftPool.ifPresent(v -> fail("delete pool", poolId, v.pool().statusDescription()));
        progress.accept("pool " + poolId + " deleted with its members and associations");
        for (UUID m : monitors) {
            deleteIfUnused(m);
            journal.remove(m);
        }
    }

    // ------------------------------------------------------------------------------ converge

    /**
     * Brings the service to a document, object by object and under the document's ids: creates
     * the pool when missing, retries a load balancer left in {@code ERROR}, removes what the
     * document no longer has, changes what differs in place, creates what is missing.
     *
     * @param desired the document
     * @return one line per change
     */
    List<String> converge(LoadBalancer desired) {
        settle();
        Pool dp = desired.pool();
        UUID poolId = dp.id();
        List<String> changes = new ArrayList<>();
        if (!awaitSettled(poolId)) {
            createPool(dp);
            changes.add("pool " + poolId + " created");
        }
        LoadBalancer current = service.loadBalancer(poolId);
        Pool cp = current.pool();
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
        if (inError(current)) {
            PoolView after = await("retry pool " + poolId, service.retry(poolId));
            requireSettled("retry pool " + poolId, poolId, after.pool().status(), after.pool().statusDescription());
            changes.add("pool " + poolId + " retried (it was in ERROR)");
            current = service.loadBalancer(poolId);
        }

        // Deletions first, so that a replacement never collides with what it replaces.
        Map<UUID, Member> currentById = new HashMap<>();
        current.members().forEach(m -> currentById.put(m.id(), m));
        Map<UUID, Member> keep = new LinkedHashMap<>();
        List<Member> toCreate = new ArrayList<>();
        for (Member m : desired.members()) {
            Member have = currentById.get(m.id());
            if (have != null && have.address().equals(m.address()) && have.protocolPort() == m.protocolPort()) {
                keep.put(m.id(), m);
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
            if (!keep.containsKey(have.id())) {
                await("delete member " + Describe.endpoint(have), service.deleteMember(have.id()))
                        .ifPresent(m -> fail("delete member " + Describe.endpoint(have), poolId, m.statusDescription()));
                changes.add("member " + Describe.endpoint(have) + " removed");
            }
        }
        Map<UUID, HealthMonitor> currentMonitors = new HashMap<>();
        current.healthMonitors().forEach(m -> currentMonitors.put(m.id(), m));
        List<HealthMonitor> monitorsToCreate = new ArrayList<>();
        Map<UUID, HealthMonitor> monitorsToUpdate = new LinkedHashMap<>();
        for (HealthMonitor m : desired.healthMonitors()) {
            HealthMonitor have = currentMonitors.get(m.id());
            if (have != null && have.type() == m.type()) {
                monitorsToUpdate.put(m.id(), m);
            } else {
                monitorsToCreate.add(m);
            }
        }
        for (HealthMonitor have : current.healthMonitors()) {
            if (!monitorsToUpdate.containsKey(have.id())) {
                journal.add(have.id());
                await("disassociate health monitor " + have.id(), service.disassociate(poolId, have.id()))
                        .ifPresent(a -> fail("disassociate health monitor " + have.id(), poolId, a.statusDescription()));
                deleteIfUnused(have.id());
                journal.remove(have.id());
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
        for (Member want : keep.values()) {
            Member have = currentById.get(want.id());
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
        for (int i = 0; i < desired.members().size(); i++) {
            Member m = desired.members().get(i);
            if (toCreate.contains(m)) {
                Member created = createMember("create members[" + i + "]", poolId, m);
                changes.add("member " + Describe.endpoint(created) + " added");
            }
        }
        for (int i = 0; i < desired.healthMonitors().size(); i++) {
            HealthMonitor m = desired.healthMonitors().get(i);
            if (monitorsToCreate.contains(m)) {
                createAndAssociate("health_monitors[" + i + "]", poolId, m);
                changes.add("health monitor added: " + Describe.monitor(m));
            }
        }
        if (dv.isPresent() && (cv.isEmpty() || replaceVip)) {
            Vip created = createVip(poolId, dv.get());
            changes.add(Describe.vip(created) + " created");
        } else if (dv.isPresent()) {
            VipUpdate vu = vipUpdate(cv.get(), dv.get());
            if (!vu.equals(VipUpdate.empty())) {
                Vip v = await("update vip", service.updateVip(cv.get().id(), vu));
                requireSettled("update vip", poolId, v.status(), v.statusDescription());
                changes.add(Describe.vip(v) + " updated");
            }
        }
        awaitSettled(poolId);
        return changes;
    }

    /**
     * Waits until no object of a pool is pending (what a killed command left pending is re-applied
     * when the service starts).
     *
     * @return whether the pool exists
     */
    private boolean awaitSettled(UUID poolId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
        while (true) {
            PoolView p;
            try {
                p = service.getPool(poolId);
                if (!pending(p)) {
                    return true;
                }
            } catch (NotFoundException e) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailedException(command + ": wait for pool " + poolId, "still " + p.pool().status() + " after "
                        + STEP_TIMEOUT_SECONDS + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException(command + ": wait for pool " + poolId, "interrupted", e);
            }
        }
    }

    private boolean pending(PoolView p) {
        if (p.pool().status().isPending() || p.healthMonitorsStatus().stream().anyMatch(a -> a.status().isPending())) {
            return true;
        }
        try {
            if (p.vipId().isPresent() && service.getVip(p.vipId().get()).status().isPending()) {
                return true;
            }
            for (UUID m : p.memberIds()) {
                if (service.getMember(m).status().isPending()) {
                    return true;
                }
            }
        } catch (NotFoundException e) {
            return true;
        }
        return false;
    }

    private boolean inError(LoadBalancer lb) {
        return lb.pool().status() == Status.ERROR || lb.vip().map(v -> v.status() == Status.ERROR).orElse(false)
                || lb.members().stream().anyMatch(m -> m.status() == Status.ERROR)
                || service.getPool(lb.pool().id()).healthMonitorsStatus().stream().anyMatch(a -> a.status() == Status.ERROR);
    }

    private static boolean sameFixedVip(Vip a, Vip b) {
        return a.id().equals(b.id()) && a.address().equals(b.address()) && a.protocolPort() == b.protocolPort()
                && a.protocol() == b.protocol() && a.subnetId().equals(b.subnetId()) && a.portId().equals(b.portId())
                && a.tenantId().equals(b.tenantId());
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

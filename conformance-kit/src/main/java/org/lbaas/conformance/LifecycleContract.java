package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.assertFinalStatus;
import static org.lbaas.conformance.ConformanceRun.created;
import static org.lbaas.conformance.ConformanceRun.deleted;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.monitorRequest;
import static org.lbaas.conformance.ConformanceRun.persistence;
import static org.lbaas.conformance.ConformanceRun.status;
import static org.lbaas.conformance.ConformanceRun.updated;
import static org.lbaas.conformance.ConformanceRun.vipRequest;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.TENANT;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipUpdate;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Every object goes through its full v1 lifecycle through the service.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface LifecycleContract {

    @Check
    @DisplayName("pool, members, monitor and VIP are created, updated and deleted in v1 order; each step ends ACTIVE or"
            + " DISABLED and the driver runs exactly what exists")
    default void fullLifecycle(ConformanceRun run) {
        Protocol protocol = run.shapes().protocol();
        LbMethod method = run.shapes().method();
        Pending<PoolView> createPool = run.service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), protocol, method)
                .withName("lifecycle"));
        assertEquals(Status.PENDING_CREATE, createPool.accepted().pool().status(), "a new pool is accepted pending");
        PoolView pool = done(createPool, "create pool");
        assertFinalStatus(Status.ACTIVE, pool);
        UUID id = pool.id();
        assertEquals(Optional.empty(), run.driver().observe(id), "a pool without a VIP is not deployable, so nothing may run for it");

        Member m1 = created(run.service().createMember(MemberCreate.of(TENANT, id, "10.93.0.11", 8080)), "member 1");
        Member m2 = created(run.service().createMember(MemberCreate.of(TENANT, id, "10.93.0.12", 8080).withWeight(2)), "member 2");
        Optional<UUID> monitor = run.shapes().monitorType().map(t -> {
            HealthMonitorView hm = done(run.service().createHealthMonitor(monitorRequest(t)), "create monitor");
            Pending<PoolMonitorAssociation> assoc = run.service().associate(id, hm.id());
            assertEquals(Status.PENDING_CREATE, assoc.accepted().status(), "a new association is accepted pending");
            assertFinalStatus(Status.ACTIVE, done(assoc, "associate monitor"));
            return hm.id();
        });
        Vip vip = created(run.service().createVip(vipRequest(pool, SUBNET4)), "VIP");
        assertEquals(Set.of(m1.id(), m2.id()), run.observedMembers(id), "with a VIP the load balancer runs, with both members");
        assertEquals(Set.of(m1.id(), m2.id()), run.service().memberHealth(id).keySet(), "member health through the service");

        PoolUpdate poolUpdate = PoolUpdate.empty().withName("renamed");
        Optional<LbMethod> otherMethod = run.shapes().otherMethod(method);
        if (otherMethod.isPresent()) {
            poolUpdate = poolUpdate.withLbMethod(otherMethod.get());
        }
        Pending<PoolView> updatePool = run.service().updatePool(id, poolUpdate);
        assertEquals(Status.PENDING_UPDATE, updatePool.accepted().pool().status(), "an updated pool is accepted pending");
        assertFinalStatus(Status.ACTIVE, done(updatePool, "update pool"));
        assertEquals(otherMethod.orElse(method), run.lastDesired(id).pool().lbMethod(), "the driver was told the new method");

        updated(run.service().updateMember(m2.id(), MemberUpdate.empty().withWeight(5)), Status.ACTIVE, "member 2 weight 5");
        assertEquals(5, run.lastDesired(id).member(m2.id()).orElseThrow().weight(), "the driver was told the new weight");
        updated(run.service().updateMember(m1.id(), MemberUpdate.empty().withAdminStateUp(false)), Status.DISABLED,
                "member 1 admin down");
        assertEquals(MemberHealth.MAINT, run.health(id, m1.id()), "a member that is admin down is in maintenance");

        if (monitor.isPresent()) {
            Pending<HealthMonitorView> updateMonitor = run.service().updateHealthMonitor(monitor.get(),
                    HealthMonitorUpdate.empty().withTiming(7, 4));
            HealthMonitorView hm = done(updateMonitor, "update monitor");
            assertEquals(List.of(Status.ACTIVE), hm.pools().stream().map(PoolMonitorAssociation::status).toList(),
                    "the association after the monitor's update: " + hm.pools());
            assertEquals(7, run.lastDesired(id).healthMonitors().get(0).delay(), "the driver was told the new delay");
        }

        VipUpdate vipUpdate = VipUpdate.empty().withConnectionLimit(run.shapes().modestConnectionLimit());
        Optional<SessionPersistence> persistence = run.shapes().persistenceFor(protocol);
        if (persistence.isPresent()) {
            vipUpdate = vipUpdate.withSessionPersistence(persistence.get());
        }
        updated(run.service().updateVip(vip.id(), vipUpdate), Status.ACTIVE, "VIP connection limit and persistence");
        Vip told = run.lastDesired(id).vip().orElseThrow();
        assertEquals(run.shapes().modestConnectionLimit(), told.connectionLimit(), "the driver was told the connection limit");
        assertEquals(persistence, told.sessionPersistence(), "the driver was told the persistence");

        updated(run.service().updateMember(m1.id(), MemberUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "member 1 admin up");
        assertNotEquals(MemberHealth.MAINT, run.health(id, m1.id()), "a member back to admin up leaves maintenance");

        if (monitor.isPresent()) {
            Pending<Optional<PoolMonitorAssociation>> off = run.service().disassociate(id, monitor.get());
            assertEquals(Status.PENDING_DELETE, off.accepted().orElseThrow().status());
            assertEquals(Optional.empty(), done(off, "disassociate"), "the association is gone");
            assertEquals(List.of(), run.lastDesired(id).healthMonitors(), "the driver was told the monitor is gone");
            assertEquals(Optional.empty(), done(run.service().deleteHealthMonitor(monitor.get()), "delete monitor"));
        }
        deleted(run.service().deleteMember(m2.id()), "member 2");
        assertEquals(Set.of(m1.id()), run.observedMembers(id), "after a member's delete the driver runs the others only");
        deleted(run.service().deleteVip(vip.id()), "VIP");
        assertEquals(Optional.empty(), run.driver().observe(id), "without its VIP nothing may run for the pool");
        deleted(run.service().deletePool(id), "pool");
        assertThrows(NotFoundException.class, () -> run.service().getPool(id));
        assertEquals(Optional.empty(), run.driver().observe(id), "a deleted pool runs nothing");
        ReconcileReport leftovers = run.driver().reconcile(List.of());
        assertEquals(Set.of(), leftovers.removed(), "after every object was deleted nothing of it may be left behind");
    }

    @Check
    @DisplayName("a VIP set admin down takes the load balancer off the data plane; admin up brings it back")
    default void vipAdminStateDeploysAndUndeploys(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        UUID vipId = pool.vipId().orElseGet(() -> run.service().getPool(pool.id()).vipId().orElseThrow());
        updated(run.service().updateVip(vipId, VipUpdate.empty().withAdminStateUp(false)), Status.DISABLED, "VIP admin down");
        assertEquals(Optional.empty(), run.driver().observe(pool.id()), "a VIP that is admin down runs nothing");
        updated(run.service().updateVip(vipId, VipUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "VIP admin up");
        assertTrue(run.driver().observe(pool.id()).isPresent(), "a VIP back to admin up runs again");
    }

    @Check
    @DisplayName("a pool set admin down ends DISABLED and stays deployed; admin up ends ACTIVE")
    default void poolAdminState(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        assertFinalStatus(Status.DISABLED, done(run.service().updatePool(pool.id(), PoolUpdate.empty().withAdminStateUp(false)),
                "pool admin down"));
        assertFalse(run.lastDesired(pool.id()).pool().adminStateUp(), "the driver was told the pool is admin down");
        assertFinalStatus(Status.ACTIVE, done(run.service().updatePool(pool.id(), PoolUpdate.empty().withAdminStateUp(true)),
                "pool admin up"));
        assertTrue(run.driver().observe(pool.id()).isPresent(), "the load balancer runs");
    }
}

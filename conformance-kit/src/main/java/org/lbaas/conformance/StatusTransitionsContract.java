package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.address;
import static org.lbaas.conformance.ConformanceRun.assertFinalStatus;
import static org.lbaas.conformance.ConformanceRun.await;
import static org.lbaas.conformance.ConformanceRun.created;
import static org.lbaas.conformance.ConformanceRun.deleted;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.eventually;
import static org.lbaas.conformance.ConformanceRun.status;
import static org.lbaas.conformance.ConformanceRun.updated;
import static org.lbaas.conformance.ConformanceRun.vipRequest;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.TENANT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.StatusChange;
import org.lbaas.api.VipUpdate;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Statuses end final.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface StatusTransitionsContract {

    @Check
    @DisplayName("objects created admin down end DISABLED, and the driver reports an admin-down member in maintenance"
            + " (members of a pool that is itself admin down may be hidden)")
    default void adminDownIsDisabled(ConformanceRun run) {
        PoolView pool = done(run.service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), run.shapes().protocol(), run.shapes().method())
                .withAdminStateUp(false)), "pool admin down");
        assertFinalStatus(Status.DISABLED, pool);
        Member up = created(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.2.11", 8080)), "member");
        Member down = done(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.2.12", 8080)
                .withAdminStateUp(false)), "member admin down");
        assertFinalStatus(Status.DISABLED, down);
        Vip vip = done(run.service().createVip(vipRequest(pool, SUBNET4).withAdminStateUp(false)), "VIP admin down");
        assertFinalStatus(Status.DISABLED, vip);
        assertEquals(Optional.empty(), run.driver().observe(pool.id()), "a VIP that is admin down runs nothing");
        updated(run.service().updateVip(vip.id(), VipUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "VIP admin up");
        Set<UUID> shown = run.observation(pool.id()).memberHealth().keySet();
        assertTrue(Set.of(up.id(), down.id()).containsAll(shown), "while the pool is admin down a data plane may hide"
                + " its members, but must not report others: " + shown);
        updated(run.service().updatePool(pool.id(), PoolUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "pool admin up");
        assertEquals(MemberHealth.MAINT, run.health(pool.id(), down.id()), "the admin-down member");
        assertNotEquals(MemberHealth.MAINT, run.health(pool.id(), up.id()), "the admin-up member");
    }

    @Check
    @DisplayName("an admin-down member reads MAINT and an admin-up one does not; a member a monitor checks never reads NO_MONITOR")
    default void memberHealth(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        UUID up = pool.memberIds().get(0);
        Member down = done(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.3.12", 8080)
                .withAdminStateUp(false)), "member admin down");
        assertFinalStatus(Status.DISABLED, down);
        assertEquals(MemberHealth.MAINT, run.health(pool.id(), down.id()), "the health of a member that is admin down");
        assertNotEquals(MemberHealth.MAINT, run.health(pool.id(), up), "the health of a member that is admin up");
        Optional<MonitorType> type = run.shapes().monitorType();
        if (type.isPresent()) {
            HealthMonitorView hm = done(run.service().createHealthMonitor(ConformanceRun.monitorRequest(type.get())), "create monitor");
            assertFinalStatus(Status.ACTIVE, done(run.service().associate(pool.id(), hm.id()), "associate monitor"));
            assertNotEquals(MemberHealth.NO_MONITOR, run.health(pool.id(), up), "the health of a member a "
                    + type.get() + " monitor checks");
            assertEquals(MemberHealth.MAINT, run.health(pool.id(), down.id()), "the health of a monitored member that is admin down");
        }
    }

    @Check
    @DisplayName("a burst of changes to several load balancers all end in a final status")
    default void burst(ConformanceRun run) {
        List<Pending<?>> pending = new ArrayList<>();
        List<UUID> pools = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            PoolView pool = done(run.service().createPool(
                    PoolCreate.of(TENANT, SUBNET4.id(), run.shapes().protocol(), run.shapes().method())), "pool");
            pools.add(pool.id());
            pending.add(run.service().createVip(vipRequest(pool, SUBNET4)));
            for (int m = 0; m < 4; m++) {
                pending.add(run.service().createMember(MemberCreate.of(TENANT, pool.id(), address(10, 96 + p, m), 8080)));
            }
            pending.add(run.service().updatePool(pool.id(), PoolUpdate.empty().withName("burst-" + p)));
        }
        for (Pending<?> p : pending) {
            assertTrue(p.accepted().toString().contains("PENDING_"), "accepted without a pending status: " + p.accepted());
            await(p.outcome(), "a change in the burst");
        }
        for (UUID id : pools) {
            PoolView view = run.service().getPool(id);
            assertFinalStatus(Status.ACTIVE, view);
            for (UUID m : view.memberIds()) {
                assertFinalStatus(Status.ACTIVE, run.service().getMember(m));
            }
            assertFinalStatus(Status.ACTIVE, run.service().getVip(view.vipId().orElseThrow()));
            assertEquals(Set.copyOf(view.memberIds()), run.observedMembers(id), "members the driver reports");
        }
        String pendingLeft = eventually(() -> {
            Map<String, StatusChange> last = new LinkedHashMap<>();
            synchronized (run.changes()) {
                run.changes().forEach(c -> last.put(c.kind() + "/" + c.id(), c));
            }
            return last.values().stream().filter(c -> c.current().map(Status::isPending).orElse(false))
                    .map(c -> c.kind() + " " + c.id() + " " + c.current().orElseThrow()).findFirst();
        });
        assertEquals("", pendingLeft, "the last status change the listener heard left an object pending");
    }

    @Check
    @DisplayName("deletes end with the object gone, never pending")
    default void deletesEnd(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        PoolView view = run.service().getPool(pool.id());
        UUID member = view.memberIds().get(0);
        UUID vip = view.vipId().orElseThrow();
        deleted(run.service().deleteMember(member), "member");
        assertThrows(NotFoundException.class, () -> run.service().getMember(member));
        deleted(run.service().deleteVip(vip), "VIP");
        assertThrows(NotFoundException.class, () -> run.service().getVip(vip));
        deleted(run.service().deletePool(pool.id()), "pool");
        assertThrows(NotFoundException.class, () -> run.service().getPool(pool.id()));
        for (String id : List.of(member.toString(), vip.toString(), pool.id().toString())) {
            String notRemoved = eventually(() -> {
                synchronized (run.changes()) {
                    return run.changes().stream().filter(c -> c.id().equals(id)).reduce((a, b) -> b).filter(c -> !c.removed())
                            .map(Object::toString);
                }
            });
            assertEquals("", notRemoved, "the last status change of " + id + " the listener heard must remove it");
        }
    }
}

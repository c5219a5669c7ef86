package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.created;
import static org.lbaas.conformance.ConformanceRun.deleted;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.updated;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.TENANT;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipUpdate;
import org.lbaas.model.Member;
import org.lbaas.model.Status;

/**
 * Updates receive the correct previous and desired states.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface OldAndNewContract {

    @Check
    @DisplayName("the first apply of a pool has no previous state; each later one has the state applied before it")
    default void chainOfPreviousStates(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.1.12", 8080)).outcome();
        done(run.service().updatePool(pool.id(), PoolUpdate.empty().withName("chained")), "rename pool");
        List<CheckedDriver.Apply> applies = run.driver().ledger().applies(pool.id());
        assertTrue(applies.size() >= 3, "the service applied the pool, its member and its VIP: " + applies.size());
        assertEquals(Optional.empty(), applies.get(0).previous(), "the first apply of a new pool");
        for (int i = 1; i < applies.size(); i++) {
            if (applies.get(i - 1).succeeded()) {
                assertEquals(Optional.of(applies.get(i - 1).desired()), applies.get(i).previous(),
                        "apply #" + (i + 1) + " must be told the state of apply #" + i);
            }
        }
        assertTrue(run.driver().ledger().previousChecks() >= applies.size());
    }

    @Check
    @DisplayName("a new member is in the desired state and not in the previous one")
    default void addedMember(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        Member added = created(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.1.13", 8080)), "member");
        CheckedDriver.Apply a = run.firstApplyWhere(pool.id(), x -> x.desired().member(added.id()).isPresent());
        assertTrue(a.previous().orElseThrow().member(added.id()).isEmpty(), "the previous state must not have the new member");
    }

    @Check
    @DisplayName("a changed weight is old in the previous state and new in the desired one")
    default void changedWeight(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        UUID memberId = run.service().getPool(pool.id()).memberIds().get(0);
        int old = run.service().getMember(memberId).weight();
        updated(run.service().updateMember(memberId, MemberUpdate.empty().withWeight(old + 7)), Status.ACTIVE, "weight");
        CheckedDriver.Apply a = run.firstApplyWhere(pool.id(),
                x -> x.desired().member(memberId).filter(m -> m.weight() == old + 7).isPresent());
        assertEquals(old, a.previous().orElseThrow().member(memberId).orElseThrow().weight(), "the old weight");
    }

    @Check
    @DisplayName("a changed VIP is old in the previous state and new in the desired one, and a deleted member is gone")
    default void changedVipAndDeletedMember(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        UUID vipId = run.service().getPool(pool.id()).vipId().orElseThrow();
        int limit = run.shapes().modestConnectionLimit();
        updated(run.service().updateVip(vipId, VipUpdate.empty().withConnectionLimit(limit)), Status.ACTIVE, "VIP limit");
        CheckedDriver.Apply a = run.firstApplyWhere(pool.id(),
                x -> x.desired().vip().filter(v -> v.connectionLimit() == limit).isPresent());
        assertNotEquals(limit, a.previous().orElseThrow().vip().orElseThrow().connectionLimit(), "the old limit");
        UUID memberId = run.service().getPool(pool.id()).memberIds().get(0);
        deleted(run.service().deleteMember(memberId), "member");
        CheckedDriver.Apply d = run.firstApplyWhere(pool.id(), x -> x.desired().member(memberId).isEmpty()
                && x.previous().flatMap(p -> p.member(memberId)).isPresent());
        assertTrue(d.desired().members().isEmpty(), "the desired state after the delete: " + d.desired().members());
    }
}

package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.assertFinalStatus;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.memberIds;
import static org.lbaas.conformance.Shapes.SUBNET4;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.driver.spi.ApplyResult.Action;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Status;

/**
 * Every driver operation is idempotent.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface IdempotencyContract {

    @Check
    @DisplayName("applying the same desired state twice changes nothing the second time")
    default void applyTwice(ConformanceRun run) {
        LoadBalancer lb = run.shapes().deployable(2);
        assertEquals(Action.DEPLOYED, run.driver().apply(Optional.empty(), lb).action(), "the first apply of a new load balancer");
        assertEquals(Action.UNCHANGED, run.driver().apply(Optional.of(lb), lb).action(), "the second apply of the same state");
        assertEquals(memberIds(lb), run.observedMembers(lb.id()));
    }

    @Check
    @DisplayName("applying an undeployable load balancer twice leaves nothing running (UNCHANGED or UNDEPLOYED)")
    default void undeployableTwice(ConformanceRun run) {
        for (LoadBalancer lb : List.of(Shapes.withoutVip(run.shapes().deployable(1)), Shapes.withVipDown(run.shapes().deployable(1)))) {
            for (int i = 0; i < 2; i++) {
                Action a = run.driver().apply(i == 0 ? Optional.empty() : Optional.of(lb), lb).action();
                assertTrue(a == Action.UNCHANGED || a == Action.UNDEPLOYED, "apply #" + (i + 1) + " of "
                        + CheckedDriver.Ledger.describe(lb) + " was " + a);
                assertEquals(Optional.empty(), run.driver().observe(lb.id()), "nothing runs for an undeployable load balancer");
            }
        }
    }

    @Check
    @DisplayName("a wrong previous state does not stop the driver from converging on the desired state")
    default void stalePrevious(ConformanceRun run) {
        LoadBalancer first = run.deployed(1);
        LoadBalancer second = run.shapes().withExtraMember(first);
        run.driver().apply(Optional.empty(), second);
        assertEquals(memberIds(second), run.observedMembers(first.id()), "told 'nothing ran' while something ran");
        run.driver().apply(Optional.of(first), second);
        assertEquals(memberIds(second), run.observedMembers(first.id()), "told an outdated previous state");
        ReconcileReport r = run.driver().reconcile(List.of(second));
        assertEquals(Set.of(second.id()), r.adopted(), "one instance serving the desired state is adopted: " + r);
    }

    @Check
    @DisplayName("removing twice, or removing what never ran, succeeds")
    default void removeTwice(ConformanceRun run) {
        LoadBalancer lb = run.deployed(1);
        run.driver().remove(lb.id());
        run.driver().remove(lb.id());
        UUID never = UUID.randomUUID();
        run.driver().remove(never);
        assertEquals(Optional.empty(), run.driver().observe(lb.id()));
        assertEquals(Map.of(), run.driver().observeAll(List.of(lb.id(), never)), "observeAll leaves out what does not run");
    }

    @Check
    @DisplayName("reconciling the same desired state twice adopts everything the second time")
    default void reconcileTwice(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer b = run.shapes().deployable(2);
        ReconcileReport first = run.driver().reconcile(List.of(a, b));
        assertEquals(Map.of(), first.failed());
        ReconcileReport second = run.driver().reconcile(List.of(a, b));
        assertEquals(new ReconcileReport(Set.of(a.id(), b.id()), Set.of(), Set.of(), Map.of()), second,
                "the second reconcile of the same state");
    }

    @Check
    @DisplayName("re-applying an unchanged load balancer through the service never redeploys it")
    default void emptyUpdatesThroughTheService(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        int before = run.driver().ledger().applies(pool.id()).size();
        for (int i = 0; i < 2; i++) {
            assertFinalStatus(Status.ACTIVE, done(run.service().updatePool(pool.id(), PoolUpdate.empty()), "empty pool update"));
            assertFinalStatus(Status.ACTIVE, done(run.service().retry(pool.id()), "retry"));
        }
        List<CheckedDriver.Apply> again = run.driver().ledger().applies(pool.id());
        assertTrue(again.size() > before, "the service re-applied the load balancer");
        for (CheckedDriver.Apply a : again.subList(before, again.size())) {
            Action action = a.result().orElseThrow().action();
            assertTrue(EnumSet.of(Action.UNCHANGED, Action.CHANGED_IN_PLACE, Action.RELOADED).contains(action),
                    "re-applying a running load balancer must not deploy or undeploy it, was " + action);
        }
        assertTrue(run.driver().observe(pool.id()).isPresent());
    }
}

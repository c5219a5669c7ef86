package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.memberIds;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;

/**
 * Reconcile removes exactly the orphans.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface ReconcileContract {

    @Check
    @DisplayName("with A, B and C running, reconciling A and C removes exactly B and adopts A and C")
    default void removesExactlyTheOrphan(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer b = run.deployed(2);
        LoadBalancer c = run.deployed(1);
        ReconcileReport r = run.driver().reconcile(List.of(a, c));
        assertEquals(Set.of(b.id()), r.removed(), "removed");
        assertEquals(Set.of(a.id(), c.id()), r.adopted(), "adopted (they run and serve their desired state)");
        assertEquals(Set.of(), r.repaired(), "repaired");
        assertEquals(Map.of(), r.failed(), "failed");
        assertTrue(r.succeeded());
        assertEquals(Optional.empty(), run.driver().observe(b.id()), "the orphan no longer runs");
        assertEquals(memberIds(a), run.observedMembers(a.id()));
        assertEquals(memberIds(c), run.observedMembers(c.id()));
    }

    @Check
    @DisplayName("reconcile repairs a load balancer that runs another state and starts one that does not run")
    default void repairsAndStarts(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer changed = run.shapes().withExtraMember(a);
        LoadBalancer missing = run.shapes().deployable(2);
        ReconcileReport r = run.driver().reconcile(List.of(changed, missing));
        assertEquals(Set.of(a.id(), missing.id()), r.repaired(), "repaired: " + r);
        assertEquals(Set.of(), r.removed());
        assertEquals(Map.of(), r.failed());
        assertEquals(memberIds(changed), run.observedMembers(a.id()));
        assertEquals(memberIds(missing), run.observedMembers(missing.id()));
    }

    @Check
    @DisplayName("reconciling with nothing desired removes everything, and then finds nothing")
    default void nothingDesired(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer b = run.deployed(1);
        assertEquals(Set.of(a.id(), b.id()), run.driver().reconcile(List.of()).removed());
        assertEquals(Map.of(), run.driver().observeAll(List.of(a.id(), b.id())));
        assertEquals(new ReconcileReport(Set.of(), Set.of(), Set.of(), Map.of()), run.driver().reconcile(List.of()));
    }

    @Check
    @DisplayName("a desired load balancer that is not deployable runs nothing after reconcile, and is neither adopted nor failed")
    default void undeployableDesired(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer down = Shapes.withVipDown(a);
        ReconcileReport r = run.driver().reconcile(List.of(down));
        assertEquals(Optional.empty(), run.driver().observe(a.id()));
        assertFalse(r.adopted().contains(a.id()), "adopted " + r);
        assertFalse(r.failed().containsKey(a.id()), "failed " + r);
    }
}

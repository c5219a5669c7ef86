package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lbaas.conformance.ConformanceRun.DRIVER_DEADLINE;
import static org.lbaas.conformance.ConformanceRun.OUTCOME_TIMEOUT;
import static org.lbaas.conformance.ConformanceRun.address;
import static org.lbaas.conformance.ConformanceRun.assertFinalStatus;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.memberIds;
import static org.lbaas.conformance.ConformanceRun.vipRequest;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.SUBNET6;
import static org.lbaas.conformance.Shapes.TENANT;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestReporter;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolView;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.driver.spi.ApplyResult.Action;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Status;

/**
 * Probe and repair, when the test can crash a load balancer.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface ProbeAndRepairContract {

    private void crash(ConformanceRun run, UUID poolId) {
        BiConsumer<LoadBalancerDriver, UUID> crash = run.crasher().orElseThrow();
        crash.accept(run.driver().delegate(), poolId);
    }

    @Precondition
    default void needsACrash(ConformanceRun run) {
        Assumptions.assumeTrue(run.crasher().isPresent(), "the driver's test offers no way to crash a load balancer"
                + " (override crasher())");
    }

    @Check
    @DisplayName("probe reports nothing while everything runs, and changes nothing")
    default void quietWhileRunning(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer b = run.deployed(2);
        assertEquals(Map.of(), run.driver().probe(List.of(a.id(), b.id())), "load balancers that run and serve");
        assertEquals(Map.of(), run.driver().probe(List.of()), "probing nothing");
        assertEquals(memberIds(a), run.observedMembers(a.id()));
        assertEquals(memberIds(b), run.observedMembers(b.id()));
        assertEquals(Map.of(a.id(), Action.UNCHANGED), Map.of(a.id(), run.driver().apply(Optional.of(a), a).action()),
                "probing changed what runs");
    }

    @Check
    @DisplayName("after a crash, probe reports exactly the crashed load balancer, with a one-line reason")
    default void reportsTheCrashed(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer b = run.deployed(1);
        crash(run, a.id());
        Map<UUID, String> dead = run.driver().probe(List.of(a.id(), b.id()));
        assertEquals(Set.of(a.id()), dead.keySet(), "reported: " + dead);
        String reason = dead.get(a.id());
        assertFalse(reason == null || reason.isBlank() || reason.contains("\n"), "the reason for the operator: " + reason);
    }

    @Check
    @DisplayName("repair serves a crashed load balancer again; repairing one that runs keeps it serving")
    default void repairServesAgain(ConformanceRun run) {
        LoadBalancer a = run.deployed(2);
        LoadBalancer b = run.deployed(1);
        crash(run, a.id());
        assertFalse(run.driver().repair(a) == null, "repair returned null instead of an ApplyResult");
        assertEquals(Map.of(), run.driver().probe(List.of(a.id(), b.id())), "after the repair");
        assertEquals(memberIds(a), run.observedMembers(a.id()));
        Action again = run.driver().repair(b).action();
        assertTrue(again == Action.UNCHANGED || again == Action.CHANGED_IN_PLACE || again == Action.RELOADED,
                "repairing a running load balancer must not deploy it anew, was " + again);
        assertEquals(memberIds(b), run.observedMembers(b.id()));
        assertEquals(Map.of(), run.driver().probe(List.of(a.id(), b.id())));
    }

    @Check
    @DisplayName("a service with self-healing repairs a crash by itself; the pool stays ACTIVE")
    default void serviceHealsByItself(ConformanceRun run, TestReporter reporter) {
        LoadBalancerService healing = LoadBalancerService.builder().driver(run.driver().forService())
                .subnets(SubnetRegistry.of(SUBNET4, SUBNET6)).driverDeadline(DRIVER_DEADLINE).clock(run.env().clock())
                .threads(2).selfHealing(Duration.ofMillis(50)).build();
        try {
            PoolView pool = done(healing.createPool(PoolCreate.of(TENANT, SUBNET4.id(), run.shapes().protocol(), run.shapes().method())),
                    "create pool");
            done(healing.createMember(MemberCreate.of(TENANT, pool.id(), address(10, 96, 1), 8080)), "create member");
            done(healing.createVip(vipRequest(pool, SUBNET4)), "create VIP");
            long start = System.nanoTime();
            crash(run, pool.id());
            long until = start + OUTCOME_TIMEOUT.toNanos();
            // the ledger hears of the service's repair once the driver returned from it, so the
            // kit never calls the driver beside the service's call for the same load balancer
            while (run.driver().ledger().repairs(pool.id()) == 0) {
                if (System.nanoTime() - until > 0) {
                    fail("the service did not repair the crashed load balancer within " + OUTCOME_TIMEOUT.toSeconds() + " s");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            reporter.publishEntry("crash to repaired", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            healing.close();
            assertEquals(Map.of(), run.driver().probe(List.of(pool.id())), "after the service's repair");
            assertEquals(healing.getPool(pool.id()).memberIds().stream().collect(Collectors.toSet()), run.observedMembers(pool.id()));
            assertFinalStatus(Status.ACTIVE, healing.getPool(pool.id()));
        } finally {
            healing.close();
        }
    }
}

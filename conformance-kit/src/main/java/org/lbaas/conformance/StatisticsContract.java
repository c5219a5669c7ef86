package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lbaas.conformance.ConformanceRun.assertNotBelow;
import static org.lbaas.conformance.ConformanceRun.assertNotNegative;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.memberIds;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.TENANT;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestReporter;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.PoolView;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.PoolStats;

/**
 * Statistics behave.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface StatisticsContract {

    @Check
    @DisplayName("counters never go down across time, member changes and reloads unless a reset is reported")
    default void monotonic(ConformanceRun run, TestReporter reporter) {
        LoadBalancer lb = run.deployed(2);
        Observation previous = run.observation(lb.id());
        assertNotNegative(previous.stats(), "first observation");
        int resets = 0;
        for (int round = 1; round <= 6; round++) {
            run.env().clock().advance(Duration.ofSeconds(10));
            String step = "round " + round;
            LoadBalancer before = lb;
            switch (round) {
                case 2 -> lb = run.shapes().withExtraMember(lb);
                case 3 -> lb = Shapes.withMember(lb, 0, b -> b.weight(3));
                case 4 -> lb = lb.withPool(lb.pool().toBuilder().lbMethod(run.shapes().otherMethod(lb.pool().lbMethod())
                        .orElse(lb.pool().lbMethod())).build());
                case 5 -> lb = lb.withVip(lb.vip().map(v -> v.toBuilder().connectionLimit(run.shapes().modestConnectionLimit()).build()));
                default -> { }
            }
            if (lb != before) {
                step += " after " + run.driver().apply(Optional.of(before), lb).action();
            }
            Observation now = run.observation(lb.id());
            assertNotNegative(now.stats(), step);
            if (now.countersReset()) {
                resets++;
            } else {
                assertNotBelow(previous.stats(), now.stats(), step);
            }
            previous = now;
        }
        reporter.publishEntry("counter resets reported", Integer.toString(resets));
    }

    @Check
    @DisplayName("a pool that does not run has no observation, and zero statistics and no health through the service")
    default void notRunning(ConformanceRun run) {
        PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
        done(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.3.11", 8080)), "member");
        assertEquals(Optional.empty(), run.driver().observe(pool.id()));
        assertEquals(PoolStats.ZERO, run.service().stats(pool.id()));
        assertEquals(Map.of(), run.service().memberHealth(pool.id()));
    }

    @Check
    @DisplayName("observeAll agrees with observe and leaves out what does not run; counters keep growing across both")
    default void observeAllAgrees(ConformanceRun run) {
        LoadBalancer a = run.deployed(1);
        LoadBalancer b = run.deployed(3);
        UUID absent = UUID.randomUUID();
        Map<UUID, Observation> first = run.driver().observeAll(List.of(a.id(), b.id(), absent));
        assertEquals(Set.of(a.id(), b.id()), first.keySet(), "observeAll of two running and one unknown id");
        run.env().clock().advance(Duration.ofSeconds(5));
        for (LoadBalancer lb : List.of(a, b)) {
            Observation single = run.observation(lb.id());
            Observation many = first.get(lb.id());
            assertEquals(memberIds(lb), many.memberHealth().keySet(), "members observeAll reports");
            assertEquals(many.memberHealth().keySet(), single.memberHealth().keySet(), "observe and observeAll disagree");
            if (!single.countersReset()) {
                assertNotBelow(many.stats(), single.stats(), "observe after observeAll");
            }
        }
    }

    @Check
    @DisplayName("statistics through the service are never negative and do not go down")
    default void throughTheService(ConformanceRun run) {
        PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4, Function.identity());
        PoolStats first = run.service().stats(pool.id());
        assertNotNegative(first, "first read");
        run.env().clock().advance(Duration.ofSeconds(30));
        PoolStats second = run.service().stats(pool.id());
        assertNotNegative(second, "second read");
        assertNotBelow(first, second, "second read through the service");
    }
}

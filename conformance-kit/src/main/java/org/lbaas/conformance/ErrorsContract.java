package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.assertFinalStatus;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.memberIds;
import static org.lbaas.conformance.ConformanceRun.refused;
import static org.lbaas.conformance.ConformanceRun.status;
import static org.lbaas.conformance.ConformanceRun.statusDescription;
import static org.lbaas.conformance.ConformanceRun.vipRequest;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.TENANT;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestReporter;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.PoolView;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Errors carry both messages.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface ErrorsContract {

    @Check
    @DisplayName("a load balancer beyond the declared capabilities, handed over directly, is refused with both messages and"
            + " nothing runs")
    default void refusedBeyondCapabilities(ConformanceRun run, TestReporter reporter) {
        Shapes.Beyond beyond = run.beyond();
        reporter.publishEntry("undeclared feature used", beyond.what());
        DriverException e = refused(() -> run.driver().apply(Optional.empty(), beyond.lb()), beyond.what());
        run.assertMessages(e);
        assertEquals(Optional.empty(), run.driver().observe(beyond.lb().id()), "a refused load balancer must not run");
    }

    @Check
    @DisplayName("a refused change leaves the running load balancer serving its previous state")
    default void refusedChangeKeepsServing(ConformanceRun run) {
        Shapes.Beyond beyond = run.beyond();
        LoadBalancer base = run.deployed(1);
        LoadBalancer bad = transplant(beyond.lb(), base);
        DriverException e = refused(() -> run.driver().apply(Optional.of(base), bad), beyond.what());
        run.assertMessages(e);
        assertEquals(memberIds(base), run.observedMembers(base.id()), "after a refused change the previous state keeps running");
    }

    @Check
    @DisplayName("when the environment fails, a deployment fails with both messages, or succeeds because the driver does"
            + " not depend on it")
    default Stream<DynamicTest> brokenEnvironmentDirectly(ConformanceRun run, TestReporter reporter) {
        return faultSets().map(faults -> DynamicTest.dynamicTest(describe(faults), () -> deployWhileBroken(run, faults, reporter)));
    }

    private void deployWhileBroken(ConformanceRun run, Set<ConformanceEnvironment.Fault> faults, TestReporter reporter) {
        LoadBalancer lb = run.shapes().deployable(2);
        run.env().breakDown(faults);
        Optional<DriverException> failure;
        try {
            run.driver().apply(Optional.empty(), lb);
            failure = Optional.empty();
        } catch (DriverException e) {
            failure = Optional.of(e);
        }
        int commands = run.env().shellCallsSinceBreak();
        run.env().restore();
        if (failure.isPresent()) {
            reporter.publishEntry("variation " + faults, "the driver depends on it and failed cleanly after " + commands
                    + " shell command(s): " + failure.get().tenantMessage());
            run.assertMessages(failure.get());
            assertTrue(run.driver().observe(lb.id()).isEmpty() || run.observedMembers(lb.id()).equals(memberIds(lb)),
                    "a failed deployment must leave nothing half-built");
        } else {
            reporter.publishEntry("variation " + faults, "the driver does not depend on it; it ran " + commands
                    + " shell command(s) while broken");
            assertEquals(memberIds(lb), run.observedMembers(lb.id()), "a deployment that succeeded must run");
        }
        run.driver().apply(Optional.empty(), lb);
        assertEquals(memberIds(lb), run.observedMembers(lb.id()), "once the environment works again the deployment succeeds");
    }

    @Check
    @DisplayName("a change while the environment fails either keeps the previous state running or applies the new one,"
            + " never half of it")
    default Stream<DynamicTest> brokenEnvironmentDuringChange(ConformanceRun run) {
        return faultSets().map(faults -> DynamicTest.dynamicTest(describe(faults), () -> changeWhileBroken(run, faults)));
    }

    private void changeWhileBroken(ConformanceRun run, Set<ConformanceEnvironment.Fault> faults) {
        LoadBalancer before = run.deployed(1);
        LoadBalancer grown = run.shapes().withExtraMember(before);
        LoadBalancer after = grown.withVip(grown.vip().map(v -> v.toBuilder().connectionLimit(run.shapes().modestConnectionLimit())
                .build()));
        run.env().breakDown(faults);
        try {
            run.driver().apply(Optional.of(before), after);
        } catch (DriverException e) {
            run.assertMessages(e);
        } finally {
            run.env().restore();
        }
        Set<UUID> observed = run.observedMembers(before.id());
        assertTrue(observed.equals(memberIds(before)) || observed.equals(memberIds(after)),
                "members running after a failed change: " + observed + "; before " + memberIds(before) + ", after "
                        + memberIds(after));
        run.driver().apply(Optional.of(before), after);
        assertEquals(memberIds(after), run.observedMembers(before.id()), "once the environment works again the change applies");
    }

    @Check
    @DisplayName("through the service, a failure ends in ERROR described for the tenant, and a retry after recovery ends ACTIVE")
    default void throughTheService(ConformanceRun run, TestReporter reporter) {
        PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
        run.env().breakDown();
        Member member = done(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.4.11", 8080)), "member");
        Vip vip = done(run.service().createVip(vipRequest(pool, SUBNET4)), "VIP");
        List<String> errors = new ArrayList<>();
        for (Object o : List.of(member, vip)) {
            Status s = status(o);
            assertTrue(s == Status.ACTIVE || s == Status.ERROR, "a change while the environment fails ended " + s);
            if (s == Status.ERROR) {
                String why = statusDescription(o);
                run.assertTenantSafe(why, "status description");
                errors.add(why);
            }
        }
        reporter.publishEntry("variation", errors.isEmpty() ? "the driver does not depend on its environment"
                : "ERROR: " + errors.get(0));
        run.env().restore();
        assertFinalStatus(Status.ACTIVE, done(run.service().retry(pool.id()), "retry after recovery"));
        assertFinalStatus(Status.ACTIVE, run.service().getVip(vip.id()));
        assertFinalStatus(Status.ACTIVE, run.service().getMember(member.id()));
        assertEquals(Set.of(member.id()), run.observedMembers(pool.id()), "after recovery the load balancer runs");
    }
    /** The ways the kit breaks the environment: the shell, the directory, both. */
    private static Stream<Set<ConformanceEnvironment.Fault>> faultSets() {
        return Stream.of(EnumSet.of(ConformanceEnvironment.Fault.SHELL), EnumSet.of(ConformanceEnvironment.Fault.DIRECTORY),
                EnumSet.allOf(ConformanceEnvironment.Fault.class));
    }

    private static String describe(Set<ConformanceEnvironment.Fault> faults) {
        return "broken: " + faults.stream().map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(" and "));
    }

    /** The load balancer {@code beyond} carried over to the pool, VIP, subnet ids and instance addresses of {@code base}. */
    private static LoadBalancer transplant(LoadBalancer beyond, LoadBalancer base) {
        org.lbaas.model.Pool pool = beyond.pool().toBuilder().id(base.id()).subnetId(base.pool().subnetId()).build();
        Vip baseVip = base.vip().orElseThrow();
        Optional<Vip> vip = beyond.vip().map(v -> v.toBuilder().id(baseVip.id()).poolId(base.id()).address(baseVip.address())
                .portId(baseVip.portId()).subnetId(baseVip.subnetId()).build());
        List<Member> members = beyond.members().stream().map(m -> m.toBuilder().poolId(base.id()).build()).toList();
        return new LoadBalancer(base.subnet(), pool, vip, members, beyond.healthMonitors(), base.instanceAddresses());
    }
}

package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import org.lbaas.driver.spi.ApplyResult.Action;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.testkit.LbArbitraries;
import org.lbaas.testkit.LoadBalancerArbitrary;

/** The bodies of the {@link DriverContract} properties. */
final class ContractChecks {

    private ContractChecks() {
    }

    /** A fresh environment and driver for one try; closing checks the contract breaches seen. */
    private static final class Run implements AutoCloseable {
        final ConformanceEnvironment env = ConformanceEnvironment.create();
        final CheckedDriver driver;

        Run(Function<ConformanceEnvironment, LoadBalancerDriver> factory) {
            CheckedDriver d;
            try {
                d = CheckedDriver.wrap(factory.apply(env));
            } catch (RuntimeException | Error e) {
                env.close();
                throw e;
            }
            driver = d;
        }

        Observation observation(UUID id) {
            return driver.observe(id).orElseThrow(() -> new AssertionError("nothing runs for pool " + id
                    + " although it was applied and is deployable"));
        }

        @Override
        public void close() {
            try {
                driver.close();
            } finally {
                env.close();
            }
            assertEquals(List.of(), driver.ledger().breaches(), "breaches of the driver contract");
        }
    }

    static Arbitrary<LoadBalancer> deployable(Function<ConformanceEnvironment, LoadBalancerDriver> factory) {
        Capabilities caps;
        try (Run run = new Run(factory)) {
            caps = run.driver.capabilities();
        }
        LoadBalancerArbitrary a = LbArbitraries.loadBalancers().withVip()
                .withProtocols(caps.protocols().toArray(Protocol[]::new))
                .withMembers(0, Math.min(6, caps.maxMembers())).withInstanceAddresses(caps.instanceAddresses());
        if (caps.monitorTypes().isEmpty() || caps.maxMonitorsPerPool() == 0) {
            a = a.withMonitors(0, 0);
        } else {
            a = a.withMonitorTypes(EnumSet.copyOf(caps.monitorTypes()).toArray(MonitorType[]::new))
                    .withMonitors(0, Math.min(2, caps.maxMonitorsPerPool()));
        }
        if (!caps.ipv6()) {
            a = a.ipv4Only();
        }
        if (caps.persistenceTypes().isEmpty()) {
            a = a.withoutPersistence();
        }
        Capabilities declared = caps;
        return a.map(ContractChecks::vipUp).filter(lb -> declared.unsupported(lb).isEmpty());
    }

    private static LoadBalancer vipUp(LoadBalancer lb) {
        return lb.withVip(lb.vip().map(v -> v.adminStateUp() ? v : v.toBuilder().adminStateUp(true).build()));
    }

    static void applyThenObserve(Function<ConformanceEnvironment, LoadBalancerDriver> factory, LoadBalancer lb) {
        try (Run run = new Run(factory)) {
            assertEquals(Action.DEPLOYED, run.driver.apply(Optional.empty(), lb).action(), "the first apply");
            Observation o = run.observation(lb.id());
            assertMembers(lb, o);
            ConformanceRun.assertNotNegative(o.stats(), "first observation");
            run.driver.remove(lb.id());
            assertEquals(Optional.empty(), run.driver.observe(lb.id()), "after remove");
        }
    }

    static void applyTwice(Function<ConformanceEnvironment, LoadBalancerDriver> factory, LoadBalancer lb) {
        try (Run run = new Run(factory)) {
            run.driver.apply(Optional.empty(), lb);
            Observation once = run.observation(lb.id());
            run.env.clock().advance(Duration.ofSeconds(1));
            assertEquals(Action.UNCHANGED, run.driver.apply(Optional.of(lb), lb).action(), "the second apply of the same state");
            Observation twice = run.observation(lb.id());
            assertMembers(lb, twice);
            assertEquals(once.memberHealth(), twice.memberHealth(), "member health after the second apply");
            if (!twice.countersReset()) {
                ConformanceRun.assertNotBelow(once.stats(), twice.stats(), "after the second apply");
            }
            ReconcileReport r = run.driver.reconcile(List.of(lb));
            assertEquals(new ReconcileReport(Set.of(lb.id()), Set.of(), Set.of(), Map.of()), r, "reconcile after two applies");
        }
    }

    static void memberChanges(Function<ConformanceEnvironment, LoadBalancerDriver> factory, LoadBalancer lb, int weight,
                              int adminDownMask) {
        List<Member> changed = new ArrayList<>();
        for (int i = 1; i < lb.members().size(); i++) {
            boolean down = (adminDownMask & (1 << (i - 1))) != 0;
            changed.add(lb.members().get(i).toBuilder().weight(weight).adminStateUp(!down).build());
        }
        LoadBalancer next = lb.withMembers(changed);
        try (Run run = new Run(factory)) {
            run.driver.apply(Optional.empty(), lb);
            Action a = run.driver.apply(Optional.of(lb), next).action();
            assertTrue(EnumSet.of(Action.UNCHANGED, Action.CHANGED_IN_PLACE, Action.RELOADED).contains(a),
                    "a member change of a running load balancer must not deploy or undeploy it, was " + a);
            assertMembers(next, run.observation(lb.id()));
        }
    }

    static void undeployable(Function<ConformanceEnvironment, LoadBalancerDriver> factory, LoadBalancer lb, boolean removeVip) {
        LoadBalancer off = removeVip ? Shapes.withoutVip(lb) : Shapes.withVipDown(lb);
        try (Run run = new Run(factory)) {
            run.driver.apply(Optional.empty(), lb);
            Action a = run.driver.apply(Optional.of(lb), off).action();
            assertEquals(Action.UNDEPLOYED, a, "a running load balancer that becomes undeployable");
            assertEquals(Optional.empty(), run.driver.observe(lb.id()), "nothing runs for an undeployable load balancer");
            assertEquals(Action.DEPLOYED, run.driver.apply(Optional.of(off), lb).action(), "deployable again");
            assertMembers(lb, run.observation(lb.id()));
        }
    }

    /**
     * The driver reports exactly the desired members, admin-down ones in maintenance. Allowed
     * variation: while the pool itself is admin down a data plane may not show its members at all
     * (HAProxy hides a disabled backend), so then only "no unknown member" is required.
     */
    private static void assertMembers(LoadBalancer lb, Observation o) {
        Set<UUID> desired = ConformanceRun.memberIds(lb);
        if (lb.pool().adminStateUp()) {
            assertEquals(desired, o.memberHealth().keySet(), "the members the driver reports");
        } else {
            assertTrue(desired.containsAll(o.memberHealth().keySet()), "the driver reports members the pool does not have: "
                    + o.memberHealth().keySet() + " of " + desired);
        }
        for (Member m : lb.members()) {
            MemberHealth h = o.memberHealth().get(m.id());
            if (!m.adminStateUp() && h != null) {
                assertEquals(MemberHealth.MAINT, h, "member " + m.id() + " is admin down");
            }
        }
    }
}

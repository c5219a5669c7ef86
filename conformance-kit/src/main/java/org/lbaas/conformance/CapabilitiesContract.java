package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.conformance.ConformanceRun.address;
import static org.lbaas.conformance.ConformanceRun.assertFinalStatus;
import static org.lbaas.conformance.ConformanceRun.await;
import static org.lbaas.conformance.ConformanceRun.done;
import static org.lbaas.conformance.ConformanceRun.memberIds;
import static org.lbaas.conformance.ConformanceRun.persistence;
import static org.lbaas.conformance.ConformanceRun.refused;
import static org.lbaas.conformance.ConformanceRun.vipRequest;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.SUBNET6;
import static org.lbaas.conformance.Shapes.TENANT;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolView;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Declared capabilities are honoured.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface CapabilitiesContract {

    @Check
    @DisplayName("every feature the driver does not declare is refused by the service before the driver is called")
    default Stream<DynamicTest> undeclaredFeaturesAreRefused(ConformanceRun run) {
        Capabilities caps = run.shapes().capabilities();
        List<DynamicTest> tests = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            if (!caps.protocols().contains(p)) {
                tests.add(DynamicTest.dynamicTest("protocol " + p, () -> run.assertRefused("pool.protocol",
                        () -> run.service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), p, run.shapes().method())))));
            }
        }
        for (LbMethod m : LbMethod.values()) {
            if (!caps.lbMethods().contains(m)) {
                tests.add(DynamicTest.dynamicTest("lb_method " + m, () -> run.assertRefused("pool.lb_method",
                        () -> run.service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), run.shapes().protocol(), m)))));
            }
        }
        for (MonitorType t : MonitorType.values()) {
            if (!caps.monitorTypes().contains(t)) {
                tests.add(DynamicTest.dynamicTest("health monitor type " + t, () -> run.assertRefused("health_monitor.type",
                        () -> run.service().createHealthMonitor(HealthMonitorCreate.of(TENANT, t, 5, 3, 3)))));
            }
        }
        for (PersistenceType t : PersistenceType.values()) {
            Protocol fitting = t.usesCookies() ? Protocol.HTTP : run.shapes().protocol();
            if (!caps.persistenceTypes().contains(t) && caps.protocols().contains(fitting)) {
                tests.add(DynamicTest.dynamicTest("session persistence " + t, () -> {
                    PoolView pool = run.createdPool(fitting, run.shapes().method());
                    run.assertRefused("vip.session_persistence.type", () -> run.service().createVip(
                            vipRequest(pool, SUBNET4).withSessionPersistence(persistence(t))));
                }));
            }
        }
        if (!caps.ipv6()) {
            tests.add(DynamicTest.dynamicTest("an IPv6 member", () -> {
                PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
                run.assertRefused("members[0].address",
                        () -> run.service().createMember(MemberCreate.of(TENANT, pool.id(), "fd00:93::11", 8080)));
            }));
            tests.add(DynamicTest.dynamicTest("an IPv6 VIP", () -> {
                PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
                run.assertRefused("vip.address", () -> run.service().createVip(vipRequest(pool, SUBNET6)));
            }));
        }
        if (caps.maxConnectionLimit() < Integer.MAX_VALUE) {
            int limit = caps.maxConnectionLimit() + 1;
            tests.add(DynamicTest.dynamicTest("connection limit " + limit + ", one above the declared most", () -> {
                PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
                run.assertRefused("vip.connection_limit",
                        () -> run.service().createVip(vipRequest(pool, SUBNET4).withConnectionLimit(limit)));
            }));
        }
        Optional<MonitorType> monitorType = caps.monitorTypes().stream().sorted().findFirst();
        if (monitorType.isPresent() && caps.maxMonitorsPerPool() < Shapes.MONITOR_LIMIT_REACH) {
            int most = caps.maxMonitorsPerPool();
            tests.add(DynamicTest.dynamicTest((most + 1) + " health monitors on one pool, one above the declared most", () -> {
                PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
                for (int i = 0; i < most; i++) {
                    UUID m = done(run.service().createHealthMonitor(HealthMonitorCreate.of(TENANT, monitorType.get(), 5, 3, 3)),
                            "create monitor").id();
                    assertFinalStatus(Status.ACTIVE, done(run.service().associate(pool.id(), m), "associate monitor " + (i + 1)));
                }
                UUID extra = done(run.service().createHealthMonitor(HealthMonitorCreate.of(TENANT, monitorType.get(), 5, 3, 3)),
                        "create monitor").id();
                run.assertRefused("health_monitors", () -> run.service().associate(pool.id(), extra));
            }));
        }
        if (caps.maxMembers() < Shapes.MEMBER_LIMIT_REACH) {
            int most = caps.maxMembers();
            tests.add(DynamicTest.dynamicTest((most + 1) + " members in one pool, one above the declared most", () -> {
                PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method());
                List<Pending<Member>> pending = new ArrayList<>();
                for (int i = 0; i < most; i++) {
                    pending.add(run.service().createMember(MemberCreate.of(TENANT, pool.id(), address(10, 94, i), 8080)));
                }
                for (Pending<Member> p : pending) {
                    await(p.outcome(), "create member");
                }
                run.assertRefused("members",
                        () -> run.service().createMember(MemberCreate.of(TENANT, pool.id(), address(10, 94, most), 8080)));
            }));
        }
        if (tests.isEmpty()) {
            tests.add(DynamicTest.dynamicTest("nothing is undeclared: a load balancer using every feature fits the declaration",
                    () -> assertEquals(List.of(), caps.unsupported(run.everyFeature()))));
        }
        return tests.stream();
    }

    @Check
    @DisplayName("every feature the driver declares works end to end through the service")
    default Stream<DynamicTest> declaredFeaturesWork(ConformanceRun run) {
        Capabilities caps = run.shapes().capabilities();
        List<DynamicTest> tests = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            if (caps.protocols().contains(p)) {
                tests.add(DynamicTest.dynamicTest("protocol " + p, () -> run.deployedThroughService(p, run.shapes().method(), SUBNET4,
                        Function.identity())));
            }
        }
        for (LbMethod m : LbMethod.values()) {
            if (caps.lbMethods().contains(m)) {
                tests.add(DynamicTest.dynamicTest("lb_method " + m, () -> run.deployedThroughService(run.shapes().protocol(), m, SUBNET4,
                        Function.identity())));
            }
        }
        for (PersistenceType t : PersistenceType.values()) {
            Protocol fitting = t.usesCookies() ? Protocol.HTTP : run.shapes().protocol();
            if (caps.persistenceTypes().contains(t) && caps.protocols().contains(fitting)) {
                tests.add(DynamicTest.dynamicTest("session persistence " + t, () -> {
                    PoolView pool = run.deployedThroughService(fitting, run.shapes().method(), SUBNET4,
                            v -> v.withSessionPersistence(persistence(t)));
                    assertEquals(Optional.of(t), run.lastDesired(pool.id()).vip().flatMap(Vip::sessionPersistence)
                            .map(SessionPersistence::type), "the driver was told the persistence");
                }));
            }
        }
        if (caps.maxMonitorsPerPool() >= 1) {
            for (MonitorType t : MonitorType.values()) {
                if (caps.monitorTypes().contains(t)) {
                    tests.add(DynamicTest.dynamicTest("health monitor type " + t, () -> run.monitoredThroughService(List.of(t))));
                }
            }
        }
        Optional<MonitorType> monitorType = run.shapes().monitorType();
        int mostMonitors = caps.maxMonitorsPerPool();
        if (monitorType.isPresent() && mostMonitors >= 2 && mostMonitors <= Shapes.MONITOR_LIMIT_REACH) {
            tests.add(DynamicTest.dynamicTest(mostMonitors + " health monitors on one pool, the declared most",
                    () -> run.monitoredThroughService(Collections.nCopies(mostMonitors, monitorType.get()))));
        }
        if (caps.ipv6()) {
            tests.add(DynamicTest.dynamicTest("IPv6 VIP and member", () -> {
                PoolView pool = run.createdPool(run.shapes().protocol(), run.shapes().method(), SUBNET6);
                Member m = done(run.service().createMember(MemberCreate.of(TENANT, pool.id(), "fd00:93::11", 8080)), "member");
                assertFinalStatus(Status.ACTIVE, m);
                Vip vip = done(run.service().createVip(vipRequest(pool, SUBNET6)), "IPv6 VIP");
                assertFinalStatus(Status.ACTIVE, vip);
                assertEquals(Set.of(m.id()), run.observedMembers(pool.id()), "members the driver reports");
            }));
        }
        int limit = caps.maxConnectionLimit();
        tests.add(DynamicTest.dynamicTest("connection limit " + limit + ", the declared most", () -> {
            PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4,
                    v -> v.withConnectionLimit(limit));
            assertEquals(limit, run.lastDesired(pool.id()).vip().orElseThrow().connectionLimit());
        }));
        tests.add(DynamicTest.dynamicTest("connection limit -1, the driver's own maximum", () -> run.deployedThroughService(
                run.shapes().protocol(), run.shapes().method(), SUBNET4, v -> v.withConnectionLimit(Vip.UNLIMITED))));
        int instances = caps.instanceAddresses();
        tests.add(DynamicTest.dynamicTest(instances + " instance addresses with each VIP, as declared", () -> {
            Set<InetAddress> seen = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                PoolView pool = run.deployedThroughService(run.shapes().protocol(), run.shapes().method(), SUBNET4,
                        Function.identity());
                LoadBalancer lb = run.lastDesired(pool.id());
                assertEquals(instances, lb.instanceAddresses().size(), "instance addresses the driver was told");
                seen.add(lb.vip().orElseThrow().address());
                for (InetAddress a : lb.instanceAddresses()) {
                    assertTrue(SUBNET4.cidr().contains(a), a + " lies in the VIP's subnet " + SUBNET4.cidr());
                    assertTrue(seen.add(a), a + " is another VIP's or instance's address");
                }
            }
        }));
        int mostMembers = Math.min(caps.maxMembers(), Shapes.MEMBER_LIMIT_REACH);
        tests.add(DynamicTest.dynamicTest(mostMembers + " members in one pool" + (mostMembers == caps.maxMembers()
                ? ", the declared most" : ""), () -> {
            LoadBalancer lb = run.deployed(mostMembers);
            assertEquals(memberIds(lb), run.observedMembers(lb.id()), "members the driver reports");
        }));
        return tests.stream();
    }
}

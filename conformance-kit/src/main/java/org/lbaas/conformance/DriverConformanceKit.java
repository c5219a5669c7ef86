package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lbaas.conformance.Shapes.SUBNET4;
import static org.lbaas.conformance.Shapes.SUBNET6;
import static org.lbaas.conformance.Shapes.TENANT;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.StatusChange;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.UnsupportedByDriverException;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;
import org.lbaas.driver.spi.ApplyResult.Action;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.DriverNotFoundException;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The driver conformance kit: extend it, implement {@link #createDriver(ConformanceEnvironment)},
 * run it, and every way the driver differs from the lbaas driver contract fails a test named for
 * the rule it breaks.
 *
 * <pre>{@code
 * class MyDriverConformanceTest extends DriverConformanceKit {
 *
 *     @Override
 *     protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
 *         return new MyDriverProvider().create(env.config().with("directory", env.directory().toString()));
 *     }
 *
 *     @Override
 *     protected Optional<String> providerName() {
 *         return Optional.of("my-driver");
 *     }
 * }
 * }</pre>
 *
 * <p><b>What runs.</b> Each test gets a fresh {@link ConformanceEnvironment} and a fresh driver
 * from the factory method. Most groups drive the driver through a real {@link LoadBalancerService}
 * (the way lbaas uses it), some call it directly. The groups are:
 * <ol>
 *   <li>the provider is registered and found by name (the only group that can be skipped: when
 *       {@link #providerName()} is not overridden, the kit cannot know what to look up);</li>
 *   <li>declared capabilities are honoured: every undeclared feature is refused by the service
 *       before the driver is called, every declared one works end to end;</li>
 *   <li>every object goes through its full v1 lifecycle;</li>
 *   <li>every driver operation is idempotent;</li>
 *   <li>updates carry the correct previous and desired states;</li>
 *   <li>statuses end in ACTIVE, DISABLED or ERROR and never stay pending;</li>
 *   <li>statistics are never negative and only grow between resets;</li>
 *   <li>reconcile removes exactly the orphans;</li>
 *   <li>errors carry a message for the tenant and one for the operator;</li>
 *   <li>probe and repair: a crashed load balancer is reported by {@code probe} and served again
 *       after {@code repair}, and a service heals it by itself (skipped unless the driver's test
 *       overrides {@link #crasher()}, since only it knows how to kill its data plane).</li>
 * </ol>
 * Throughout, every exception other than {@link DriverException} that escapes a driver call, and
 * every previous state the service passes that is not what it applied last, fails the test.
 *
 * <p><b>Allowed variation</b> between drivers is written into the assertions, never into
 * switches: a driver may support less (the kit adapts to its {@link Capabilities}); it may need
 * the shell and the directory or neither (when the kit breaks the environment, a driver that
 * needs it must fail cleanly, one that does not must go on working); it may reset its counters
 * (if it says so in {@link Observation#countersReset()}); an undeployable load balancer applied
 * twice may be {@code UNCHANGED} or {@code UNDEPLOYED}. Notes on which variant a driver showed are
 * published with JUnit's {@link TestReporter}.
 *
 * <p><b>Live mode</b> is an allowed variation of the environment, not of the assertions: a driver
 * with a real data plane runs the same kit on a real host by letting the environment's recording
 * shell pass commands through to the real one,
 * {@code env.shell().passThroughTo(ShellExecutor.system())}, in
 * {@link #createDriver(ConformanceEnvironment)}; the kit still injects its failures on top (see
 * {@link ConformanceEnvironment}). The kit waits up to a minute for each change, so a real data
 * plane has time to converge.
 *
 * <p><b>What the kit needs from a driver</b> besides the SPI: it must declare at least one limit
 * or unsupported feature that the kit can exceed cheaply (a connection limit below
 * {@code Integer.MAX_VALUE} is enough), because handing an undeclared load balancer to the driver
 * directly is how the kit provokes a refusal that every driver can produce.
 */
public abstract class DriverConformanceKit {

    /** How long the kit waits for the service to finish one change. */
    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    /** The service's deadline for one driver call. */
    static final Duration DRIVER_DEADLINE = Duration.ofSeconds(30);
    /** How long the kit waits for the status listener to hear a change that already completed. */
    static final Duration LISTENER_PATIENCE = Duration.ofSeconds(10);

    private ConformanceEnvironment env;
    private CheckedDriver driver;
    private Shapes shapes;
    private LoadBalancerService service;
    private final List<StatusChange> changes = Collections.synchronizedList(new ArrayList<>());
    private int serviceMembers;

    /** For subclasses. */
    protected DriverConformanceKit() {
    }

    /**
     * Creates the driver under test from the environment's seams. Called once per test, with a
     * fresh environment; the kit closes the driver afterwards.
     *
     * @param env the shell executor, directory and clock the driver must use
     * @return a new driver
     */
    protected abstract LoadBalancerDriver createDriver(ConformanceEnvironment env);

    /**
     * Returns the name the driver's provider is registered under, to check its registration.
     * Override it: the default, empty, skips the registration group (and only that group).
     *
     * @return the provider name, such as {@code haproxy-ns}
     */
    protected Optional<String> providerName() {
        return Optional.empty();
    }

    /**
     * Returns how to kill a running load balancer's data plane the way a crash would (for a
     * process-based driver: {@code kill -9} of its process), for the probe-and-repair group. The
     * function receives the driver {@link #createDriver} returned and a pool id that runs. Override
     * it: the default, empty, skips that group (and only that group).
     *
     * @return the crash, if the test can cause one
     */
    protected Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher() {
        return Optional.empty();
    }

    /** Creates the environment and the driver. */
    @BeforeEach
    protected final void openConformanceEnvironment() {
        env = ConformanceEnvironment.create();
        driver = CheckedDriver.wrap(Objects.requireNonNull(createDriver(env), "createDriver returned null"));
        shapes = new Shapes(driver.capabilities());
    }

    /** Stops the service, removes what runs, closes the driver and the environment; then reports contract breaches. */
    @AfterEach
    protected final void closeConformanceEnvironment() {
        if (driver == null) {
            // createDriver failed: its exception already fails the test
            if (env != null) {
                env.close();
            }
            return;
        }
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            env.restore();
            try {
                driver.delegate().reconcile(List.of());
            } catch (RuntimeException e) {
                // best effort: what the driver runs is removed so the next test starts clean
            }
            try {
                driver.close();
            } finally {
                env.close();
            }
        }
        assertEquals(List.of(), driver.ledger().breaches(), "breaches of the driver contract seen during this test");
    }

    // =================================================================== groups

    /** The provider is registered and found by name. */
    @Nested
    @DisplayName("The provider is registered and found by its name")
    public class Registration {

        /** Created by JUnit. */
        public Registration() {
        }

        private String name;

        /** Skips the group when the kit does not know the provider's name. */
        @BeforeEach
        public void needsName() {
            Assumptions.assumeTrue(providerName().isPresent(), "providerName() is not overridden, so the kit does not know "
                    + "which provider to look up; override it to check the registration");
            name = providerName().orElseThrow();
        }

        @Test
        @DisplayName("Drivers.discover() finds exactly one provider with the name")
        public void discoveredByName() {
            Drivers.Discovery found = Drivers.discover();
            DriverProvider provider = found.provider(name);
            assertEquals(name, provider.name());
            assertTrue(found.problems().stream().noneMatch(p -> p.contains(provider.getClass().getName())),
                    "the provider's class reported problems on discovery: " + found.problems());
        }

        @Test
        @DisplayName("the name is lower-case letters and digits, words joined by '-'")
        public void nameIsAToken() {
            assertTrue(name.matches("[a-z0-9]+(-[a-z0-9]+)*"), "provider name '" + name + "'");
        }

        @Test
        @DisplayName("the provider can be constructed directly, without discovery, and reports the same name")
        public void constructedDirectly() throws ReflectiveOperationException {
            Class<? extends DriverProvider> type = Drivers.discover().provider(name).getClass();
            assertTrue(Modifier.isPublic(type.getModifiers()), type + " must be public");
            Constructor<? extends DriverProvider> constructor = type.getConstructor();
            assertEquals(name, constructor.newInstance().name());
        }

        @Test
        @DisplayName("asking for an unknown name fails with a message that lists this provider")
        public void listedWhenAnotherNameIsAskedFor() {
            String unknown = "no-such-driver-" + UUID.randomUUID();
            DriverNotFoundException e = assertThrows(DriverNotFoundException.class, () -> Drivers.discover().provider(unknown));
            assertTrue(e.available().contains(name), e.getMessage());
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    /** Declared capabilities are honoured. */
    @Nested
    @DisplayName("Declared capabilities are honoured")
    public class DeclaredCapabilities {

        /** Created by JUnit. */
        public DeclaredCapabilities() {
        }

        @TestFactory
        @DisplayName("every feature the driver does not declare is refused by the service before the driver is called")
        public Stream<DynamicTest> undeclaredFeaturesAreRefused() {
            Capabilities caps = shapes.capabilities();
            List<DynamicTest> tests = new ArrayList<>();
            for (Protocol p : Protocol.values()) {
                if (!caps.protocols().contains(p)) {
                    tests.add(DynamicTest.dynamicTest("protocol " + p, () -> assertRefused("pool.protocol",
                            () -> service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), p, shapes.method())))));
                }
            }
            for (LbMethod m : LbMethod.values()) {
                if (!caps.lbMethods().contains(m)) {
                    tests.add(DynamicTest.dynamicTest("lb_method " + m, () -> assertRefused("pool.lb_method",
                            () -> service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), shapes.protocol(), m)))));
                }
            }
            for (MonitorType t : MonitorType.values()) {
                if (!caps.monitorTypes().contains(t)) {
                    tests.add(DynamicTest.dynamicTest("health monitor type " + t, () -> assertRefused("health_monitor.type",
                            () -> service().createHealthMonitor(HealthMonitorCreate.of(TENANT, t, 5, 3, 3)))));
                }
            }
            for (PersistenceType t : PersistenceType.values()) {
                Protocol fitting = t.usesCookies() ? Protocol.HTTP : shapes.protocol();
                if (!caps.persistenceTypes().contains(t) && caps.protocols().contains(fitting)) {
                    tests.add(DynamicTest.dynamicTest("session persistence " + t, () -> {
                        PoolView pool = createdPool(fitting, shapes.method());
                        assertRefused("vip.session_persistence.type", () -> service().createVip(
                                vipRequest(pool, SUBNET4).withSessionPersistence(persistence(t))));
                    }));
                }
            }
            if (!caps.ipv6()) {
                tests.add(DynamicTest.dynamicTest("an IPv6 member", () -> {
                    PoolView pool = createdPool(shapes.protocol(), shapes.method());
                    assertRefused("members[0].address",
                            () -> service().createMember(MemberCreate.of(TENANT, pool.id(), "fd00:93::11", 8080)));
                }));
                tests.add(DynamicTest.dynamicTest("an IPv6 VIP", () -> {
                    PoolView pool = createdPool(shapes.protocol(), shapes.method());
                    assertRefused("vip.address", () -> service().createVip(vipRequest(pool, SUBNET6)));
                }));
            }
            if (caps.maxConnectionLimit() < Integer.MAX_VALUE) {
                int limit = caps.maxConnectionLimit() + 1;
                tests.add(DynamicTest.dynamicTest("connection limit " + limit + ", one above the declared most", () -> {
                    PoolView pool = createdPool(shapes.protocol(), shapes.method());
                    assertRefused("vip.connection_limit",
                            () -> service().createVip(vipRequest(pool, SUBNET4).withConnectionLimit(limit)));
                }));
            }
            Optional<MonitorType> monitorType = caps.monitorTypes().stream().sorted().findFirst();
            if (monitorType.isPresent() && caps.maxMonitorsPerPool() < Shapes.MONITOR_LIMIT_REACH) {
                int most = caps.maxMonitorsPerPool();
                tests.add(DynamicTest.dynamicTest((most + 1) + " health monitors on one pool, one above the declared most", () -> {
                    PoolView pool = createdPool(shapes.protocol(), shapes.method());
                    for (int i = 0; i < most; i++) {
                        UUID m = done(service().createHealthMonitor(HealthMonitorCreate.of(TENANT, monitorType.get(), 5, 3, 3)),
                                "create monitor").id();
                        assertFinalStatus(Status.ACTIVE, done(service().associate(pool.id(), m), "associate monitor " + (i + 1)));
                    }
                    UUID extra = done(service().createHealthMonitor(HealthMonitorCreate.of(TENANT, monitorType.get(), 5, 3, 3)),
                            "create monitor").id();
                    assertRefused("health_monitors", () -> service().associate(pool.id(), extra));
                }));
            }
            if (caps.maxMembers() < Shapes.MEMBER_LIMIT_REACH) {
                int most = caps.maxMembers();
                tests.add(DynamicTest.dynamicTest((most + 1) + " members in one pool, one above the declared most", () -> {
                    PoolView pool = createdPool(shapes.protocol(), shapes.method());
                    List<Pending<Member>> pending = new ArrayList<>();
                    for (int i = 0; i < most; i++) {
                        pending.add(service().createMember(MemberCreate.of(TENANT, pool.id(), address(10, 94, i), 8080)));
                    }
                    for (Pending<Member> p : pending) {
                        await(p.outcome(), "create member");
                    }
                    assertRefused("members",
                            () -> service().createMember(MemberCreate.of(TENANT, pool.id(), address(10, 94, most), 8080)));
                }));
            }
            if (tests.isEmpty()) {
                tests.add(DynamicTest.dynamicTest("nothing is undeclared: a load balancer using every feature fits the declaration",
                        () -> assertEquals(List.of(), caps.unsupported(everyFeature()))));
            }
            return tests.stream();
        }

        @TestFactory
        @DisplayName("every feature the driver declares works end to end through the service")
        public Stream<DynamicTest> declaredFeaturesWork() {
            Capabilities caps = shapes.capabilities();
            List<DynamicTest> tests = new ArrayList<>();
            for (Protocol p : Protocol.values()) {
                if (caps.protocols().contains(p)) {
                    tests.add(DynamicTest.dynamicTest("protocol " + p, () -> deployedThroughService(p, shapes.method(), SUBNET4,
                            Function.identity())));
                }
            }
            for (LbMethod m : LbMethod.values()) {
                if (caps.lbMethods().contains(m)) {
                    tests.add(DynamicTest.dynamicTest("lb_method " + m, () -> deployedThroughService(shapes.protocol(), m, SUBNET4,
                            Function.identity())));
                }
            }
            for (PersistenceType t : PersistenceType.values()) {
                Protocol fitting = t.usesCookies() ? Protocol.HTTP : shapes.protocol();
                if (caps.persistenceTypes().contains(t) && caps.protocols().contains(fitting)) {
                    tests.add(DynamicTest.dynamicTest("session persistence " + t, () -> {
                        PoolView pool = deployedThroughService(fitting, shapes.method(), SUBNET4,
                                v -> v.withSessionPersistence(persistence(t)));
                        assertEquals(Optional.of(t), lastDesired(pool.id()).vip().flatMap(Vip::sessionPersistence)
                                .map(SessionPersistence::type), "the driver was told the persistence");
                    }));
                }
            }
            if (caps.maxMonitorsPerPool() >= 1) {
                for (MonitorType t : MonitorType.values()) {
                    if (caps.monitorTypes().contains(t)) {
                        tests.add(DynamicTest.dynamicTest("health monitor type " + t, () -> monitoredThroughService(List.of(t))));
                    }
                }
            }
            Optional<MonitorType> monitorType = shapes.monitorType();
            int mostMonitors = caps.maxMonitorsPerPool();
            if (monitorType.isPresent() && mostMonitors >= 2 && mostMonitors <= Shapes.MONITOR_LIMIT_REACH) {
                tests.add(DynamicTest.dynamicTest(mostMonitors + " health monitors on one pool, the declared most",
                        () -> monitoredThroughService(Collections.nCopies(mostMonitors, monitorType.get()))));
            }
            if (caps.ipv6()) {
                tests.add(DynamicTest.dynamicTest("IPv6 VIP and member", () -> {
                    PoolView pool = createdPool(shapes.protocol(), shapes.method(), SUBNET6);
                    Member m = done(service().createMember(MemberCreate.of(TENANT, pool.id(), "fd00:93::11", 8080)), "member");
                    assertFinalStatus(Status.ACTIVE, m);
                    Vip vip = done(service().createVip(vipRequest(pool, SUBNET6)), "IPv6 VIP");
                    assertFinalStatus(Status.ACTIVE, vip);
                    assertEquals(Set.of(m.id()), observedMembers(pool.id()), "members the driver reports");
                }));
            }
            int limit = caps.maxConnectionLimit();
            tests.add(DynamicTest.dynamicTest("connection limit " + limit + ", the declared most", () -> {
                PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, v -> v.withConnectionLimit(limit));
                assertEquals(limit, lastDesired(pool.id()).vip().orElseThrow().connectionLimit());
            }));
            tests.add(DynamicTest.dynamicTest("connection limit -1, the driver's own maximum", () -> deployedThroughService(
                    shapes.protocol(), shapes.method(), SUBNET4, v -> v.withConnectionLimit(Vip.UNLIMITED))));
            int mostMembers = Math.min(caps.maxMembers(), Shapes.MEMBER_LIMIT_REACH);
            tests.add(DynamicTest.dynamicTest(mostMembers + " members in one pool" + (mostMembers == caps.maxMembers()
                    ? ", the declared most" : ""), () -> {
                LoadBalancer lb = shapes.deployable(mostMembers);
                driver.apply(Optional.empty(), lb);
                assertEquals(memberIds(lb), observedMembers(lb.id()), "members the driver reports");
            }));
            return tests.stream();
        }
    }

    /** Every object goes through its full v1 lifecycle through the service. */
    @Nested
    @DisplayName("Every object goes through its full v1 lifecycle")
    public class Lifecycle {

        /** Created by JUnit. */
        public Lifecycle() {
        }

        @Test
        @DisplayName("pool, members, monitor and VIP are created, updated and deleted in v1 order; each step ends ACTIVE or"
                + " DISABLED and the driver runs exactly what exists")
        public void fullLifecycle() {
            Protocol protocol = shapes.protocol();
            LbMethod method = shapes.method();
            Pending<PoolView> createPool = service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), protocol, method)
                    .withName("lifecycle"));
            assertEquals(Status.PENDING_CREATE, createPool.accepted().pool().status(), "a new pool is accepted pending");
            PoolView pool = done(createPool, "create pool");
            assertFinalStatus(Status.ACTIVE, pool);
            UUID id = pool.id();
            assertEquals(Optional.empty(), driver.observe(id), "a pool without a VIP is not deployable, so nothing may run for it");

            Member m1 = created(service().createMember(MemberCreate.of(TENANT, id, "10.93.0.11", 8080)), "member 1");
            Member m2 = created(service().createMember(MemberCreate.of(TENANT, id, "10.93.0.12", 8080).withWeight(2)), "member 2");
            Optional<UUID> monitor = shapes.monitorType().map(t -> {
                HealthMonitorView hm = done(service().createHealthMonitor(monitorRequest(t)), "create monitor");
                Pending<PoolMonitorAssociation> assoc = service().associate(id, hm.id());
                assertEquals(Status.PENDING_CREATE, assoc.accepted().status(), "a new association is accepted pending");
                assertFinalStatus(Status.ACTIVE, done(assoc, "associate monitor"));
                return hm.id();
            });
            Vip vip = created(service().createVip(vipRequest(pool, SUBNET4)), "VIP");
            assertEquals(Set.of(m1.id(), m2.id()), observedMembers(id), "with a VIP the load balancer runs, with both members");
            assertEquals(Set.of(m1.id(), m2.id()), service().memberHealth(id).keySet(), "member health through the service");

            PoolUpdate poolUpdate = PoolUpdate.empty().withName("renamed");
            Optional<LbMethod> otherMethod = shapes.otherMethod(method);
            if (otherMethod.isPresent()) {
                poolUpdate = poolUpdate.withLbMethod(otherMethod.get());
            }
            Pending<PoolView> updatePool = service().updatePool(id, poolUpdate);
            assertEquals(Status.PENDING_UPDATE, updatePool.accepted().pool().status(), "an updated pool is accepted pending");
            assertFinalStatus(Status.ACTIVE, done(updatePool, "update pool"));
            assertEquals(otherMethod.orElse(method), lastDesired(id).pool().lbMethod(), "the driver was told the new method");

            updated(service().updateMember(m2.id(), MemberUpdate.empty().withWeight(5)), Status.ACTIVE, "member 2 weight 5");
            assertEquals(5, lastDesired(id).member(m2.id()).orElseThrow().weight(), "the driver was told the new weight");
            updated(service().updateMember(m1.id(), MemberUpdate.empty().withAdminStateUp(false)), Status.DISABLED,
                    "member 1 admin down");
            assertEquals(MemberHealth.MAINT, health(id, m1.id()), "a member that is admin down is in maintenance");

            if (monitor.isPresent()) {
                Pending<HealthMonitorView> updateMonitor = service().updateHealthMonitor(monitor.get(),
                        HealthMonitorUpdate.empty().withTiming(7, 4));
                HealthMonitorView hm = done(updateMonitor, "update monitor");
                assertEquals(List.of(Status.ACTIVE), hm.pools().stream().map(PoolMonitorAssociation::status).toList(),
                        "the association after the monitor's update: " + hm.pools());
                assertEquals(7, lastDesired(id).healthMonitors().get(0).delay(), "the driver was told the new delay");
            }

            VipUpdate vipUpdate = VipUpdate.empty().withConnectionLimit(shapes.modestConnectionLimit());
            Optional<SessionPersistence> persistence = shapes.persistenceFor(protocol);
            if (persistence.isPresent()) {
                vipUpdate = vipUpdate.withSessionPersistence(persistence.get());
            }
            updated(service().updateVip(vip.id(), vipUpdate), Status.ACTIVE, "VIP connection limit and persistence");
            Vip told = lastDesired(id).vip().orElseThrow();
            assertEquals(shapes.modestConnectionLimit(), told.connectionLimit(), "the driver was told the connection limit");
            assertEquals(persistence, told.sessionPersistence(), "the driver was told the persistence");

            updated(service().updateMember(m1.id(), MemberUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "member 1 admin up");
            assertNotEquals(MemberHealth.MAINT, health(id, m1.id()), "a member back to admin up leaves maintenance");

            if (monitor.isPresent()) {
                Pending<Optional<PoolMonitorAssociation>> off = service().disassociate(id, monitor.get());
                assertEquals(Status.PENDING_DELETE, off.accepted().orElseThrow().status());
                assertEquals(Optional.empty(), done(off, "disassociate"), "the association is gone");
                assertEquals(List.of(), lastDesired(id).healthMonitors(), "the driver was told the monitor is gone");
                assertEquals(Optional.empty(), done(service().deleteHealthMonitor(monitor.get()), "delete monitor"));
            }
            deleted(service().deleteMember(m2.id()), "member 2");
            assertEquals(Set.of(m1.id()), observedMembers(id), "after a member's delete the driver runs the others only");
            deleted(service().deleteVip(vip.id()), "VIP");
            assertEquals(Optional.empty(), driver.observe(id), "without its VIP nothing may run for the pool");
            deleted(service().deletePool(id), "pool");
            assertThrows(NotFoundException.class, () -> service().getPool(id));
            assertEquals(Optional.empty(), driver.observe(id), "a deleted pool runs nothing");
            ReconcileReport leftovers = driver.reconcile(List.of());
            assertEquals(Set.of(), leftovers.removed(), "after every object was deleted nothing of it may be left behind");
        }

        @Test
        @DisplayName("a VIP set admin down takes the load balancer off the data plane; admin up brings it back")
        public void vipAdminStateDeploysAndUndeploys() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            UUID vipId = pool.vipId().orElseGet(() -> service().getPool(pool.id()).vipId().orElseThrow());
            updated(service().updateVip(vipId, VipUpdate.empty().withAdminStateUp(false)), Status.DISABLED, "VIP admin down");
            assertEquals(Optional.empty(), driver.observe(pool.id()), "a VIP that is admin down runs nothing");
            updated(service().updateVip(vipId, VipUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "VIP admin up");
            assertTrue(driver.observe(pool.id()).isPresent(), "a VIP back to admin up runs again");
        }

        @Test
        @DisplayName("a pool set admin down ends DISABLED and stays deployed; admin up ends ACTIVE")
        public void poolAdminState() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            assertFinalStatus(Status.DISABLED, done(service().updatePool(pool.id(), PoolUpdate.empty().withAdminStateUp(false)),
                    "pool admin down"));
            assertFalse(lastDesired(pool.id()).pool().adminStateUp(), "the driver was told the pool is admin down");
            assertFinalStatus(Status.ACTIVE, done(service().updatePool(pool.id(), PoolUpdate.empty().withAdminStateUp(true)),
                    "pool admin up"));
            assertTrue(driver.observe(pool.id()).isPresent(), "the load balancer runs");
        }
    }

    /** Every driver operation is idempotent. */
    @Nested
    @DisplayName("Every driver operation is idempotent")
    public class Idempotency {

        /** Created by JUnit. */
        public Idempotency() {
        }

        @Test
        @DisplayName("applying the same desired state twice changes nothing the second time")
        public void applyTwice() {
            LoadBalancer lb = shapes.deployable(2);
            assertEquals(Action.DEPLOYED, driver.apply(Optional.empty(), lb).action(), "the first apply of a new load balancer");
            assertEquals(Action.UNCHANGED, driver.apply(Optional.of(lb), lb).action(), "the second apply of the same state");
            assertEquals(memberIds(lb), observedMembers(lb.id()));
        }

        @Test
        @DisplayName("applying an undeployable load balancer twice leaves nothing running (UNCHANGED or UNDEPLOYED)")
        public void undeployableTwice() {
            for (LoadBalancer lb : List.of(Shapes.withoutVip(shapes.deployable(1)), Shapes.withVipDown(shapes.deployable(1)))) {
                for (int i = 0; i < 2; i++) {
                    Action a = driver.apply(i == 0 ? Optional.empty() : Optional.of(lb), lb).action();
                    assertTrue(a == Action.UNCHANGED || a == Action.UNDEPLOYED, "apply #" + (i + 1) + " of "
                            + CheckedDriver.Ledger.describe(lb) + " was " + a);
                    assertEquals(Optional.empty(), driver.observe(lb.id()), "nothing runs for an undeployable load balancer");
                }
            }
        }

        @Test
        @DisplayName("a wrong previous state does not stop the driver from converging on the desired state")
        public void stalePrevious() {
            LoadBalancer first = shapes.deployable(1);
            LoadBalancer second = shapes.withExtraMember(first);
            driver.apply(Optional.empty(), first);
            driver.apply(Optional.empty(), second);
            assertEquals(memberIds(second), observedMembers(first.id()), "told 'nothing ran' while something ran");
            driver.apply(Optional.of(first), second);
            assertEquals(memberIds(second), observedMembers(first.id()), "told an outdated previous state");
            ReconcileReport r = driver.reconcile(List.of(second));
            assertEquals(Set.of(second.id()), r.adopted(), "one instance serving the desired state is adopted: " + r);
        }

        @Test
        @DisplayName("removing twice, or removing what never ran, succeeds")
        public void removeTwice() {
            LoadBalancer lb = shapes.deployable(1);
            driver.apply(Optional.empty(), lb);
            driver.remove(lb.id());
            driver.remove(lb.id());
            UUID never = UUID.randomUUID();
            driver.remove(never);
            assertEquals(Optional.empty(), driver.observe(lb.id()));
            assertEquals(Map.of(), driver.observeAll(List.of(lb.id(), never)), "observeAll leaves out what does not run");
        }

        @Test
        @DisplayName("reconciling the same desired state twice adopts everything the second time")
        public void reconcileTwice() {
            LoadBalancer a = shapes.deployable(1);
            LoadBalancer b = shapes.deployable(2);
            driver.apply(Optional.empty(), a);
            ReconcileReport first = driver.reconcile(List.of(a, b));
            assertEquals(Map.of(), first.failed());
            ReconcileReport second = driver.reconcile(List.of(a, b));
            assertEquals(new ReconcileReport(Set.of(a.id(), b.id()), Set.of(), Set.of(), Map.of()), second,
                    "the second reconcile of the same state");
        }

        @Test
        @DisplayName("re-applying an unchanged load balancer through the service never redeploys it")
        public void emptyUpdatesThroughTheService() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            int before = driver.ledger().applies(pool.id()).size();
            for (int i = 0; i < 2; i++) {
                assertFinalStatus(Status.ACTIVE, done(service().updatePool(pool.id(), PoolUpdate.empty()), "empty pool update"));
                assertFinalStatus(Status.ACTIVE, done(service().retry(pool.id()), "retry"));
            }
            List<CheckedDriver.Apply> again = driver.ledger().applies(pool.id());
            assertTrue(again.size() > before, "the service re-applied the load balancer");
            for (CheckedDriver.Apply a : again.subList(before, again.size())) {
                Action action = a.result().orElseThrow().action();
                assertTrue(EnumSet.of(Action.UNCHANGED, Action.CHANGED_IN_PLACE, Action.RELOADED).contains(action),
                        "re-applying a running load balancer must not deploy or undeploy it, was " + action);
            }
            assertTrue(driver.observe(pool.id()).isPresent());
        }
    }

    /** Updates receive the correct previous and desired states. */
    @Nested
    @DisplayName("Updates receive the correct old and new objects")
    public class OldAndNew {

        /** Created by JUnit. */
        public OldAndNew() {
        }

        @Test
        @DisplayName("the first apply of a pool has no previous state; each later one has the state applied before it")
        public void chainOfPreviousStates() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.1.12", 8080)).outcome();
            done(service().updatePool(pool.id(), PoolUpdate.empty().withName("chained")), "rename pool");
            List<CheckedDriver.Apply> applies = driver.ledger().applies(pool.id());
            assertTrue(applies.size() >= 3, "the service applied the pool, its member and its VIP: " + applies.size());
            assertEquals(Optional.empty(), applies.get(0).previous(), "the first apply of a new pool");
            for (int i = 1; i < applies.size(); i++) {
                if (applies.get(i - 1).succeeded()) {
                    assertEquals(Optional.of(applies.get(i - 1).desired()), applies.get(i).previous(),
                            "apply #" + (i + 1) + " must be told the state of apply #" + i);
                }
            }
            assertTrue(driver.ledger().previousChecks() >= applies.size());
        }

        @Test
        @DisplayName("a new member is in the desired state and not in the previous one")
        public void addedMember() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            Member added = created(service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.1.13", 8080)), "member");
            CheckedDriver.Apply a = firstApplyWhere(pool.id(), x -> x.desired().member(added.id()).isPresent());
            assertTrue(a.previous().orElseThrow().member(added.id()).isEmpty(), "the previous state must not have the new member");
        }

        @Test
        @DisplayName("a changed weight is old in the previous state and new in the desired one")
        public void changedWeight() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            UUID memberId = service().getPool(pool.id()).memberIds().get(0);
            int old = service().getMember(memberId).weight();
            updated(service().updateMember(memberId, MemberUpdate.empty().withWeight(old + 7)), Status.ACTIVE, "weight");
            CheckedDriver.Apply a = firstApplyWhere(pool.id(), x -> x.desired().member(memberId).filter(m -> m.weight() == old + 7).isPresent());
            assertEquals(old, a.previous().orElseThrow().member(memberId).orElseThrow().weight(), "the old weight");
        }

        @Test
        @DisplayName("a changed VIP is old in the previous state and new in the desired one, and a deleted member is gone")
        public void changedVipAndDeletedMember() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            UUID vipId = service().getPool(pool.id()).vipId().orElseThrow();
            int limit = shapes.modestConnectionLimit();
            updated(service().updateVip(vipId, VipUpdate.empty().withConnectionLimit(limit)), Status.ACTIVE, "VIP limit");
            CheckedDriver.Apply a = firstApplyWhere(pool.id(), x -> x.desired().vip().filter(v -> v.connectionLimit() == limit).isPresent());
            assertNotEquals(limit, a.previous().orElseThrow().vip().orElseThrow().connectionLimit(), "the old limit");
            UUID memberId = service().getPool(pool.id()).memberIds().get(0);
            deleted(service().deleteMember(memberId), "member");
            CheckedDriver.Apply d = firstApplyWhere(pool.id(), x -> x.desired().member(memberId).isEmpty()
                    && x.previous().flatMap(p -> p.member(memberId)).isPresent());
            assertTrue(d.desired().members().isEmpty(), "the desired state after the delete: " + d.desired().members());
        }
    }

    /** Statuses end final. */
    @Nested
    @DisplayName("Status transitions end in ACTIVE, DISABLED or ERROR and never stay PENDING")
    public class StatusTransitions {

        /** Created by JUnit. */
        public StatusTransitions() {
        }

        @Test
        @DisplayName("objects created admin down end DISABLED, and the driver reports an admin-down member in maintenance"
                + " (members of a pool that is itself admin down may be hidden)")
        public void adminDownIsDisabled() {
            PoolView pool = done(service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), shapes.protocol(), shapes.method())
                    .withAdminStateUp(false)), "pool admin down");
            assertFinalStatus(Status.DISABLED, pool);
            Member up = created(service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.2.11", 8080)), "member");
            Member down = done(service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.2.12", 8080)
                    .withAdminStateUp(false)), "member admin down");
            assertFinalStatus(Status.DISABLED, down);
            Vip vip = done(service().createVip(vipRequest(pool, SUBNET4).withAdminStateUp(false)), "VIP admin down");
            assertFinalStatus(Status.DISABLED, vip);
            assertEquals(Optional.empty(), driver.observe(pool.id()), "a VIP that is admin down runs nothing");
            updated(service().updateVip(vip.id(), VipUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "VIP admin up");
            Set<UUID> shown = observation(pool.id()).memberHealth().keySet();
            assertTrue(Set.of(up.id(), down.id()).containsAll(shown), "while the pool is admin down a data plane may hide"
                    + " its members, but must not report others: " + shown);
            updated(service().updatePool(pool.id(), PoolUpdate.empty().withAdminStateUp(true)), Status.ACTIVE, "pool admin up");
            assertEquals(MemberHealth.MAINT, health(pool.id(), down.id()), "the admin-down member");
            assertNotEquals(MemberHealth.MAINT, health(pool.id(), up.id()), "the admin-up member");
        }

        @Test
        @DisplayName("a burst of changes to several load balancers all end in a final status")
        public void burst() {
            List<Pending<?>> pending = new ArrayList<>();
            List<UUID> pools = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                PoolView pool = done(service().createPool(PoolCreate.of(TENANT, SUBNET4.id(), shapes.protocol(), shapes.method())),
                        "pool");
                pools.add(pool.id());
                pending.add(service().createVip(vipRequest(pool, SUBNET4)));
                for (int m = 0; m < 4; m++) {
                    pending.add(service().createMember(MemberCreate.of(TENANT, pool.id(), address(10, 96 + p, m), 8080)));
                }
                pending.add(service().updatePool(pool.id(), PoolUpdate.empty().withName("burst-" + p)));
            }
            for (Pending<?> p : pending) {
                assertTrue(p.accepted().toString().contains("PENDING_"), "accepted without a pending status: " + p.accepted());
                await(p.outcome(), "a change in the burst");
            }
            for (UUID id : pools) {
                PoolView view = service().getPool(id);
                assertFinalStatus(Status.ACTIVE, view);
                for (UUID m : view.memberIds()) {
                    assertFinalStatus(Status.ACTIVE, service().getMember(m));
                }
                assertFinalStatus(Status.ACTIVE, service().getVip(view.vipId().orElseThrow()));
                assertEquals(Set.copyOf(view.memberIds()), observedMembers(id), "members the driver reports");
            }
            String pendingLeft = eventually(() -> {
                Map<String, StatusChange> last = new LinkedHashMap<>();
                synchronized (changes) {
                    changes.forEach(c -> last.put(c.kind() + "/" + c.id(), c));
                }
                return last.values().stream().filter(c -> c.current().map(Status::isPending).orElse(false))
                        .map(c -> c.kind() + " " + c.id() + " " + c.current().orElseThrow()).findFirst();
            });
            assertEquals("", pendingLeft, "the last status change the listener heard left an object pending");
        }

        @Test
        @DisplayName("deletes end with the object gone, never pending")
        public void deletesEnd() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            PoolView view = service().getPool(pool.id());
            UUID member = view.memberIds().get(0);
            UUID vip = view.vipId().orElseThrow();
            deleted(service().deleteMember(member), "member");
            assertThrows(NotFoundException.class, () -> service().getMember(member));
            deleted(service().deleteVip(vip), "VIP");
            assertThrows(NotFoundException.class, () -> service().getVip(vip));
            deleted(service().deletePool(pool.id()), "pool");
            assertThrows(NotFoundException.class, () -> service().getPool(pool.id()));
            for (String id : List.of(member.toString(), vip.toString(), pool.id().toString())) {
                String notRemoved = eventually(() -> {
                    synchronized (changes) {
                        return changes.stream().filter(c -> c.id().equals(id)).reduce((a, b) -> b).filter(c -> !c.removed())
                                .map(Object::toString);
                    }
                });
                assertEquals("", notRemoved, "the last status change of " + id + " the listener heard must remove it");
            }
        }
    }

    /** Statistics behave. */
    @Nested
    @DisplayName("Statistics are never negative and only grow between resets")
    public class Statistics {

        /** Created by JUnit. */
        public Statistics() {
        }

        @Test
        @DisplayName("counters never go down across time, member changes and reloads unless a reset is reported")
        public void monotonic(TestReporter reporter) {
            LoadBalancer lb = shapes.deployable(2);
            driver.apply(Optional.empty(), lb);
            Observation previous = observation(lb.id());
            assertNotNegative(previous.stats(), "first observation");
            int resets = 0;
            for (int round = 1; round <= 6; round++) {
                env.clock().advance(Duration.ofSeconds(10));
                String step = "round " + round;
                LoadBalancer before = lb;
                switch (round) {
                    case 2 -> lb = shapes.withExtraMember(lb);
                    case 3 -> lb = Shapes.withMember(lb, 0, b -> b.weight(3));
                    case 4 -> lb = lb.withPool(lb.pool().toBuilder().lbMethod(shapes.otherMethod(lb.pool().lbMethod())
                            .orElse(lb.pool().lbMethod())).build());
                    case 5 -> lb = lb.withVip(lb.vip().map(v -> v.toBuilder().connectionLimit(shapes.modestConnectionLimit()).build()));
                    default -> { }
                }
                if (lb != before) {
                    step += " after " + driver.apply(Optional.of(before), lb).action();
                }
                Observation now = observation(lb.id());
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

        @Test
        @DisplayName("a pool that does not run has no observation, and zero statistics and no health through the service")
        public void notRunning() {
            PoolView pool = createdPool(shapes.protocol(), shapes.method());
            done(service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.3.11", 8080)), "member");
            assertEquals(Optional.empty(), driver.observe(pool.id()));
            assertEquals(PoolStats.ZERO, service().stats(pool.id()));
            assertEquals(Map.of(), service().memberHealth(pool.id()));
        }

        @Test
        @DisplayName("observeAll agrees with observe and leaves out what does not run; counters keep growing across both")
        public void observeAllAgrees() {
            LoadBalancer a = shapes.deployable(1);
            LoadBalancer b = shapes.deployable(3);
            driver.apply(Optional.empty(), a);
            driver.apply(Optional.empty(), b);
            UUID absent = UUID.randomUUID();
            Map<UUID, Observation> first = driver.observeAll(List.of(a.id(), b.id(), absent));
            assertEquals(Set.of(a.id(), b.id()), first.keySet(), "observeAll of two running and one unknown id");
            env.clock().advance(Duration.ofSeconds(5));
            for (LoadBalancer lb : List.of(a, b)) {
                Observation single = observation(lb.id());
                Observation many = first.get(lb.id());
                assertEquals(memberIds(lb), many.memberHealth().keySet(), "members observeAll reports");
                assertEquals(many.memberHealth().keySet(), single.memberHealth().keySet(), "observe and observeAll disagree");
                if (!single.countersReset()) {
                    assertNotBelow(many.stats(), single.stats(), "observe after observeAll");
                }
            }
        }

        @Test
        @DisplayName("statistics through the service are never negative and do not go down")
        public void throughTheService() {
            PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
            PoolStats first = service().stats(pool.id());
            assertNotNegative(first, "first read");
            env.clock().advance(Duration.ofSeconds(30));
            PoolStats second = service().stats(pool.id());
            assertNotNegative(second, "second read");
            assertNotBelow(first, second, "second read through the service");
        }
    }

    /** Reconcile removes exactly the orphans. */
    @Nested
    @DisplayName("Reconcile removes exactly the orphans")
    public class Reconcile {

        /** Created by JUnit. */
        public Reconcile() {
        }

        @Test
        @DisplayName("with A, B and C running, reconciling A and C removes exactly B and adopts A and C")
        public void removesExactlyTheOrphan() {
            LoadBalancer a = shapes.deployable(1);
            LoadBalancer b = shapes.deployable(2);
            LoadBalancer c = shapes.deployable(1);
            for (LoadBalancer lb : List.of(a, b, c)) {
                driver.apply(Optional.empty(), lb);
            }
            ReconcileReport r = driver.reconcile(List.of(a, c));
            assertEquals(Set.of(b.id()), r.removed(), "removed");
            assertEquals(Set.of(a.id(), c.id()), r.adopted(), "adopted (they run and serve their desired state)");
            assertEquals(Set.of(), r.repaired(), "repaired");
            assertEquals(Map.of(), r.failed(), "failed");
            assertTrue(r.succeeded());
            assertEquals(Optional.empty(), driver.observe(b.id()), "the orphan no longer runs");
            assertEquals(memberIds(a), observedMembers(a.id()));
            assertEquals(memberIds(c), observedMembers(c.id()));
        }

        @Test
        @DisplayName("reconcile repairs a load balancer that runs another state and starts one that does not run")
        public void repairsAndStarts() {
            LoadBalancer a = shapes.deployable(1);
            driver.apply(Optional.empty(), a);
            LoadBalancer changed = shapes.withExtraMember(a);
            LoadBalancer missing = shapes.deployable(2);
            ReconcileReport r = driver.reconcile(List.of(changed, missing));
            assertEquals(Set.of(a.id(), missing.id()), r.repaired(), "repaired: " + r);
            assertEquals(Set.of(), r.removed());
            assertEquals(Map.of(), r.failed());
            assertEquals(memberIds(changed), observedMembers(a.id()));
            assertEquals(memberIds(missing), observedMembers(missing.id()));
        }

        @Test
        @DisplayName("reconciling with nothing desired removes everything, and then finds nothing")
        public void nothingDesired() {
            LoadBalancer a = shapes.deployable(1);
            LoadBalancer b = shapes.deployable(1);
            driver.apply(Optional.empty(), a);
            driver.apply(Optional.empty(), b);
            assertEquals(Set.of(a.id(), b.id()), driver.reconcile(List.of()).removed());
            assertEquals(Map.of(), driver.observeAll(List.of(a.id(), b.id())));
            assertEquals(new ReconcileReport(Set.of(), Set.of(), Set.of(), Map.of()), driver.reconcile(List.of()));
        }

        @Test
        @DisplayName("a desired load balancer that is not deployable runs nothing after reconcile, and is neither adopted nor failed")
        public void undeployableDesired() {
            LoadBalancer a = shapes.deployable(1);
            driver.apply(Optional.empty(), a);
            LoadBalancer down = Shapes.withVipDown(a);
            ReconcileReport r = driver.reconcile(List.of(down));
            assertEquals(Optional.empty(), driver.observe(a.id()));
            assertFalse(r.adopted().contains(a.id()), "adopted " + r);
            assertFalse(r.failed().containsKey(a.id()), "failed " + r);
        }
    }

    /** Probe and repair, when the test can crash a load balancer. */
    @Nested
    @DisplayName("Probe reports a crashed load balancer and repair serves it again")
    public class ProbeAndRepair {

        /** Created by JUnit. */
        public ProbeAndRepair() {
        }

        private void crash(UUID poolId) {
            BiConsumer<LoadBalancerDriver, UUID> crash = crasher().orElseThrow();
            crash.accept(driver.delegate(), poolId);
        }

        @BeforeEach
        void needsACrash() {
            Assumptions.assumeTrue(crasher().isPresent(), "the driver's test offers no way to crash a load balancer"
                    + " (override crasher())");
        }

        @Test
        @DisplayName("probe reports nothing while everything runs, and changes nothing")
        public void quietWhileRunning() {
            LoadBalancer a = shapes.deployable(1);
            LoadBalancer b = shapes.deployable(2);
            driver.apply(Optional.empty(), a);
            driver.apply(Optional.empty(), b);
            assertEquals(Map.of(), driver.probe(List.of(a.id(), b.id())), "load balancers that run and serve");
            assertEquals(Map.of(), driver.probe(List.of()), "probing nothing");
            assertEquals(memberIds(a), observedMembers(a.id()));
            assertEquals(memberIds(b), observedMembers(b.id()));
            assertEquals(Map.of(a.id(), Action.UNCHANGED), Map.of(a.id(), driver.apply(Optional.of(a), a).action()),
                    "probing changed what runs");
        }

        @Test
        @DisplayName("after a crash, probe reports exactly the crashed load balancer, with a one-line reason")
        public void reportsTheCrashed() {
            LoadBalancer a = shapes.deployable(1);
            LoadBalancer b = shapes.deployable(1);
            driver.apply(Optional.empty(), a);
            driver.apply(Optional.empty(), b);
            crash(a.id());
            Map<UUID, String> dead = driver.probe(List.of(a.id(), b.id()));
            assertEquals(Set.of(a.id()), dead.keySet(), "reported: " + dead);
            String reason = dead.get(a.id());
            assertFalse(reason == null || reason.isBlank() || reason.contains("\n"), "the reason for the operator: " + reason);
        }

        @Test
        @DisplayName("repair serves a crashed load balancer again; repairing one that runs keeps it serving")
        public void repairServesAgain() {
            LoadBalancer a = shapes.deployable(2);
            LoadBalancer b = shapes.deployable(1);
            driver.apply(Optional.empty(), a);
            driver.apply(Optional.empty(), b);
            crash(a.id());
            assertFalse(driver.repair(a) == null, "repair returned null instead of an ApplyResult");
            assertEquals(Map.of(), driver.probe(List.of(a.id(), b.id())), "after the repair");
            assertEquals(memberIds(a), observedMembers(a.id()));
            Action again = driver.repair(b).action();
            assertTrue(again == Action.UNCHANGED || again == Action.CHANGED_IN_PLACE || again == Action.RELOADED,
                    "repairing a running load balancer must not deploy it anew, was " + again);
            assertEquals(memberIds(b), observedMembers(b.id()));
            assertEquals(Map.of(), driver.probe(List.of(a.id(), b.id())));
        }

        @Test
        @DisplayName("a service with self-healing repairs a crash by itself; the pool stays ACTIVE")
        public void serviceHealsByItself(TestReporter reporter) {
            LoadBalancerService healing = LoadBalancerService.builder().driver(driver.forService())
                    .subnets(SubnetRegistry.of(SUBNET4, SUBNET6)).driverDeadline(DRIVER_DEADLINE).clock(env.clock())
                    .threads(2).selfHealing(Duration.ofMillis(50)).build();
            try {
                PoolView pool = done(healing.createPool(PoolCreate.of(TENANT, SUBNET4.id(), shapes.protocol(), shapes.method())),
                        "create pool");
                done(healing.createMember(MemberCreate.of(TENANT, pool.id(), address(10, 96, 1), 8080)), "create member");
                done(healing.createVip(vipRequest(pool, SUBNET4)), "create VIP");
                long start = System.nanoTime();
                crash(pool.id());
                long until = start + OUTCOME_TIMEOUT.toNanos();
                // the ledger hears of the service's repair once the driver returned from it, so the
                // kit never calls the driver beside the service's call for the same load balancer
                while (driver.ledger().repairs(pool.id()) == 0) {
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
                assertEquals(Map.of(), driver.probe(List.of(pool.id())), "after the service's repair");
                assertEquals(healing.getPool(pool.id()).memberIds().stream().collect(Collectors.toSet()), observedMembers(pool.id()));
                assertFinalStatus(Status.ACTIVE, healing.getPool(pool.id()));
            } finally {
                healing.close();
            }
        }
    }

    /** Errors carry both messages. */
    @Nested
    @DisplayName("Errors carry a message for the tenant and one for the operator")
    public class Errors {

        /** Created by JUnit. */
        public Errors() {
        }

        @Test
        @DisplayName("a load balancer beyond the declared capabilities, handed over directly, is refused with both messages and"
                + " nothing runs")
        public void refusedBeyondCapabilities(TestReporter reporter) {
            Shapes.Beyond beyond = beyond();
            reporter.publishEntry("undeclared feature used", beyond.what());
            DriverException e = refused(() -> driver.apply(Optional.empty(), beyond.lb()), beyond.what());
            assertMessages(e);
            assertEquals(Optional.empty(), driver.observe(beyond.lb().id()), "a refused load balancer must not run");
        }

        @Test
        @DisplayName("a refused change leaves the running load balancer serving its previous state")
        public void refusedChangeKeepsServing() {
            Shapes.Beyond beyond = beyond();
            LoadBalancer base = shapes.deployable(1);
            driver.apply(Optional.empty(), base);
            LoadBalancer bad = transplant(beyond.lb(), base);
            DriverException e = refused(() -> driver.apply(Optional.of(base), bad), beyond.what());
            assertMessages(e);
            assertEquals(memberIds(base), observedMembers(base.id()), "after a refused change the previous state keeps running");
        }

        @TestFactory
        @DisplayName("when the environment fails, a deployment fails with both messages, or succeeds because the driver does"
                + " not depend on it")
        public Stream<DynamicTest> brokenEnvironmentDirectly(TestReporter reporter) {
            return faultSets().map(faults -> DynamicTest.dynamicTest(describe(faults), () -> deployWhileBroken(faults, reporter)));
        }

        private void deployWhileBroken(Set<ConformanceEnvironment.Fault> faults, TestReporter reporter) {
            LoadBalancer lb = shapes.deployable(2);
            env.breakDown(faults);
            Optional<DriverException> failure;
            try {
                driver.apply(Optional.empty(), lb);
                failure = Optional.empty();
            } catch (DriverException e) {
                failure = Optional.of(e);
            }
            int commands = env.shellCallsSinceBreak();
            env.restore();
            if (failure.isPresent()) {
                reporter.publishEntry("variation " + faults, "the driver depends on it and failed cleanly after " + commands
                        + " shell command(s): " + failure.get().tenantMessage());
                assertMessages(failure.get());
                assertTrue(driver.observe(lb.id()).isEmpty() || observedMembers(lb.id()).equals(memberIds(lb)),
                        "a failed deployment must leave nothing half-built");
            } else {
                reporter.publishEntry("variation " + faults, "the driver does not depend on it; it ran " + commands
                        + " shell command(s) while broken");
                assertEquals(memberIds(lb), observedMembers(lb.id()), "a deployment that succeeded must run");
            }
            driver.apply(Optional.empty(), lb);
            assertEquals(memberIds(lb), observedMembers(lb.id()), "once the environment works again the deployment succeeds");
        }

        @TestFactory
        @DisplayName("a change while the environment fails either keeps the previous state running or applies the new one,"
                + " never half of it")
        public Stream<DynamicTest> brokenEnvironmentDuringChange() {
            return faultSets().map(faults -> DynamicTest.dynamicTest(describe(faults), () -> changeWhileBroken(faults)));
        }

        private void changeWhileBroken(Set<ConformanceEnvironment.Fault> faults) {
            LoadBalancer before = shapes.deployable(1);
            driver.apply(Optional.empty(), before);
            LoadBalancer grown = shapes.withExtraMember(before);
            LoadBalancer after = grown.withVip(grown.vip().map(v -> v.toBuilder().connectionLimit(shapes.modestConnectionLimit())
                    .build()));
            env.breakDown(faults);
            try {
                driver.apply(Optional.of(before), after);
            } catch (DriverException e) {
                assertMessages(e);
            } finally {
                env.restore();
            }
            Set<UUID> observed = observedMembers(before.id());
            assertTrue(observed.equals(memberIds(before)) || observed.equals(memberIds(after)),
                    "members running after a failed change: " + observed + "; before " + memberIds(before) + ", after "
                            + memberIds(after));
            driver.apply(Optional.of(before), after);
            assertEquals(memberIds(after), observedMembers(before.id()), "once the environment works again the change applies");
        }

        @Test
        @DisplayName("through the service, a failure ends in ERROR described for the tenant, and a retry after recovery ends ACTIVE")
        public void throughTheService(TestReporter reporter) {
            PoolView pool = createdPool(shapes.protocol(), shapes.method());
            env.breakDown();
            Member member = done(service().createMember(MemberCreate.of(TENANT, pool.id(), "10.93.4.11", 8080)), "member");
            Vip vip = done(service().createVip(vipRequest(pool, SUBNET4)), "VIP");
            List<String> errors = new ArrayList<>();
            for (Object o : List.of(member, vip)) {
                Status s = status(o);
                assertTrue(s == Status.ACTIVE || s == Status.ERROR, "a change while the environment fails ended " + s);
                if (s == Status.ERROR) {
                    String why = statusDescription(o);
                    assertTenantSafe(why, "status description");
                    errors.add(why);
                }
            }
            reporter.publishEntry("variation", errors.isEmpty() ? "the driver does not depend on its environment"
                    : "ERROR: " + errors.get(0));
            env.restore();
            assertFinalStatus(Status.ACTIVE, done(service().retry(pool.id()), "retry after recovery"));
            assertFinalStatus(Status.ACTIVE, service().getVip(vip.id()));
            assertFinalStatus(Status.ACTIVE, service().getMember(member.id()));
            assertEquals(Set.of(member.id()), observedMembers(pool.id()), "after recovery the load balancer runs");
        }
    }

    // =================================================================== helpers

    /**
     * The service over the driver under test, built on first use, without self-healing: the groups
     * call the driver themselves, and the probe-and-repair group builds its own service.
     */
    private LoadBalancerService service() {
        if (service == null) {
            service = LoadBalancerService.builder().driver(driver.forService()).subnets(SubnetRegistry.of(SUBNET4, SUBNET6))
                    .driverDeadline(DRIVER_DEADLINE).clock(env.clock()).listener(changes::add).threads(4)
                    .selfHealing(Duration.ZERO).build();
        }
        return service;
    }

    /** The ways the kit breaks the environment: the shell, the directory, both. */
    private static Stream<Set<ConformanceEnvironment.Fault>> faultSets() {
        return Stream.of(EnumSet.of(ConformanceEnvironment.Fault.SHELL), EnumSet.of(ConformanceEnvironment.Fault.DIRECTORY),
                EnumSet.allOf(ConformanceEnvironment.Fault.class));
    }

    private static String describe(Set<ConformanceEnvironment.Fault> faults) {
        return "broken: " + faults.stream().map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(" and "));
    }

    private Shapes.Beyond beyond() {
        return shapes.beyondCapabilities().orElseGet(() -> fail("the driver declares every feature and no limit the kit can"
                + " exceed (" + shapes.capabilities() + "); every data plane has limits: declare them, at least a"
                + " connection limit below Integer.MAX_VALUE, so that the kit can provoke a refusal"));
    }

    /** The load balancer {@code beyond} carried over to the pool, VIP and subnet ids of {@code base}. */
    private static LoadBalancer transplant(LoadBalancer beyond, LoadBalancer base) {
        org.lbaas.model.Pool pool = beyond.pool().toBuilder().id(base.id()).subnetId(base.pool().subnetId()).build();
        Vip baseVip = base.vip().orElseThrow();
        Optional<Vip> vip = beyond.vip().map(v -> v.toBuilder().id(baseVip.id()).poolId(base.id()).address(baseVip.address())
                .portId(baseVip.portId()).subnetId(baseVip.subnetId()).build());
        List<Member> members = beyond.members().stream().map(m -> m.toBuilder().poolId(base.id()).build()).toList();
        return new LoadBalancer(base.subnet(), pool, vip, members, beyond.healthMonitors());
    }

    private DriverException refused(Executable call, String what) {
        try {
            call.execute();
        } catch (DriverException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("a load balancer with " + what + " (not declared) must be refused with a DriverException,"
                    + " not " + t, t);
        }
        throw new AssertionError("the driver accepted a load balancer with " + what + ", which its capabilities do not declare;"
                + " drivers must not trust their caller: refuse it with a DriverException instead of running something else");
    }

    private void assertMessages(DriverException e) {
        assertTenantSafe(e.tenantMessage(), "tenant message");
        assertFalse(e.operatorMessage() == null || e.operatorMessage().isBlank(), "the operator message is empty");
    }

    private void assertTenantSafe(String message, String what) {
        assertFalse(message == null || message.isBlank(), "the " + what + " is empty");
        assertFalse(message.contains(env.directory().toString()), "the " + what + " names a host path: " + message);
        assertFalse(message.contains(ConformanceEnvironment.INJECTED_FAILURE), "the " + what + " repeats command output: " + message);
        assertFalse(message.contains("Exception"), "the " + what + " shows an exception: " + message);
    }

    private void assertRefused(String path, Executable call) throws Throwable {
        service();
        int before = driver.ledger().allCalls();
        UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class, call);
        assertTrue(e.unsupported().stream().anyMatch(v -> v.path().equals(path)),
                "expected an unsupported feature at " + path + ", got " + e.unsupported());
        assertEquals(before, driver.ledger().allCalls(), "the driver was called for a request the service must refuse first");
    }

    private PoolView createdPool(Protocol protocol, LbMethod method) {
        return createdPool(protocol, method, SUBNET4);
    }

    private PoolView createdPool(Protocol protocol, LbMethod method, Subnet subnet) {
        PoolView pool = done(service().createPool(PoolCreate.of(TENANT, subnet.id(), protocol, method)), "create pool");
        assertFinalStatus(Status.ACTIVE, pool);
        return pool;
    }

    /** Pool, one member and a VIP, through the service; all must end ACTIVE and the driver must run it. */
    private PoolView deployedThroughService(Protocol protocol, LbMethod method, Subnet subnet, Function<VipCreate, VipCreate> vip) {
        PoolView pool = createdPool(protocol, method, subnet);
        int n = serviceMembers++;
        String address = subnet.ipVersion() == 4 ? address(10, 97, n) : "fd00:97::" + Integer.toHexString(n + 16);
        Member m = created(service().createMember(MemberCreate.of(TENANT, pool.id(), address, 8080)), "member");
        created(service().createVip(vip.apply(vipRequest(pool, subnet))), "VIP");
        assertEquals(Set.of(m.id()), observedMembers(pool.id()), "members the driver reports");
        return service().getPool(pool.id());
    }

    private void monitoredThroughService(List<MonitorType> types) {
        PoolView pool = deployedThroughService(shapes.protocol(), shapes.method(), SUBNET4, Function.identity());
        for (MonitorType t : types) {
            HealthMonitorView hm = done(service().createHealthMonitor(monitorRequest(t)), "create " + t + " monitor");
            assertFinalStatus(Status.ACTIVE, done(service().associate(pool.id(), hm.id()), "associate " + t + " monitor"));
        }
        assertEquals(types, lastDesired(pool.id()).healthMonitors().stream().map(m -> m.type()).toList(),
                "monitors the driver was told");
        UUID member = service().getPool(pool.id()).memberIds().get(0);
        assertNotEquals(MemberHealth.NO_MONITOR, health(pool.id(), member), "a member checked by a monitor");
    }

    private static HealthMonitorCreate monitorRequest(MonitorType t) {
        return HealthMonitorCreate.of(TENANT, t, 5, 3, 3);
    }

    private static VipCreate vipRequest(PoolView pool, Subnet subnet) {
        return VipCreate.of(TENANT, subnet.id(), 80, pool.pool().protocol(), pool.id());
    }

    private static SessionPersistence persistence(PersistenceType t) {
        return switch (t) {
            case SOURCE_IP -> SessionPersistence.sourceIp();
            case HTTP_COOKIE -> SessionPersistence.httpCookie();
            case APP_COOKIE -> SessionPersistence.appCookie("JSESSIONID");
        };
    }

    private LoadBalancer everyFeature() {
        LoadBalancer lb = shapes.deployable(3);
        lb = lb.withPool(lb.pool().toBuilder().protocol(Protocol.HTTP).build());
        lb = lb.withVip(lb.vip().map(v -> v.toBuilder().protocol(Protocol.HTTP).sessionPersistence(SessionPersistence.appCookie("SID"))
                .build()));
        return lb.withHealthMonitors(List.of(shapes.monitor(MonitorType.PING), shapes.monitor(MonitorType.HTTPS)));
    }

    /** The desired state of the last apply the service made for the pool and the driver took. */
    private LoadBalancer lastDesired(UUID poolId) {
        List<CheckedDriver.Apply> applies = driver.ledger().applies(poolId);
        for (int i = applies.size() - 1; i >= 0; i--) {
            if (applies.get(i).viaService() && applies.get(i).succeeded()) {
                return applies.get(i).desired();
            }
        }
        throw new AssertionError("the driver never applied pool " + poolId);
    }

    private CheckedDriver.Apply firstApplyWhere(UUID poolId, java.util.function.Predicate<CheckedDriver.Apply> test) {
        return driver.ledger().applies(poolId).stream().filter(CheckedDriver.Apply::viaService).filter(test).findFirst()
                .orElseThrow(() -> new AssertionError("the service never told the driver the change"));
    }

    private Observation observation(UUID poolId) {
        return driver.observe(poolId).orElseThrow(() -> new AssertionError("nothing runs for pool " + poolId
                + " although it was applied and is deployable"));
    }

    private Set<UUID> observedMembers(UUID poolId) {
        return observation(poolId).memberHealth().keySet();
    }

    private MemberHealth health(UUID poolId, UUID memberId) {
        MemberHealth h = observation(poolId).memberHealth().get(memberId);
        if (h == null) {
            throw new AssertionError("the driver reports no health for member " + memberId + " of pool " + poolId);
        }
        return h;
    }

    static Set<UUID> memberIds(LoadBalancer lb) {
        return lb.members().stream().map(Member::id).collect(Collectors.toSet());
    }

    static String address(int a, int b, int i) {
        return a + "." + b + "." + (i / 250) + "." + (i % 250 + 1);
    }

    static void assertNotNegative(PoolStats s, String when) {
        assertTrue(s.bytesIn() >= 0 && s.bytesOut() >= 0 && s.activeConnections() >= 0 && s.totalConnections() >= 0,
                when + ": negative counters " + s);
    }

    static void assertNotBelow(PoolStats before, PoolStats after, String when) {
        assertTrue(after.bytesIn() >= before.bytesIn() && after.bytesOut() >= before.bytesOut()
                        && after.totalConnections() >= before.totalConnections(),
                when + ": counters went down without a reported reset: " + before + " -> " + after);
    }

    private <T> T created(Pending<T> pending, String what) {
        assertEquals(Status.PENDING_CREATE, status(pending.accepted()), what + " must be accepted PENDING_CREATE");
        T done = done(pending, "create " + what);
        assertFinalStatus(Status.ACTIVE, done);
        return done;
    }

    private <T> void updated(Pending<T> pending, Status expected, String what) {
        assertEquals(Status.PENDING_UPDATE, status(pending.accepted()), what + " must be accepted PENDING_UPDATE");
        assertFinalStatus(expected, done(pending, "update " + what));
    }

    private <T> void deleted(Pending<Optional<T>> pending, String what) {
        assertEquals(Status.PENDING_DELETE, status(pending.accepted().orElseThrow()), what + " must be accepted PENDING_DELETE");
        Optional<T> left = done(pending, "delete " + what);
        assertEquals(Optional.empty(), left, "the " + what + " must be gone after its delete, not " + left.map(this::describe));
    }

    private String describe(Object o) {
        return status(o) + " (" + statusDescription(o) + ")";
    }

    private void assertFinalStatus(Status expected, Object o) {
        Status s = status(o);
        assertFalse(s.isPending(), o.getClass().getSimpleName() + " stayed " + s);
        assertEquals(expected, s, o.getClass().getSimpleName() + " ended " + describe(o));
    }

    private static Status status(Object o) {
        if (o instanceof PoolView p) {
            return p.pool().status();
        } else if (o instanceof Member m) {
            return m.status();
        } else if (o instanceof Vip v) {
            return v.status();
        } else if (o instanceof PoolMonitorAssociation a) {
            return a.status();
        }
        throw new IllegalArgumentException("no status on " + o);
    }

    private static String statusDescription(Object o) {
        if (o instanceof PoolView p) {
            return p.pool().statusDescription();
        } else if (o instanceof Member m) {
            return m.statusDescription();
        } else if (o instanceof Vip v) {
            return v.statusDescription();
        } else if (o instanceof PoolMonitorAssociation a) {
            return a.statusDescription();
        }
        throw new IllegalArgumentException("no status on " + o);
    }

    /**
     * Polls a check that returns a problem, or empty when there is none, until there is none or
     * {@link #LISTENER_PATIENCE} has passed (the status listener hears changes on its own thread).
     *
     * @return the problem still seen at the end, or {@code ""}
     */
    private static String eventually(java.util.function.Supplier<Optional<String>> problem) {
        long until = System.nanoTime() + LISTENER_PATIENCE.toNanos();
        while (true) {
            Optional<String> p = problem.get();
            if (p.isEmpty() || System.nanoTime() > until) {
                return p.orElse("");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return p.get();
            }
        }
    }

    private static <T> T done(Pending<T> pending, String what) {
        return await(pending.outcome(), what);
    }

    static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not reach a final status within " + OUTCOME_TIMEOUT.toSeconds()
                    + " s: an object stayed PENDING", e);
        }
    }
}

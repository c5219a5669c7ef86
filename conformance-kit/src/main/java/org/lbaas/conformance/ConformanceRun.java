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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolView;
import org.lbaas.api.StatusChange;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.UnsupportedByDriverException;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
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
 * One rule's run (or one case's) of the {@link DriverConformanceKit}: its {@link ConformanceEnvironment}, the driver
 * under test behind the kit's checks, the load-balancer shapes that fit the driver's
 * capabilities, a {@link LoadBalancerService} over the driver (built on first use), and the
 * helpers the contract groups share. The kit makes one for each rule and each case and hands it
 * to the group's check as a parameter; it is opaque to a vendor, whose only part is the factory
 * method of {@link DriverConformanceKit}.
 */
public final class ConformanceRun {

    /** How long the kit waits for the service to finish one change. */
    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    /** The service's deadline for one driver call. */
    static final Duration DRIVER_DEADLINE = Duration.ofSeconds(30);
    /** How long the kit waits for the status listener to hear a change that already completed. */
    static final Duration LISTENER_PATIENCE = Duration.ofSeconds(10);

    private final ConformanceEnvironment env;
    private final CheckedDriver driver;
    private final Shapes shapes;
    private final Optional<String> providerName;
    private final Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher;
    private final List<StatusChange> changes = Collections.synchronizedList(new ArrayList<>());
    private LoadBalancerService service;
    private int serviceMembers;

    private ConformanceRun(ConformanceEnvironment env, CheckedDriver driver, Optional<String> providerName,
                           Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher) {
        this.env = env;
        this.driver = driver;
        this.shapes = new Shapes(driver.capabilities());
        this.providerName = Objects.requireNonNull(providerName, "providerName() returned null");
        this.crasher = Objects.requireNonNull(crasher, "crasher() returned null");
    }

    /**
     * Creates a fresh environment and the driver under test in it.
     *
     * @param factory the kit's {@code createDriver}
     * @param providerName the kit's {@code providerName()}
     * @param crasher the kit's {@code crasher()}
     */
    static ConformanceRun open(Function<ConformanceEnvironment, LoadBalancerDriver> factory, Optional<String> providerName,
                               Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher) {
        ConformanceEnvironment env = ConformanceEnvironment.create();
        CheckedDriver driver = null;
        try {
            driver = CheckedDriver.wrap(Objects.requireNonNull(factory.apply(env), "createDriver returned null"));
            return new ConformanceRun(env, driver, providerName, crasher);
        } catch (RuntimeException | Error e) {
            // the exception fails the test; what was made for it goes
            try {
                if (driver != null) {
                    driver.close();
                }
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                env.close();
            }
            throw e;
        }
    }

    /** Stops the service, removes what runs, closes the driver and the environment; then reports contract breaches. */
    void close() {
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

    ConformanceEnvironment env() {
        return env;
    }

    /** The kit's view of the driver: calls are recorded, previous states are not checked. */
    CheckedDriver driver() {
        return driver;
    }

    Shapes shapes() {
        return shapes;
    }

    /** The status changes the service's listener heard, in order; synchronize on it to iterate. */
    List<StatusChange> changes() {
        return changes;
    }

    Optional<String> providerName() {
        return providerName;
    }

    Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher() {
        return crasher;
    }

    @Override
    public String toString() {
        return "ConformanceRun[" + env + "]";
    }

    /**
     * The service over the driver under test, built on first use, without self-healing: the groups
     * call the driver themselves, and the probe-and-repair group builds its own service.
     */
    LoadBalancerService service() {
        if (service == null) {
            service = LoadBalancerService.builder().driver(driver.forService()).subnets(SubnetRegistry.of(SUBNET4, SUBNET6))
                    .driverDeadline(DRIVER_DEADLINE).clock(env.clock()).listener(changes::add).threads(4)
                    .selfHealing(Duration.ZERO).build();
        }
        return service;
    }

    Shapes.Beyond beyond() {
        return shapes.beyondCapabilities().orElseGet(() -> fail("the driver declares every feature and no limit the kit can"
                + " exceed (" + shapes.capabilities() + "); every data plane has limits: declare them, at least a"
                + " connection limit below Integer.MAX_VALUE, so that the kit can provoke a refusal"));
    }

    static DriverException refused(Executable call, String what) {
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

    void assertMessages(DriverException e) {
        assertTenantSafe(e.tenantMessage(), "tenant message");
        assertFalse(e.operatorMessage() == null || e.operatorMessage().isBlank(), "the operator message is empty");
    }

    void assertTenantSafe(String message, String what) {
        assertFalse(message == null || message.isBlank(), "the " + what + " is empty");
        assertFalse(message.contains(env.directory().toString()), "the " + what + " names a host path: " + message);
        assertFalse(message.contains(ConformanceEnvironment.INJECTED_FAILURE), "the " + what + " repeats command output: " + message);
        assertFalse(message.contains("Exception"), "the " + what + " shows an exception: " + message);
    }

    void assertRefused(String path, Executable call) throws Throwable {
        service();
        int before = driver.ledger().allCalls();
        UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class, call);
        assertTrue(e.unsupported().stream().anyMatch(v -> v.path().equals(path)),
                "expected an unsupported feature at " + path + ", got " + e.unsupported());
        assertEquals(before, driver.ledger().allCalls(), "the driver was called for a request the service must refuse first");
    }

    PoolView createdPool(Protocol protocol, LbMethod method) {
        return createdPool(protocol, method, SUBNET4);
    }

    PoolView createdPool(Protocol protocol, LbMethod method, Subnet subnet) {
        PoolView pool = done(service().createPool(PoolCreate.of(TENANT, subnet.id(), protocol, method)), "create pool");
        assertFinalStatus(Status.ACTIVE, pool);
        return pool;
    }

    /** Pool, one member and a VIP, through the service; all must end ACTIVE and the driver must run it. */
    PoolView deployedThroughService(Protocol protocol, LbMethod method, Subnet subnet, Function<VipCreate, VipCreate> vip) {
        PoolView pool = createdPool(protocol, method, subnet);
        int n = serviceMembers++;
        String address = subnet.ipVersion() == 4 ? address(10, 97, n) : "fd00:97::" + Integer.toHexString(n + 16);
        Member m = created(service().createMember(MemberCreate.of(TENANT, pool.id(), address, 8080)), "member");
        created(service().createVip(vip.apply(vipRequest(pool, subnet))), "VIP");
        assertEquals(Set.of(m.id()), observedMembers(pool.id()), "members the driver reports");
        return service().getPool(pool.id());
    }

    void monitoredThroughService(List<MonitorType> types) {
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

    /** A new load balancer within the capabilities, with that many members, handed to the driver directly (as new). */
    LoadBalancer deployed(int members) {
        LoadBalancer lb = shapes.deployable(members);
        driver.apply(Optional.empty(), lb);
        return lb;
    }

    static HealthMonitorCreate monitorRequest(MonitorType t) {
        return HealthMonitorCreate.of(TENANT, t, 5, 3, 3);
    }

    static VipCreate vipRequest(PoolView pool, Subnet subnet) {
        return VipCreate.of(TENANT, subnet.id(), 80, pool.pool().protocol(), pool.id());
    }

    static SessionPersistence persistence(PersistenceType t) {
        return switch (t) {
            case SOURCE_IP -> SessionPersistence.sourceIp();
            case HTTP_COOKIE -> SessionPersistence.httpCookie();
            case APP_COOKIE -> SessionPersistence.appCookie("JSESSIONID");
        };
    }

    LoadBalancer everyFeature() {
        LoadBalancer lb = shapes.deployable(3);
        lb = lb.withPool(lb.pool().toBuilder().protocol(Protocol.HTTP).build());
        lb = lb.withVip(lb.vip().map(v -> v.toBuilder().protocol(Protocol.HTTP).sessionPersistence(SessionPersistence.appCookie("SID"))
                .build()));
        return lb.withHealthMonitors(List.of(shapes.monitor(MonitorType.PING), shapes.monitor(MonitorType.HTTPS)));
    }

    /** The desired state of the last apply the service made for the pool and the driver took. */
    LoadBalancer lastDesired(UUID poolId) {
        List<CheckedDriver.Apply> applies = driver.ledger().applies(poolId);
        for (int i = applies.size() - 1; i >= 0; i--) {
            if (applies.get(i).viaService() && applies.get(i).succeeded()) {
                return applies.get(i).desired();
            }
        }
        throw new AssertionError("the driver never applied pool " + poolId);
    }

    CheckedDriver.Apply firstApplyWhere(UUID poolId, Predicate<CheckedDriver.Apply> test) {
        return driver.ledger().applies(poolId).stream().filter(CheckedDriver.Apply::viaService).filter(test).findFirst()
                .orElseThrow(() -> new AssertionError("the service never told the driver the change"));
    }

    Observation observation(UUID poolId) {
        return driver.observe(poolId).orElseThrow(() -> new AssertionError("nothing runs for pool " + poolId
                + " although it was applied and is deployable"));
    }

    Set<UUID> observedMembers(UUID poolId) {
        return observation(poolId).memberHealth().keySet();
    }

    MemberHealth health(UUID poolId, UUID memberId) {
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

    static <T> T created(Pending<T> pending, String what) {
        assertEquals(Status.PENDING_CREATE, status(pending.accepted()), what + " must be accepted PENDING_CREATE");
        T done = done(pending, "create " + what);
        assertFinalStatus(Status.ACTIVE, done);
        return done;
    }

    static <T> void updated(Pending<T> pending, Status expected, String what) {
        assertEquals(Status.PENDING_UPDATE, status(pending.accepted()), what + " must be accepted PENDING_UPDATE");
        assertFinalStatus(expected, done(pending, "update " + what));
    }

    static <T> void deleted(Pending<Optional<T>> pending, String what) {
        assertEquals(Status.PENDING_DELETE, status(pending.accepted().orElseThrow()), what + " must be accepted PENDING_DELETE");
        Optional<T> left = done(pending, "delete " + what);
        assertEquals(Optional.empty(), left, "the " + what + " must be gone after its delete, not " + left.map(ConformanceRun::describe));
    }

    static String describe(Object o) {
        return status(o) + " (" + statusDescription(o) + ")";
    }

    static void assertFinalStatus(Status expected, Object o) {
        Status s = status(o);
        assertFalse(s.isPending(), o.getClass().getSimpleName() + " stayed " + s);
        assertEquals(expected, s, o.getClass().getSimpleName() + " ended " + describe(o));
    }

    static Status status(Object o) {
        return statusOf(o).status();
    }

    static String statusDescription(Object o) {
        return statusOf(o).statusDescription();
    }

    /** The status of a view or model object, and its description. */
    private record StatusOf(Status status, String statusDescription) {
    }

    private static StatusOf statusOf(Object o) {
        if (o instanceof PoolView p) {
            return new StatusOf(p.pool().status(), p.pool().statusDescription());
        } else if (o instanceof Member m) {
            return new StatusOf(m.status(), m.statusDescription());
        } else if (o instanceof Vip v) {
            return new StatusOf(v.status(), v.statusDescription());
        } else if (o instanceof PoolMonitorAssociation a) {
            return new StatusOf(a.status(), a.statusDescription());
        }
        throw new IllegalArgumentException("no status on " + o);
    }

    /**
     * Polls a check that returns a problem, or empty when there is none, until there is none or
     * {@link #LISTENER_PATIENCE} has passed (the status listener hears changes on its own thread).
     *
     * @return the problem still seen at the end, or {@code ""}
     */
    static String eventually(Supplier<Optional<String>> problem) {
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

    static <T> T done(Pending<T> pending, String what) {
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

package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.SUBNET6_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.await;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
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
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;

/** The service's rules, relations, error paths and status lifecycle, over an in-memory driver. */
class LoadBalancerServiceTest {

    FakeDriver driver;
    LoadBalancerService service;
    final List<StatusChange> changes = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        driver = new FakeDriver();
        service = Fixtures.builder(driver).listener(changes::add).build();
    }

    @AfterEach
    void stop() {
        service.close();
        assertEquals(List.of(), driver.overlaps, "the driver was called twice at once for one load balancer");
        assertEquals(List.of(), driver.staleInputs);
    }

    PoolView activePool(Protocol protocol) {
        PoolView p = done(service.createPool(pool(protocol)));
        assertEquals(Status.ACTIVE, p.pool().status());
        return p;
    }

    Member member(UUID poolId, String address, int port) {
        return done(service.createMember(MemberCreate.of(TENANT, poolId, address, port)));
    }

    static Vip vipOf(Pending<Vip> p) {
        return done(p);
    }

    static List<String> paths(List<Violation> violations) {
        return violations.stream().map(Violation::path).toList();
    }

    @Nested
    @DisplayName("pools")
    class Pools {

        @Test
        @DisplayName("a new pool is PENDING_CREATE at once, then ACTIVE, and the driver was told it")
        void createLifecycle() {
            Pending<PoolView> p = service.createPool(pool(Protocol.HTTP).withName("web"));
            assertEquals(Status.PENDING_CREATE, p.accepted().pool().status());
            PoolView done = done(p);
            assertEquals(Status.ACTIVE, done.pool().status());
            assertEquals("web", done.pool().name());
            assertEquals(done.pool().id(), driver.applied.get(done.id()).pool().id());
            assertEquals(done, service.getPool(done.id()));
        }

        @Test
        @DisplayName("a pool created admin down ends DISABLED")
        void adminDownIsDisabled() {
            PoolView p = done(service.createPool(pool(Protocol.TCP).withAdminStateUp(false)));
            assertEquals(Status.DISABLED, p.pool().status());
        }

        @Test
        @DisplayName("model rules are reported all at once with pool paths, and nothing is created")
        void invalidPool() {
            PoolCreate bad = new PoolCreate("bad tenant!", "line\nbreak", "", SUBNET_ID, Protocol.HTTP,
                    LbMethod.ROUND_ROBIN, Optional.of("Upper"), true);
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> service.createPool(bad));
            assertEquals(ObjectKind.POOL, e.kind());
            assertTrue(paths(e.violations()).containsAll(List.of("pool.tenant_id", "pool.name", "pool.provider")),
                    e.violations().toString());
            assertEquals(List.of(), service.listPools());
            assertEquals(0, driver.applies.get());
        }

        @Test
        @DisplayName("an unknown subnet is not found, naming the subnet")
        void unknownSubnet() {
            UUID missing = UUID.randomUUID();
            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> service.createPool(PoolCreate.of(TENANT, missing, Protocol.TCP, LbMethod.ROUND_ROBIN)));
            assertEquals(ObjectKind.SUBNET, e.kind());
            assertEquals(missing.toString(), e.id());
        }

        @Test
        @DisplayName("a provider other than the service's driver is refused; none gets the service's name")
        void provider() {
            try (LoadBalancerService named = Fixtures.builder(new FakeDriver()).providerName("fake").build()) {
                PoolCreate other = new PoolCreate(TENANT, "", "", SUBNET_ID, Protocol.TCP, LbMethod.ROUND_ROBIN,
                        Optional.of("haproxy-ns"), true);
                InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> named.createPool(other));
                assertEquals(List.of("pool.provider"), paths(e.violations()));
                assertEquals("fake", done(named.createPool(pool(Protocol.TCP))).pool().provider());
            }
        }

        @Test
        @DisplayName("an update changes only the fields it names")
        void partialUpdate() {
            PoolView p = done(service.createPool(pool(Protocol.HTTP).withName("keep")));
            Pending<PoolView> u = service.updatePool(p.id(), PoolUpdate.empty().withLbMethod(LbMethod.LEAST_CONNECTIONS));
            assertEquals(Status.PENDING_UPDATE, u.accepted().pool().status());
            PoolView after = done(u);
            assertEquals(Status.ACTIVE, after.pool().status());
            assertEquals("keep", after.pool().name());
            assertEquals(LbMethod.LEAST_CONNECTIONS, after.pool().lbMethod());
            assertEquals(LbMethod.LEAST_CONNECTIONS, driver.applied.get(p.id()).pool().lbMethod());
        }

        @Test
        @DisplayName("updating, deleting or retrying an unknown pool is not found")
        void unknownPool() {
            UUID id = UUID.randomUUID();
            assertEquals(id.toString(), assertThrows(NotFoundException.class, () -> service.getPool(id)).id());
            assertThrows(NotFoundException.class, () -> service.updatePool(id, PoolUpdate.empty()));
            assertThrows(NotFoundException.class, () -> service.deletePool(id));
            assertThrows(NotFoundException.class, () -> service.retry(id));
            assertThrows(NotFoundException.class, () -> service.stats(id));
        }

        @Test
        @DisplayName("a pool is deleted through PENDING_DELETE, with its members and associations, and the driver removes it")
        void delete() {
            PoolView p = activePool(Protocol.TCP);
            Member m = member(p.id(), "192.0.2.10", 80);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 2, 3)));
            done(service.associate(p.id(), hm.id()));
            Pending<Optional<PoolView>> d = service.deletePool(p.id());
            assertEquals(Status.PENDING_DELETE, d.accepted().orElseThrow().pool().status());
            assertEquals(Optional.empty(), done(d));
            assertThrows(NotFoundException.class, () -> service.getPool(p.id()));
            assertThrows(NotFoundException.class, () -> service.getMember(m.id()));
            assertEquals(List.of(), service.getHealthMonitor(hm.id()).pools());
            assertEquals(1, driver.removes.get());
            assertFalse(driver.applied.containsKey(p.id()));
            // the monitor is free again
            assertEquals(Optional.empty(), done(service.deleteHealthMonitor(hm.id())));
        }

        @Test
        @DisplayName("a pool with a VIP is in use and cannot be deleted")
        void inUseByVip() {
            PoolView p = activePool(Protocol.TCP);
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            ConflictException e = assertThrows(ConflictException.class, () -> service.deletePool(p.id()));
            assertEquals(ObjectKind.POOL, e.kind());
            assertTrue(e.getMessage().contains(v.id().toString()), e.getMessage());
            assertEquals(Status.ACTIVE, service.getPool(p.id()).pool().status());
        }

        @Test
        @DisplayName("nothing in a pool can change while it is PENDING_DELETE")
        void invalidStateWhileDeleting() {
            PoolView p = activePool(Protocol.TCP);
            Member m = member(p.id(), "192.0.2.10", 80);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 2, 3)));
            driver.gate = new CountDownLatch(1);
            Pending<Optional<PoolView>> d = service.deletePool(p.id());
            try {
                InvalidStateException e = assertThrows(InvalidStateException.class,
                        () -> service.updatePool(p.id(), PoolUpdate.empty().withName("x")));
                assertEquals(Status.PENDING_DELETE, e.status());
                assertEquals(ObjectKind.POOL, e.kind());
                assertThrows(InvalidStateException.class, () -> service.deletePool(p.id()));
                assertThrows(InvalidStateException.class, () -> service.retry(p.id()));
                assertThrows(InvalidStateException.class,
                        () -> service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.11", 80)));
                assertEquals(ObjectKind.MEMBER, assertThrows(InvalidStateException.class,
                        () -> service.updateMember(m.id(), MemberUpdate.empty().withWeight(3))).kind());
                assertThrows(InvalidStateException.class, () -> service.deleteMember(m.id()));
                assertThrows(InvalidStateException.class, () -> service.associate(p.id(), hm.id()));
                assertThrows(InvalidStateException.class,
                        () -> service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            } finally {
                driver.gate.countDown();
            }
            assertEquals(Optional.empty(), done(d));
        }

        @Test
        @DisplayName("lists filter by tenant")
        void listByTenant() {
            PoolView a = activePool(Protocol.TCP);
            PoolView b = done(service.createPool(PoolCreate.of("tenant-b", SUBNET_ID, Protocol.TCP, LbMethod.SOURCE_IP)));
            assertEquals(List.of(a.id(), b.id()), service.listPools().stream().map(PoolView::id).toList());
            assertEquals(List.of(b.id()), service.listPools("tenant-b").stream().map(PoolView::id).toList());
            member(a.id(), "192.0.2.1", 80);
            done(service.createMember(MemberCreate.of("tenant-b", b.id(), "192.0.2.2", 80)));
            assertEquals(1, service.listMembers("tenant-b").size());
            assertEquals(2, service.listMembers().size());
            assertEquals(List.of(), service.listVips("nobody"));
        }
    }

    @Nested
    @DisplayName("members")
    class Members {

        @Test
        @DisplayName("a member is created PENDING_CREATE, then ACTIVE, and reaches the driver")
        void create() {
            PoolView p = activePool(Protocol.HTTP);
            Pending<Member> m = service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.10", 8080).withWeight(5));
            assertEquals(Status.PENDING_CREATE, m.accepted().status());
            Member done = done(m);
            assertEquals(Status.ACTIVE, done.status());
            assertEquals(5, done.weight());
            // the driver is told the member as it was when the call started: PENDING_CREATE
            assertEquals(List.of(m.accepted()), driver.applied.get(p.id()).members());
            assertEquals(List.of(done.id()), service.getPool(p.id()).memberIds());
        }

        @Test
        @DisplayName("a member admin down ends DISABLED")
        void disabled() {
            PoolView p = activePool(Protocol.HTTP);
            Member m = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.10", 80).withAdminStateUp(false)));
            assertEquals(Status.DISABLED, m.status());
        }

        @Test
        @DisplayName("the same address and port twice in a pool is a conflict")
        void duplicate() {
            PoolView p = activePool(Protocol.HTTP);
            Member first = member(p.id(), "192.0.2.10", 80);
            ConflictException e = assertThrows(ConflictException.class,
                    () -> service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.10", 80)));
            assertEquals(ObjectKind.MEMBER, e.kind());
            assertTrue(e.getMessage().contains(first.id().toString()), e.getMessage());
            member(p.id(), "192.0.2.10", 81);
        }

        @Test
        @DisplayName("model rules and tenant are checked together, with member paths")
        void invalid() {
            PoolView p = activePool(Protocol.HTTP);
            MemberCreate bad = new MemberCreate("tenant-b", p.id(), IpAddresses.parse("127.0.0.1", "address"), 0, 300, true);
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> service.createMember(bad));
            assertEquals(List.of("member.address", "member.protocol_port", "member.weight", "member.tenant_id"),
                    paths(e.violations()));
            assertEquals(List.of(), service.listMembers());
        }

        @Test
        @DisplayName("a member of an unknown pool is not found, naming the pool")
        void unknownPool() {
            UUID id = UUID.randomUUID();
            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> service.createMember(MemberCreate.of(TENANT, id, "192.0.2.1", 80)));
            assertEquals(ObjectKind.POOL, e.kind());
            assertEquals(id.toString(), e.id());
            assertThrows(NotFoundException.class, () -> service.updateMember(id, MemberUpdate.empty()));
            assertEquals(ObjectKind.MEMBER, assertThrows(NotFoundException.class, () -> service.deleteMember(id)).kind());
        }

        @Test
        @DisplayName("an update changes weight and admin state only as asked")
        void update() {
            PoolView p = activePool(Protocol.HTTP);
            Member m = member(p.id(), "192.0.2.10", 80);
            Pending<Member> u = service.updateMember(m.id(), MemberUpdate.empty().withWeight(7));
            assertEquals(Status.PENDING_UPDATE, u.accepted().status());
            Member after = done(u);
            assertEquals(7, after.weight());
            assertTrue(after.adminStateUp());
            assertEquals(Status.DISABLED, done(service.updateMember(m.id(), MemberUpdate.empty().withAdminStateUp(false))).status());
            assertEquals(7, driver.applied.get(p.id()).members().get(0).weight());
        }

        @Test
        @DisplayName("moving a member re-applies both pools")
        void move() {
            PoolView a = activePool(Protocol.HTTP);
            PoolView b = activePool(Protocol.HTTP);
            Member m = member(a.id(), "192.0.2.10", 80);
            driver.gate = new CountDownLatch(1);
            Pending<Member> moved = service.updateMember(m.id(), MemberUpdate.empty().withPoolId(b.id()));
            assertEquals(Status.PENDING_UPDATE, service.getPool(a.id()).pool().status());
            assertEquals(Status.PENDING_UPDATE, service.getMember(m.id()).status());
            driver.gate.countDown();
            Member after = done(moved);
            assertEquals(b.id(), after.poolId());
            assertEquals(Status.ACTIVE, after.status());
            assertEquals(Status.ACTIVE, service.getPool(a.id()).pool().status());
            assertEquals(List.of(), driver.applied.get(a.id()).members());
            assertEquals(List.of(m.id()), driver.applied.get(b.id()).members().stream().map(Member::id).toList());
            assertEquals(List.of(m.id()), service.getPool(b.id()).memberIds());
            assertEquals(List.of(), service.getPool(a.id()).memberIds());
        }

        @Test
        @DisplayName("a move onto an existing address and port, or to another tenant's pool, is refused")
        void moveRefused() {
            PoolView a = activePool(Protocol.HTTP);
            PoolView b = activePool(Protocol.HTTP);
            PoolView other = done(service.createPool(PoolCreate.of("tenant-b", SUBNET_ID, Protocol.HTTP, LbMethod.ROUND_ROBIN)));
            Member m = member(a.id(), "192.0.2.10", 80);
            member(b.id(), "192.0.2.10", 80);
            assertThrows(ConflictException.class, () -> service.updateMember(m.id(), MemberUpdate.empty().withPoolId(b.id())));
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> service.updateMember(m.id(), MemberUpdate.empty().withPoolId(other.id())));
            assertEquals(List.of("member.pool_id"), paths(e.violations()));
            assertThrows(NotFoundException.class,
                    () -> service.updateMember(m.id(), MemberUpdate.empty().withPoolId(UUID.randomUUID())));
            assertEquals(a.id(), service.getMember(m.id()).poolId());
        }

        @Test
        @DisplayName("a deleted member is PENDING_DELETE, then gone from the service and the driver")
        void delete() {
            PoolView p = activePool(Protocol.HTTP);
            Member m = member(p.id(), "192.0.2.10", 80);
            Pending<Optional<Member>> d = service.deleteMember(m.id());
            assertEquals(Status.PENDING_DELETE, d.accepted().orElseThrow().status());
            assertEquals(Optional.empty(), done(d));
            assertThrows(NotFoundException.class, () -> service.getMember(m.id()));
            assertEquals(List.of(), driver.applied.get(p.id()).members());
        }

        @Test
        @DisplayName("more members than the driver carries is unsupported, listing the limit")
        void tooMany() {
            try (LoadBalancerService small = Fixtures.builder(new FakeDriver(Capabilities.everything(1, 1, 100))).build()) {
                PoolView p = done(small.createPool(pool(Protocol.TCP)));
                done(small.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
                UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class,
                        () -> small.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.2", 80)));
                assertEquals(List.of("members"), paths(e.unsupported()));
                assertEquals(1, small.listMembers().size());
            }
        }
    }

    @Nested
    @DisplayName("health monitors")
    class Monitors {

        @Test
        @DisplayName("an HTTP monitor without HTTP fields gets v1's defaults")
        void httpDefaults() {
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.HTTP, 5, 3, 2)));
            assertEquals(Optional.of(HttpCheck.defaults()), hm.monitor().httpCheck());
            assertEquals(hm, service.getHealthMonitor(hm.id()));
            assertEquals(List.of(hm), service.listHealthMonitors(TENANT));
        }

        @Test
        @DisplayName("every broken rule is reported with health_monitor paths")
        void invalid() {
            HealthMonitorCreate bad = HealthMonitorCreate.of(TENANT, MonitorType.HTTP, 2, 5, 11)
                    .withHttp(HttpMethod.GET, "/a b", "204-200");
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> service.createHealthMonitor(bad));
            assertEquals(List.of("health_monitor.expected_codes", "health_monitor.url_path", "health_monitor.timeout",
                    "health_monitor.max_retries"), paths(e.violations()));
            assertEquals(List.of(), service.listHealthMonitors());
        }

        @Test
        @DisplayName("HTTP fields on a TCP monitor are refused")
        void httpFieldsOnTcp() {
            HealthMonitorCreate bad = HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)
                    .withHttp(HttpMethod.GET, "/", "200");
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> service.createHealthMonitor(bad));
            assertEquals(List.of("health_monitor.http_method", "health_monitor.url_path", "health_monitor.expected_codes"),
                    paths(e.violations()));
        }

        @Test
        @DisplayName("a monitor type the driver lacks is unsupported at create")
        void unsupportedType() {
            Capabilities noPing = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                    EnumSet.allOf(PersistenceType.class), EnumSet.of(MonitorType.TCP, MonitorType.HTTP), 10, 2, 100, true);
            try (LoadBalancerService s = Fixtures.builder(new FakeDriver(noPing)).build()) {
                UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class,
                        () -> s.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.PING, 5, 5, 3)));
                assertEquals(List.of("health_monitor.type"), paths(e.unsupported()));
            }
        }

        @Test
        @DisplayName("associating: PENDING_CREATE, then ACTIVE; twice is a conflict; the driver gets the monitor")
        void associate() {
            PoolView p = activePool(Protocol.HTTP);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.HTTP, 5, 3, 2)));
            Pending<PoolMonitorAssociation> a = service.associate(p.id(), hm.id());
            assertEquals(Status.PENDING_CREATE, a.accepted().status());
            assertEquals(Status.ACTIVE, done(a).status());
            assertEquals(List.of(hm.monitor()), driver.applied.get(p.id()).healthMonitors());
            PoolView view = service.getPool(p.id());
            assertEquals(List.of(hm.id()), view.healthMonitorIds());
            assertEquals(Status.ACTIVE, view.healthMonitorsStatus().get(0).status());
            assertEquals(List.of(p.id()), service.getHealthMonitor(hm.id()).pools().stream()
                    .map(PoolMonitorAssociation::poolId).toList());
            ConflictException e = assertThrows(ConflictException.class, () -> service.associate(p.id(), hm.id()));
            assertEquals(ObjectKind.ASSOCIATION, e.kind());
            assertEquals(p.id() + "/" + hm.id(), e.id());
        }

        @Test
        @DisplayName("associating an unknown monitor or pool is not found; another tenant's monitor is invalid")
        void associateRefused() {
            PoolView p = activePool(Protocol.HTTP);
            UUID missing = UUID.randomUUID();
            assertEquals(ObjectKind.HEALTH_MONITOR, assertThrows(NotFoundException.class,
                    () -> service.associate(p.id(), missing)).kind());
            HealthMonitorView other = done(service.createHealthMonitor(HealthMonitorCreate.of("tenant-b", MonitorType.TCP, 5, 5, 3)));
            assertEquals(ObjectKind.POOL, assertThrows(NotFoundException.class,
                    () -> service.associate(missing, other.id())).kind());
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> service.associate(p.id(), other.id()));
            assertEquals(List.of("health_monitor.tenant_id"), paths(e.violations()));
        }

        @Test
        @DisplayName("disassociating removes the association; a missing one is not found")
        void disassociate() {
            PoolView p = activePool(Protocol.HTTP);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
            NotFoundException e = assertThrows(NotFoundException.class, () -> service.disassociate(p.id(), hm.id()));
            assertEquals(ObjectKind.ASSOCIATION, e.kind());
            done(service.associate(p.id(), hm.id()));
            Pending<Optional<PoolMonitorAssociation>> d = service.disassociate(p.id(), hm.id());
            assertEquals(Status.PENDING_DELETE, d.accepted().orElseThrow().status());
            assertEquals(Optional.empty(), done(d));
            assertEquals(List.of(), driver.applied.get(p.id()).healthMonitors());
            assertEquals(List.of(), service.getPool(p.id()).healthMonitorIds());
        }

        @Test
        @DisplayName("a monitor in use cannot be deleted")
        void inUse() {
            PoolView p = activePool(Protocol.HTTP);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
            done(service.associate(p.id(), hm.id()));
            ConflictException e = assertThrows(ConflictException.class, () -> service.deleteHealthMonitor(hm.id()));
            assertEquals(ObjectKind.HEALTH_MONITOR, e.kind());
            assertTrue(e.getMessage().contains(p.id().toString()));
            assertEquals(hm.monitor(), service.getHealthMonitor(hm.id()).monitor());
            assertThrows(NotFoundException.class, () -> service.deleteHealthMonitor(UUID.randomUUID()));
        }

        @Test
        @DisplayName("an update re-applies every associated pool and keeps unnamed fields")
        void updateReappliesPools() {
            PoolView a = activePool(Protocol.HTTP);
            PoolView b = activePool(Protocol.HTTP);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.HTTP, 5, 3, 2)
                    .withHttp(HttpMethod.HEAD, "/health", "200-204")));
            done(service.associate(a.id(), hm.id()));
            done(service.associate(b.id(), hm.id()));
            Pending<HealthMonitorView> u = service.updateHealthMonitor(hm.id(), HealthMonitorUpdate.empty().withTiming(10, 4));
            assertTrue(u.accepted().pools().stream().allMatch(x -> x.status() == Status.PENDING_UPDATE));
            HealthMonitorView after = done(u);
            assertTrue(after.pools().stream().allMatch(x -> x.status() == Status.ACTIVE), after.toString());
            HealthMonitor m = after.monitor();
            assertEquals(10, m.delay());
            assertEquals("/health", m.httpCheck().orElseThrow().urlPath());
            assertEquals(HttpMethod.HEAD, m.httpCheck().orElseThrow().method());
            assertEquals(List.of(m), driver.applied.get(a.id()).healthMonitors());
            assertEquals(List.of(m), driver.applied.get(b.id()).healthMonitors());
        }

        @Test
        @DisplayName("an update breaking delay >= timeout changes nothing")
        void invalidUpdate() {
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> service.updateHealthMonitor(hm.id(), HealthMonitorUpdate.empty().withTiming(1, 5)));
            assertEquals(List.of("health_monitor.timeout"), paths(e.violations()));
            assertEquals(hm.id().toString(), e.id());
            assertThrows(InvalidRequestException.class,
                    () -> service.updateHealthMonitor(hm.id(), HealthMonitorUpdate.empty().withUrlPath("/x")));
            assertEquals(hm.monitor(), service.getHealthMonitor(hm.id()).monitor());
        }

        @Test
        @DisplayName("a monitor admin down makes its associations DISABLED")
        void disabledMonitor() {
            PoolView p = activePool(Protocol.HTTP);
            HealthMonitorView hm = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
            done(service.associate(p.id(), hm.id()));
            HealthMonitorView after = done(service.updateHealthMonitor(hm.id(), HealthMonitorUpdate.empty().withAdminStateUp(false)));
            assertEquals(Status.DISABLED, after.pools().get(0).status());
        }

        @Test
        @DisplayName("more monitors than the driver carries on a pool is unsupported")
        void tooManyMonitors() {
            try (LoadBalancerService s = Fixtures.builder(new FakeDriver(Capabilities.everything(10, 1, 100))).build()) {
                PoolView p = done(s.createPool(pool(Protocol.TCP)));
                HealthMonitorView one = done(s.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
                HealthMonitorView two = done(s.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
                done(s.associate(p.id(), one.id()));
                UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class,
                        () -> s.associate(p.id(), two.id()));
                assertEquals(List.of("health_monitors"), paths(e.unsupported()));
                assertEquals(List.of(one.id()), s.getPool(p.id()).healthMonitorIds());
            }
        }
    }

    @Nested
    @DisplayName("VIPs")
    class Vips {

        @Test
        @DisplayName("without an address, a VIP gets the first free host address that is not the gateway")
        void picksAddress() {
            PoolView a = activePool(Protocol.HTTP);
            PoolView b = activePool(Protocol.HTTP);
            Pending<Vip> v = service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, a.id()));
            assertEquals(Status.PENDING_CREATE, v.accepted().status());
            Vip first = done(v);
            assertEquals("10.0.0.2", IpAddresses.toText(first.address()));
            assertEquals(Status.ACTIVE, first.status());
            assertEquals(Optional.of(first.id()), service.getPool(a.id()).vipId());
            assertTrue(driver.applied.get(a.id()).isDeployable());
            Vip second = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, b.id())));
            assertEquals("10.0.0.3", IpAddresses.toText(second.address()));
            assertEquals(List.of(first, second), service.listVips(TENANT));
        }

        @Test
        @DisplayName("an IPv6 VIP address skips the subnet-router anycast address and the gateway")
        void picksIpv6Address() {
            PoolView a = done(service.createPool(PoolCreate.of(TENANT, SUBNET6_ID, Protocol.TCP, LbMethod.ROUND_ROBIN)));
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET6_ID, 443, Protocol.TCP, a.id())));
            assertEquals("2001:db8::2", IpAddresses.toText(v.address()));
        }

        @Test
        @DisplayName("an address in use by another VIP on the subnet is a conflict")
        void addressInUse() throws Exception {
            PoolView a = activePool(Protocol.TCP);
            PoolView b = activePool(Protocol.TCP);
            InetAddress addr = InetAddress.getByName("10.0.0.50");
            Vip first = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, a.id()).withAddress(addr)));
            ConflictException e = assertThrows(ConflictException.class,
                    () -> service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, b.id()).withAddress(addr)));
            assertTrue(e.getMessage().contains(first.id().toString()));
            assertEquals(Optional.empty(), service.getPool(b.id()).vipId());
        }

        @Test
        @DisplayName("the gateway, a foreign address, a protocol mismatch and cookies on TCP are invalid")
        void invalid() throws Exception {
            PoolView tcp = activePool(Protocol.TCP);
            InvalidRequestException gw = assertThrows(InvalidRequestException.class, () -> service.createVip(
                    VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, tcp.id()).withAddress(InetAddress.getByName("10.0.0.1"))));
            assertEquals(List.of("vip.address"), paths(gw.violations()));
            InvalidRequestException outside = assertThrows(InvalidRequestException.class, () -> service.createVip(
                    VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, tcp.id()).withAddress(InetAddress.getByName("10.9.0.5"))));
            assertEquals(List.of("vip.address"), paths(outside.violations()));
            InvalidRequestException mismatch = assertThrows(InvalidRequestException.class, () -> service.createVip(
                    VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, tcp.id()).withSessionPersistence(SessionPersistence.httpCookie())));
            assertEquals(List.of("vip.protocol"), paths(mismatch.violations()));
            InvalidRequestException cookies = assertThrows(InvalidRequestException.class, () -> service.createVip(
                    VipCreate.of(TENANT, SUBNET_ID, 0, Protocol.TCP, tcp.id()).withSessionPersistence(SessionPersistence.httpCookie())
                            .withConnectionLimit(-2)));
            assertEquals(List.of("vip.protocol_port", "vip.connection_limit", "vip.session_persistence.type"),
                    paths(cookies.violations()));
            assertEquals(List.of(), service.listVips());
        }

        @Test
        @DisplayName("one VIP per pool; an unknown subnet is not found")
        void onePerPool() {
            PoolView p = activePool(Protocol.TCP);
            vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            assertEquals(ObjectKind.VIP, assertThrows(ConflictException.class,
                    () -> service.createVip(VipCreate.of(TENANT, SUBNET_ID, 81, Protocol.TCP, p.id()))).kind());
            assertEquals(ObjectKind.SUBNET, assertThrows(NotFoundException.class,
                    () -> service.createVip(VipCreate.of(TENANT, UUID.randomUUID(), 81, Protocol.TCP, p.id()))).kind());
        }

        @Test
        @DisplayName("an update that does not mention session persistence keeps it; an explicit clear removes it")
        void persistenceKept() {
            PoolView p = activePool(Protocol.HTTP);
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, p.id())
                    .withSessionPersistence(SessionPersistence.appCookie("JSESSIONID"))));
            Vip renamed = done(service.updateVip(v.id(), VipUpdate.empty().withName("renamed").withConnectionLimit(100)));
            assertEquals(Optional.of(SessionPersistence.appCookie("JSESSIONID")), renamed.sessionPersistence());
            assertEquals("renamed", renamed.name());
            assertEquals(100, renamed.connectionLimit());
            assertEquals(renamed.sessionPersistence(), driver.applied.get(p.id()).vip().orElseThrow().sessionPersistence());
            Vip set = done(service.updateVip(v.id(), VipUpdate.empty().withSessionPersistence(SessionPersistence.sourceIp())));
            assertEquals(Optional.of(SessionPersistence.sourceIp()), set.sessionPersistence());
            Vip cleared = done(service.updateVip(v.id(), VipUpdate.empty().withoutSessionPersistence()));
            assertEquals(Optional.empty(), cleared.sessionPersistence());
            assertEquals("renamed", cleared.name());
            assertEquals(Optional.empty(), driver.applied.get(p.id()).vip().orElseThrow().sessionPersistence());
        }

        @Test
        @DisplayName("a VIP admin down is DISABLED and the driver gets a non-deployable load balancer")
        void adminDown() {
            PoolView p = activePool(Protocol.TCP);
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            Vip down = done(service.updateVip(v.id(), VipUpdate.empty().withAdminStateUp(false)));
            assertEquals(Status.DISABLED, down.status());
            assertFalse(driver.applied.get(p.id()).isDeployable());
        }

        @Test
        @DisplayName("a persistence type the driver lacks is unsupported")
        void unsupportedPersistence() {
            Capabilities noCookies = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                    EnumSet.of(PersistenceType.SOURCE_IP), EnumSet.allOf(MonitorType.class), 10, 2, 100, true);
            try (LoadBalancerService s = Fixtures.builder(new FakeDriver(noCookies)).build()) {
                PoolView p = done(s.createPool(pool(Protocol.HTTP)));
                UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class, () -> s.createVip(
                        VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, p.id()).withSessionPersistence(SessionPersistence.httpCookie())));
                assertEquals(List.of("vip.session_persistence.type"), paths(e.unsupported()));
                Vip v = done(s.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, p.id())));
                assertThrows(UnsupportedByDriverException.class,
                        () -> s.updateVip(v.id(), VipUpdate.empty().withConnectionLimit(101)));
                assertEquals(Vip.UNLIMITED, s.getVip(v.id()).connectionLimit());
            }
        }

        @Test
        @DisplayName("moving a VIP to another pool deploys that pool and undeploys the first")
        void move() {
            PoolView a = activePool(Protocol.TCP);
            PoolView b = activePool(Protocol.TCP);
            PoolView http = activePool(Protocol.HTTP);
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, a.id())));
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> service.updateVip(v.id(), VipUpdate.empty().withPoolId(http.id())));
            assertEquals(List.of("vip.pool_id"), paths(e.violations()));
            Vip moved = done(service.updateVip(v.id(), VipUpdate.empty().withPoolId(b.id())));
            assertEquals(b.id(), moved.poolId());
            assertEquals(Status.ACTIVE, moved.status());
            assertFalse(driver.applied.get(a.id()).isDeployable());
            assertTrue(driver.applied.get(b.id()).isDeployable());
            assertEquals(Optional.empty(), service.getPool(a.id()).vipId());
            assertEquals(Status.ACTIVE, service.getPool(a.id()).pool().status());
            assertEquals(Optional.empty(), done(service.deletePool(a.id())));
        }

        @Test
        @DisplayName("moving a VIP to another tenant's pool is refused at vip.pool_id, naming both tenants; it stays put")
        void moveToAnotherTenantRefused() {
            PoolView a = activePool(Protocol.TCP);
            PoolView other = done(service.createPool(PoolCreate.of("tenant-b", SUBNET_ID, Protocol.TCP, LbMethod.ROUND_ROBIN)));
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, a.id())));
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> service.updateVip(v.id(), VipUpdate.empty().withPoolId(other.id())));
            assertEquals(List.of("vip.pool_id"), paths(e.violations()));
            String rule = e.violations().get(0).rule();
            assertEquals("must be a pool of tenant " + TENANT + ", not of tenant-b", rule);
            assertEquals(a.id(), service.getVip(v.id()).poolId());
            assertEquals(Optional.of(v.id()), service.getPool(a.id()).vipId());
        }

        @Test
        @DisplayName("a deleted VIP is gone and its address is free again")
        void delete() {
            PoolView p = activePool(Protocol.TCP);
            Vip v = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            driver.gate = new CountDownLatch(1);
            Pending<Optional<Vip>> d = service.deleteVip(v.id());
            assertEquals(Status.PENDING_DELETE, d.accepted().orElseThrow().status());
            assertEquals(ObjectKind.VIP, assertThrows(InvalidStateException.class,
                    () -> service.updateVip(v.id(), VipUpdate.empty())).kind());
            assertThrows(InvalidStateException.class, () -> service.deleteVip(v.id()));
            driver.gate.countDown();
            assertEquals(Optional.empty(), done(d));
            assertThrows(NotFoundException.class, () -> service.getVip(v.id()));
            assertFalse(driver.applied.get(p.id()).isDeployable());
            Vip again = vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            assertEquals(v.address(), again.address());
        }
    }

    @Nested
    @DisplayName("statistics")
    class Stats {

        @Test
        @DisplayName("a pool that is not deployed has zero counters and no member health")
        void notDeployed() {
            PoolView p = activePool(Protocol.TCP);
            assertEquals(PoolStats.ZERO, service.stats(p.id()));
            assertEquals(Map.of(), service.memberHealth(p.id()));
        }

        @Test
        @DisplayName("a deployed pool reports what the driver observes")
        void deployed() {
            PoolView p = activePool(Protocol.TCP);
            Member m = member(p.id(), "192.0.2.1", 80);
            vipOf(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.TCP, p.id())));
            PoolStats stats = new PoolStats(10, 20, 1, 3);
            driver.observations.put(p.id(), new Observation(stats, Map.of(m.id(), MemberHealth.DOWN), false));
            assertEquals(stats, service.stats(p.id()));
            assertEquals(Map.of(m.id(), MemberHealth.DOWN), service.memberHealth(p.id()));
        }
    }

    @Nested
    @DisplayName("driver failures")
    class Failures {

        @Test
        @DisplayName("a failing apply ends in ERROR with the tenant message; an empty update retries it")
        void errorThenRetryByUpdate() {
            PoolView p = activePool(Protocol.TCP);
            driver.failure = lb -> new DriverException("backend unreachable", "ssh to host-7 failed: connection refused", true);
            Member m = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
            assertEquals(Status.ERROR, m.status());
            assertEquals("backend unreachable", m.statusDescription());
            assertEquals(Status.ACTIVE, service.getPool(p.id()).pool().status(), "only the changed object goes to ERROR");
            driver.failure = lb -> null;
            Pending<Member> retried = service.updateMember(m.id(), MemberUpdate.empty());
            assertEquals(Status.PENDING_UPDATE, retried.accepted().status());
            Member ok = done(retried);
            assertEquals(Status.ACTIVE, ok.status());
            assertEquals("", ok.statusDescription());
        }

        @Test
        @DisplayName("retry(pool) re-applies every object in ERROR")
        void retryPool() {
            PoolView p = activePool(Protocol.TCP);
            driver.failure = lb -> new DriverException("try later", "busy", true);
            Member m1 = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
            PoolView errored = done(service.updatePool(p.id(), PoolUpdate.empty().withName("x")));
            assertEquals(Status.ERROR, m1.status());
            assertEquals(Status.ERROR, errored.pool().status());
            driver.failure = lb -> null;
            PoolView retried = done(service.retry(p.id()));
            assertEquals(Status.ACTIVE, retried.pool().status());
            assertEquals(Status.ACTIVE, service.getMember(m1.id()).status());
            assertEquals(List.of(m1.id()), driver.applied.get(p.id()).members().stream().map(Member::id).toList());
        }

        @Test
        @DisplayName("a failing delete leaves the object in ERROR; deleting again succeeds")
        void failingDelete() {
            PoolView p = activePool(Protocol.TCP);
            Member m = member(p.id(), "192.0.2.1", 80);
            driver.failure = lb -> new DriverException("cannot reload", "haproxy -c failed", false);
            Optional<Member> left = done(service.deleteMember(m.id()));
            assertEquals(Status.ERROR, left.orElseThrow().status());
            assertEquals(Status.ERROR, service.getMember(m.id()).status());
            Optional<PoolView> pool = done(service.deletePool(p.id()));
            assertEquals(Status.ERROR, pool.orElseThrow().pool().status());
            driver.failure = lb -> null;
            assertEquals(Optional.empty(), done(service.deleteMember(m.id())));
            assertEquals(Optional.empty(), done(service.deletePool(p.id())));
        }

        @Test
        @DisplayName("an unexpected exception from the driver is an ERROR too, without its internals")
        void unexpected() {
            PoolView p = activePool(Protocol.TCP);
            driver.failure = lb -> new IllegalStateException("/var/lib/secret path");
            Member m = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
            assertEquals(Status.ERROR, m.status());
            assertFalse(m.statusDescription().contains("/var/lib"), m.statusDescription());
        }
    }

    @Nested
    @DisplayName("status changes")
    class Listening {

        @Test
        @DisplayName("the listener hears every transition of an object, in order")
        void transitions() throws Exception {
            PoolView p = activePool(Protocol.TCP);
            Member m = member(p.id(), "192.0.2.1", 80);
            done(service.deleteMember(m.id()));
            service.close();
            List<String> forMember;
            synchronized (changes) {
                forMember = changes.stream().filter(c -> c.id().equals(m.id().toString()))
                        .map(c -> c.previous().map(Status::name).orElse("new") + ">" + c.current().map(Status::name).orElse("gone"))
                        .toList();
            }
            assertEquals(List.of("new>PENDING_CREATE", "PENDING_CREATE>ACTIVE", "ACTIVE>PENDING_DELETE",
                    "PENDING_DELETE>gone"), forMember);
            assertTrue(changes.stream().allMatch(c -> c.loadBalancerId().equals(p.id())));
        }
    }

    @Test
    @DisplayName("the driver is told the load balancer as the service holds it, without objects being deleted")
    void desiredState() {
        PoolView p = activePool(Protocol.HTTP);
        Member keep = member(p.id(), "192.0.2.1", 80);
        Member gone = member(p.id(), "192.0.2.2", 80);
        driver.gate = new CountDownLatch(1);
        Pending<Optional<Member>> d = service.deleteMember(gone.id());
        LoadBalancer lb = service.loadBalancer(p.id());
        assertEquals(List.of(keep.id()), lb.members().stream().map(Member::id).toList());
        driver.gate.countDown();
        done(d);
        assertEquals(List.of(keep.id()), driver.applied.get(p.id()).members().stream().map(Member::id).toList());
    }

    @Test
    @DisplayName("a closed service refuses calls")
    void closed() {
        service.close();
        assertThrows(IllegalStateException.class, () -> service.createPool(pool(Protocol.TCP)));
        await(java.util.concurrent.CompletableFuture.completedStage(1));
    }
}

package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/** Creates that name their id: taken ids conflict, repeats of the same create are idempotent. */
class CallerChosenIdsTest {

    static final UUID POOL = UUID.fromString("a3f1c2d4-0000-4000-8000-000000000001");
    static final UUID MEMBER = UUID.fromString("11111111-0000-4000-8000-000000000001");
    static final UUID MONITOR = UUID.fromString("e1f2a3b4-0000-4000-8000-000000000001");
    static final UUID VIP = UUID.fromString("c7d8e9f0-0000-4000-8000-000000000001");

    FakeDriver driver;
    LoadBalancerService service;

    @BeforeEach
    void start() {
        driver = new FakeDriver();
        service = Fixtures.builder(driver).build();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    PoolCreate poolCreate() {
        return pool(Protocol.HTTP).withName("web").withId(POOL);
    }

    MemberCreate memberCreate() {
        return MemberCreate.of(TENANT, POOL, "10.0.0.11", 8080).withWeight(3).withId(MEMBER);
    }

    HealthMonitorCreate monitorCreate() {
        return HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 2, 3).withId(MONITOR);
    }

    VipCreate vipCreate() {
        return VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, POOL).withAddress(IpAddresses.parse("10.0.0.10", "a"))
                .withId(VIP);
    }

    @Test
    @DisplayName("every kind keeps the id the caller chose")
    void idsAreKept() {
        assertEquals(POOL, done(service.createPool(poolCreate())).id());
        assertEquals(MEMBER, done(service.createMember(memberCreate())).id());
        assertEquals(MONITOR, done(service.createHealthMonitor(monitorCreate())).id());
        Vip v = done(service.createVip(vipCreate()));
        assertEquals(VIP, v.id());
        assertEquals(POOL, service.getVip(VIP).poolId());
        assertEquals(MEMBER, service.getMember(MEMBER).id());
    }

    @Test
    @DisplayName("a create without an id still gets a fresh one")
    void noIdGetsFresh() {
        PoolView a = done(service.createPool(pool(Protocol.HTTP)));
        PoolView b = done(service.createPool(pool(Protocol.HTTP)));
        assertFalse(a.id().equals(b.id()));
    }

    @Nested
    @DisplayName("a repeat of the same create")
    class Repeats {

        @Test
        @DisplayName("answers the existing objects and creates nothing")
        void idempotent() {
            done(service.createPool(poolCreate()));
            done(service.createMember(memberCreate()));
            done(service.createHealthMonitor(monitorCreate()));
            Vip first = done(service.createVip(vipCreate()));
            int applies = driver.applies.get();

            PoolView p = done(service.createPool(poolCreate()));
            assertEquals(POOL, p.id());
            assertEquals(Status.ACTIVE, p.pool().status());
            assertEquals(MEMBER, done(service.createMember(memberCreate())).id());
            assertEquals(MONITOR, done(service.createHealthMonitor(monitorCreate())).id());
            assertEquals(first, done(service.createVip(vipCreate())));
            assertEquals(1, service.listPools().size());
            assertEquals(1, service.listMembers().size());
            assertEquals(1, service.listHealthMonitors().size());
            assertEquals(1, service.listVips().size());
            assertEquals(applies, driver.applies.get(), "a repeat calls the driver");
        }

        @Test
        @DisplayName("of a VIP without an address matches whatever address the service picked")
        void vipWithoutAddress() {
            done(service.createPool(poolCreate()));
            VipCreate noAddress = VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, POOL).withId(VIP);
            Vip a = done(service.createVip(noAddress));
            assertEquals(a, done(service.createVip(noAddress)));
        }
    }

    @Nested
    @DisplayName("a taken id is refused with a conflict naming the kind and the id")
    class Taken {

        @Test
        @DisplayName("pool: one attribute differs")
        void poolDiffers() {
            done(service.createPool(poolCreate()));
            ConflictException e = assertThrows(ConflictException.class,
                    () -> service.createPool(poolCreate().withName("other")));
            assertEquals(ObjectKind.POOL, e.kind());
            assertTrue(e.getMessage().contains("pool id " + POOL + " is taken"), e.getMessage());
            assertTrue(e.getMessage().contains("name (web here, other asked)"), e.getMessage());
            assertEquals(1, service.listPools().size());
        }

        @Test
        @DisplayName("pool: the same id in another tenant, without naming that tenant's attributes")
        void otherTenant() {
            done(service.createPool(poolCreate()));
            PoolCreate other = new PoolCreate("tenant-b", "web", "", SUBNET_ID, Protocol.HTTP,
                    poolCreate().lbMethod(), java.util.Optional.empty(), true).withId(POOL);
            ConflictException e = assertThrows(ConflictException.class, () -> service.createPool(other));
            assertTrue(e.getMessage().contains("unique across tenants"), e.getMessage());
            assertFalse(e.getMessage().contains(TENANT), e.getMessage());
        }

        @Test
        @DisplayName("member: other weight, or the same id in another pool")
        void member() {
            done(service.createPool(poolCreate()));
            done(service.createMember(memberCreate()));
            ConflictException e = assertThrows(ConflictException.class,
                    () -> service.createMember(memberCreate().withWeight(4)));
            assertEquals(ObjectKind.MEMBER, e.kind());
            assertEquals(MEMBER.toString(), e.id());
            assertTrue(e.getMessage().contains("weight (3 here, 4 asked)"), e.getMessage());
            PoolView second = done(service.createPool(pool(Protocol.HTTP)));
            ConflictException moved = assertThrows(ConflictException.class, () -> service.createMember(
                    MemberCreate.of(TENANT, second.id(), "10.0.0.11", 8080).withWeight(3).withId(MEMBER)));
            assertTrue(moved.getMessage().contains("pool_id"), moved.getMessage());
            assertEquals(0, service.getPool(second.id()).memberIds().size());
        }

        @Test
        @DisplayName("member: after an update the original create no longer repeats")
        void memberUpdated() {
            done(service.createPool(poolCreate()));
            done(service.createMember(memberCreate()));
            done(service.updateMember(MEMBER, MemberUpdate.empty().withWeight(7)));
            assertThrows(ConflictException.class, () -> service.createMember(memberCreate()));
        }

        @Test
        @DisplayName("health monitor: other delay")
        void monitor() {
            done(service.createHealthMonitor(monitorCreate()));
            ConflictException e = assertThrows(ConflictException.class, () -> service.createHealthMonitor(
                    HealthMonitorCreate.of(TENANT, MonitorType.TCP, 6, 2, 3).withId(MONITOR)));
            assertEquals(ObjectKind.HEALTH_MONITOR, e.kind());
            assertTrue(e.getMessage().contains("delay (5 here, 6 asked)"), e.getMessage());
        }

        @Test
        @DisplayName("VIP: other port, or the id of another pool's VIP")
        void vip() {
            done(service.createPool(poolCreate()));
            done(service.createVip(vipCreate()));
            ConflictException e = assertThrows(ConflictException.class, () -> service.createVip(
                    VipCreate.of(TENANT, SUBNET_ID, 81, Protocol.HTTP, POOL).withAddress(IpAddresses.parse("10.0.0.10", "a"))
                            .withId(VIP)));
            assertEquals(ObjectKind.VIP, e.kind());
            assertTrue(e.getMessage().contains("protocol_port (80 here, 81 asked)"), e.getMessage());
            PoolView second = done(service.createPool(pool(Protocol.HTTP)));
            assertThrows(ConflictException.class, () -> service.createVip(
                    VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, second.id()).withId(VIP)));
            assertTrue(service.getPool(second.id()).vipId().isEmpty());
        }
    }

    @Test
    @DisplayName("caller-chosen ids survive a restart over the same repository")
    void durable() {
        Repository repo = Repository.inMemory();
        service.close();
        service = Fixtures.builder(driver).repository(repo).build();
        done(service.createPool(poolCreate()));
        done(service.createMember(memberCreate()));
        service.close();
        service = Fixtures.builder(driver).repository(repo).build();
        assertEquals(MEMBER, done(service.createMember(memberCreate())).id());
        assertEquals(1, service.listMembers().size());
    }
}

package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET;
import static org.lbaas.api.Fixtures.SUBNET6;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The instance addresses a driver declares ({@link Capabilities#instanceAddresses()}): allocated
 * with each VIP from its subnet, kept with it (also across restarts), released with it, never a
 * VIP's or a member's address.
 */
class InstanceAddressesServiceTest {

    /** 10.1.0.0/29 with gateway 10.1.0.1: five free host addresses, 10.1.0.2 to 10.1.0.6. */
    static final Subnet SMALL = Subnet.of(UUID.fromString("9a1f3b2c-0000-4000-8000-000000000029"), "10.1.0.0/29",
            "10.1.0.1");

    @TempDir
    Path dir;

    private static FakeDriver driver(int instanceAddresses) {
        return new FakeDriver(Capabilities.everything(1_000, 10, 1_000_000).withInstanceAddresses(instanceAddresses));
    }

    private static LoadBalancerService.Builder builder(FakeDriver driver) {
        return Fixtures.builder(driver).subnets(SubnetRegistry.of(SUBNET, SUBNET6, SMALL));
    }

    private static List<InetAddress> ips(String... literals) {
        return Arrays.stream(literals).map(a -> IpAddresses.parse(a, "test")).toList();
    }

    private static InetAddress ip(String literal) {
        return IpAddresses.parse(literal, "test");
    }

    private static Vip vip(LoadBalancerService s, UUID poolId, UUID subnetId) {
        return done(s.createVip(VipCreate.of(TENANT, subnetId, 80, Protocol.HTTP, poolId)));
    }

    @Nested
    @DisplayName("a driver that declares two instance addresses")
    class Allocation {

        @Test
        @DisplayName("gets with each VIP two distinct addresses of its subnet, the first free ones after the VIP's")
        void vipCreateAllocatesTwo() {
            FakeDriver d = driver(2);
            try (LoadBalancerService s = builder(d).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                Vip va = vip(s, a.id(), SUBNET_ID);
                assertEquals(ip("10.0.0.2"), va.address());
                assertEquals(ips("10.0.0.3", "10.0.0.4"), s.loadBalancer(a.id()).instanceAddresses());
                assertEquals(ips("10.0.0.3", "10.0.0.4"), d.applied.get(a.id()).instanceAddresses());
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                Vip vb = vip(s, b.id(), SUBNET_ID);
                assertEquals(ip("10.0.0.5"), vb.address());
                assertEquals(ips("10.0.0.6", "10.0.0.7"), d.applied.get(b.id()).instanceAddresses());
            }
        }

        @Test
        @DisplayName("a pool without a VIP has none, and a driver that declares none gets none")
        void noneWithoutVipOrDeclaration() {
            try (LoadBalancerService s = builder(driver(2)).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                assertEquals(List.of(), s.loadBalancer(a.id()).instanceAddresses());
            }
            FakeDriver none = driver(0);
            try (LoadBalancerService s = builder(none).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                vip(s, a.id(), SUBNET_ID);
                assertEquals(List.of(), none.applied.get(a.id()).instanceAddresses());
            }
        }

        @Test
        @DisplayName("automatic choice skips members' addresses, for the VIP and for the instances")
        void membersAreSkipped() {
            try (LoadBalancerService s = builder(driver(2)).build()) {
                PoolView other = done(s.createPool(pool(Protocol.HTTP)));
                done(s.createMember(MemberCreate.of(TENANT, other.id(), "10.0.0.2", 80)));
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                done(s.createMember(MemberCreate.of(TENANT, a.id(), "10.0.0.4", 80)));
                Vip v = vip(s, a.id(), SUBNET_ID);
                assertEquals(ip("10.0.0.3"), v.address());
                assertEquals(ips("10.0.0.5", "10.0.0.6"), s.loadBalancer(a.id()).instanceAddresses());
            }
        }

        @Test
        @DisplayName("a subnet with too few free addresses refuses the VIP, naming the subnet and the count needed")
        void exhaustion() {
            try (LoadBalancerService s = builder(driver(2)).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                vip(s, a.id(), SMALL.id());
                assertEquals(ips("10.1.0.3", "10.1.0.4"), s.loadBalancer(a.id()).instanceAddresses());
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                ConflictException e = assertThrows(ConflictException.class, () -> vip(s, b.id(), SMALL.id()));
                assertEquals(ConflictException.Reason.NO_FREE_ADDRESS, e.reason());
                assertEquals("subnet " + SMALL.id() + " (10.1.0.0/29) has too few free addresses: the driver needs 2 "
                        + "addresses for its instances besides the vip's, and 1 is free", e.getMessage());
                assertEquals(Optional.empty(), s.getPool(b.id()).vipId());
                assertEquals(1, s.listVips().size());
            }
        }

        @Test
        @DisplayName("a requested VIP address that is an instance address is in use, like another VIP's")
        void requestedVipAddressCollides() {
            try (LoadBalancerService s = builder(driver(2)).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                Vip va = vip(s, a.id(), SUBNET_ID);
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                ConflictException e = assertThrows(ConflictException.class, () -> s.createVip(
                        VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, b.id()).withAddress(ip("10.0.0.4"))));
                assertEquals(ConflictException.Reason.ADDRESS_IN_USE, e.reason());
                assertEquals("address 10.0.0.4 on subnet " + SUBNET_ID + " is in use by instance 1 of the load balancer of pool "
                        + a.id() + " (vip " + va.id() + ")", e.getMessage());
                assertEquals("address 10.0.0.4 on subnet " + SUBNET_ID + " is in use by a load balancer instance",
                        e.messageWithoutConflicting());
                assertEquals(va.id().toString(), e.conflicting().orElseThrow().id());
                ConflictException vipTaken = assertThrows(ConflictException.class, () -> s.createVip(
                        VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, b.id()).withAddress(ip("10.0.0.2"))));
                assertEquals(ConflictException.Reason.ADDRESS_IN_USE, vipTaken.reason());
                assertTrue(vipTaken.getMessage().endsWith("by vip " + va.id()), vipTaken.getMessage());
                Vip vb = done(s.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, b.id()).withAddress(ip("10.0.0.9"))));
                assertEquals(ip("10.0.0.9"), vb.address());
                assertEquals(ips("10.0.0.5", "10.0.0.6"), s.loadBalancer(b.id()).instanceAddresses());
            }
        }
    }

    @Nested
    @DisplayName("a member")
    class Members {

        @Test
        @DisplayName("with an instance address of its pool is refused on create and on a move into the pool")
        void memberRefused() {
            try (LoadBalancerService s = builder(driver(2)).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                Vip va = vip(s, a.id(), SUBNET_ID);
                ConflictException e = assertThrows(ConflictException.class,
                        () -> s.createMember(MemberCreate.of(TENANT, a.id(), "10.0.0.3", 8080)));
                assertEquals(ConflictException.Reason.ADDRESS_IN_USE, e.reason());
                String rule = "address 10.0.0.3 is reserved for load balancer instance 0 of pool " + a.id()
                        + " and cannot be a member address";
                assertEquals(rule + " (it was allocated with vip " + va.id() + ")", e.getMessage());
                assertEquals(rule, e.messageWithoutConflicting());
                assertEquals(ObjectKind.MEMBER, e.kind());
                assertTrue(s.listMembers().isEmpty());
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                org.lbaas.model.Member m = done(s.createMember(MemberCreate.of(TENANT, b.id(), "10.0.0.4", 8080)));
                ConflictException moved = assertThrows(ConflictException.class,
                        () -> s.updateMember(m.id(), MemberUpdate.empty().withPoolId(a.id())));
                assertTrue(moved.getMessage().startsWith("address 10.0.0.4 is reserved for load balancer instance 1 of pool "
                        + a.id()), moved.getMessage());
                assertEquals(b.id(), s.getMember(m.id()).poolId());
            }
        }
    }

    @Nested
    @DisplayName("the addresses")
    class Lifetime {

        @Test
        @DisplayName("are released when the VIP is deleted: the driver is told none, and a new VIP gets them again")
        void releasedOnVipDelete() {
            FakeDriver d = driver(2);
            try (LoadBalancerService s = builder(d).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                Vip va = vip(s, a.id(), SUBNET_ID);
                done(s.deleteVip(va.id()));
                LoadBalancer undeployed = d.applied.get(a.id());
                assertEquals(Optional.empty(), undeployed.vip());
                assertEquals(List.of(), undeployed.instanceAddresses());
                assertEquals(List.of(), s.loadBalancer(a.id()).instanceAddresses());
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                Vip vb = done(s.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, b.id()).withAddress(ip("10.0.0.3"))));
                assertEquals(ip("10.0.0.3"), vb.address());
                assertEquals(ips("10.0.0.2", "10.0.0.4"), d.applied.get(b.id()).instanceAddresses());
                done(s.createMember(MemberCreate.of(TENANT, a.id(), "10.0.0.4", 80)));
            }
        }

        @Test
        @DisplayName("move with the VIP to another pool")
        void moveWithTheVip() {
            FakeDriver d = driver(2);
            try (LoadBalancerService s = builder(d).build()) {
                PoolView a = done(s.createPool(pool(Protocol.HTTP)));
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                Vip va = vip(s, a.id(), SUBNET_ID);
                done(s.updateVip(va.id(), VipUpdate.empty().withPoolId(b.id())));
                assertEquals(ips("10.0.0.3", "10.0.0.4"), d.applied.get(b.id()).instanceAddresses());
                assertEquals(List.of(), s.loadBalancer(a.id()).instanceAddresses());
                assertEquals(List.of(), d.applied.get(a.id()).instanceAddresses());
            }
        }

        @Test
        @DisplayName("survive a restart on a file store, are written there and are reconciled with")
        void persistedAcrossRestart() throws IOException {
            UUID poolId;
            try (LoadBalancerService s = builder(driver(2)).repository(Repository.fileStore(dir)).build()) {
                poolId = done(s.createPool(pool(Protocol.HTTP))).id();
                vip(s, poolId, SUBNET_ID);
            }
            String stored = Files.readString(dir.resolve("pool-" + poolId + ".json"), StandardCharsets.UTF_8);
            assertTrue(stored.contains("\"format\" : 3"), stored);
            assertTrue(stored.contains("\"instance_addresses\" : [ \"10.0.0.3\", \"10.0.0.4\" ]"), stored);
            FakeDriver second = driver(2);
            try (LoadBalancerService s = builder(second).repository(Repository.fileStore(dir)).build()) {
                assertEquals(ips("10.0.0.3", "10.0.0.4"), s.loadBalancer(poolId).instanceAddresses());
                assertEquals(ips("10.0.0.3", "10.0.0.4"),
                        second.reconciles.get(0).iterator().next().instanceAddresses());
                assertEquals(0, second.applies.get());
                PoolView b = done(s.createPool(pool(Protocol.HTTP)));
                ConflictException e = assertThrows(ConflictException.class, () -> s.createVip(
                        VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, b.id()).withAddress(ip("10.0.0.3"))));
                assertEquals(ConflictException.Reason.ADDRESS_IN_USE, e.reason());
            }
        }

        @Test
        @DisplayName("follow the driver's declaration at start-up: missing ones are allocated, surplus ones dropped from the end")
        void fittedAtStartUp() {
            Repository repo = Repository.inMemory();
            UUID poolId;
            try (LoadBalancerService s = builder(driver(0)).repository(repo).build()) {
                poolId = done(s.createPool(pool(Protocol.HTTP))).id();
                vip(s, poolId, SUBNET_ID);
                PoolView other = done(s.createPool(pool(Protocol.HTTP)));
                done(s.createMember(MemberCreate.of(TENANT, other.id(), "10.0.0.3", 80)));
            }
            assertEquals(List.of(), stored(repo, poolId).instanceAddresses());
            FakeDriver two = driver(2);
            try (LoadBalancerService s = builder(two).repository(repo).build()) {
                assertEquals(ips("10.0.0.4", "10.0.0.5"), s.loadBalancer(poolId).instanceAddresses());
                assertEquals(ips("10.0.0.4", "10.0.0.5"), two.reconciles.get(0).stream()
                        .filter(lb -> lb.id().equals(poolId)).findFirst().orElseThrow().instanceAddresses());
            }
            assertEquals(ips("10.0.0.4", "10.0.0.5"), stored(repo, poolId).instanceAddresses());
            try (LoadBalancerService s = builder(driver(1)).repository(repo).build()) {
                assertEquals(ips("10.0.0.4"), s.loadBalancer(poolId).instanceAddresses());
            }
            assertEquals(ips("10.0.0.4"), stored(repo, poolId).instanceAddresses());
        }

        @Test
        @DisplayName("a subnet that runs out at start-up leaves a VIP with fewer, and its changes are refused naming them")
        void tooFewAtStartUp() {
            Repository repo = Repository.inMemory();
            UUID a;
            UUID b;
            try (LoadBalancerService s = builder(driver(0)).repository(repo).build()) {
                a = done(s.createPool(pool(Protocol.HTTP))).id();
                b = done(s.createPool(pool(Protocol.HTTP))).id();
                vip(s, a, SMALL.id());
                vip(s, b, SMALL.id());
            }
            try (LoadBalancerService s = builder(driver(2)).repository(repo).build()) {
                assertEquals(ips("10.1.0.4", "10.1.0.5"), s.loadBalancer(a).instanceAddresses());
                assertEquals(ips("10.1.0.6"), s.loadBalancer(b).instanceAddresses());
                UnsupportedByDriverException e = assertThrows(UnsupportedByDriverException.class,
                        () -> s.createMember(MemberCreate.of(TENANT, b, "192.0.2.1", 80)));
                assertEquals(List.of("instance_addresses"), e.unsupported().stream().map(v -> v.path()).toList());
                assertTrue(e.getMessage().contains("this driver needs 2 instance addresses with a VIP"), e.getMessage());
                done(s.createMember(MemberCreate.of(TENANT, a, "192.0.2.1", 80)));
            }
        }

        @Test
        @DisplayName("are allocated at start-up for the VIPs of a format-2 store, which has none, and written as format 3")
        void olderStoreFormatGetsAddresses() throws IOException {
            for (String name : StoreCompatibilityTest.FILES) {
                try (InputStream in = getClass().getResourceAsStream("/store-format-2/" + name)) {
                    Files.write(dir.resolve(name), in.readAllBytes());
                }
            }
            FakeDriver d = driver(2);
            try (LoadBalancerService s = builder(d).repository(Repository.fileStore(dir)).build()) {
                // IPv6 /64 with gateway ::1 and the VIP at ::5: the first free are ::2 and ::3
                assertEquals(ips("2001:db8:1::2", "2001:db8:1::3"), s.loadBalancer(StoreFixtures.RICH_POOL).instanceAddresses());
                // 192.0.2.0/24 without gateway, VIP .100; 192.0.2.10 and .20 are members (of both pools)
                assertEquals(ips("192.0.2.1", "192.0.2.2"), s.loadBalancer(StoreFixtures.TCP_POOL).instanceAddresses());
                assertEquals(List.of(), s.loadBalancer(StoreFixtures.BARE_POOL).instanceAddresses());
                Fixtures.eventually("the pending VIP settles", Duration.ofSeconds(10),
                        () -> !s.getPool(StoreFixtures.RICH_POOL).pool().status().isPending());
            }
            String rich = Files.readString(dir.resolve("pool-" + StoreFixtures.RICH_POOL + ".json"), StandardCharsets.UTF_8);
            assertTrue(rich.contains("\"format\" : 3"), rich);
            assertEquals(ips("2001:db8:1::2", "2001:db8:1::3"),
                    stored(Repository.fileStore(dir), StoreFixtures.RICH_POOL).instanceAddresses());
            assertFalse(Files.readString(dir.resolve("pool-" + StoreFixtures.BARE_POOL + ".json"), StandardCharsets.UTF_8)
                    .contains("instance_addresses"));
        }

        private static StoredLoadBalancer stored(Repository repo, UUID poolId) {
            return repo.load().loadBalancers().stream().filter(lb -> lb.id().equals(poolId)).findFirst().orElseThrow();
        }
    }
}

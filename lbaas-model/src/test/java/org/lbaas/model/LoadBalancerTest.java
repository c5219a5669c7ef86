package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.POOL_ID;
import static org.lbaas.model.Fixtures.SUBNET_ID;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.loadBalancer;
import static org.lbaas.model.Fixtures.member;
import static org.lbaas.model.Fixtures.monitor;
import static org.lbaas.model.Fixtures.pool;
import static org.lbaas.model.Fixtures.subnet;
import static org.lbaas.model.Fixtures.subnet6;
import static org.lbaas.model.Fixtures.uuid;
import static org.lbaas.model.Fixtures.vip;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoadBalancerTest {

    private static LoadBalancer on(Subnet subnet, String vipAddress) {
        return new LoadBalancer(subnet, pool().build(), Optional.of(vip().address(vipAddress).build()), List.of(), List.of());
    }

    @Test
    void aCompleteLoadBalancerIsValid() {
        LoadBalancer lb = loadBalancer(vip().sessionPersistence(SessionPersistence.appCookie("SID")).build(),
                List.of(member(1).build(), member(2).build(), member(3).weight(0).build()),
                List.of(monitor(1).build(), monitor(2).type(MonitorType.HTTP).adminStateUp(false).build()));
        assertEquals(POOL_ID, lb.id());
        assertTrue(lb.isDeployable());
        assertEquals(List.of(lb.healthMonitors().get(0)), lb.activeMonitors());
        assertEquals(Optional.of(lb.members().get(1)), lb.member(uuid(2)));
        assertEquals(Optional.empty(), lb.member(uuid(99)));
    }

    @Test
    void aPoolAloneIsValidButNotDeployable() {
        LoadBalancer lb = LoadBalancer.of(subnet(), pool().build());
        assertFalse(lb.isDeployable());
        assertEquals(List.of(), lb.members());
        assertFalse(lb.withVip(Optional.of(vip().adminStateUp(false).build())).isDeployable());
    }

    @Test
    void aNullMemberOrMonitorIsAViolationNotANullPointerException() {
        List<Member> members = new java.util.ArrayList<>();
        members.add(member(1).build());
        members.add(null);
        List<HealthMonitor> monitors = new java.util.ArrayList<>();
        monitors.add(null);
        ValidationException e = assertThrows(ValidationException.class,
                () -> new LoadBalancer(subnet(), pool().build(), Optional.empty(), members, monitors));
        assertEquals(List.of("members[1]", "health_monitors[0]"), Fixtures.paths(e));
        assertTrue(e.violations().get(0).rule().contains("required"), e.getMessage());
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<Member> members = new java.util.ArrayList<>(List.of(member(1).build()));
        LoadBalancer lb = loadBalancer(null, members, List.of());
        members.add(member(2).build());
        assertEquals(1, lb.members().size());
        assertThrows(UnsupportedOperationException.class, () -> lb.members().add(member(3).build()));
    }

    @Test
    void requiredPartsAreReportedTogether() {
        ValidationException e = assertThrows(ValidationException.class, () -> new LoadBalancer(null, null, null, null, null));
        assertEquals(List.of("subnet", "pool", "members", "health_monitors"), Fixtures.paths(e));
    }

    @Nested
    class TheVip {

        @Test
        void mustBelongToThePool() {
            Violation v = assertOnlyViolation(() -> loadBalancer(vip().poolId(uuid(77)).build(), List.of(), List.of()),
                    "vip.pool_id", "must be the pool's id");
            assertEquals(uuid(77).toString(), v.rejectedValue());
        }

        @ParameterizedTest
        @ValueSource(strings = {"TCP", "HTTPS"})
        void mustHaveThePoolsProtocol(Protocol protocol) {
            assertOnlyViolation(() -> loadBalancer(vip().protocol(protocol).build(), List.of(), List.of()),
                    "vip.protocol", "must equal the pool's protocol HTTP");
        }

        @Test
        void mustHaveThePoolsTenant() {
            assertOnlyViolation(() -> loadBalancer(vip().tenantId("tenant-b").build(), List.of(), List.of()),
                    "vip.tenant_id", "must be the pool's tenant tenant-a");
        }

        @Test
        void mustBeOnTheSubnet() {
            assertOnlyViolation(() -> loadBalancer(vip().subnetId(uuid(5)).build(), List.of(), List.of()),
                    "vip.subnet_id", "must be the subnet's id " + SUBNET_ID);
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.0.2", "10.0.0.10", "10.0.0.254"})
        void addressInsideTheSubnetIsAccepted(String address) {
            assertEquals(Fixtures.ip(address), on(subnet(), address).vip().orElseThrow().address());
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.1.10", "9.255.255.255", "192.0.2.1", "2001:db8:1::10"})
        void addressOutsideTheSubnetOrOfTheOtherFamilyIsRejected(String address) {
            assertOnlyViolation(() -> on(subnet(), address), "vip.address", "must lie inside the subnet 10.0.0.0/24");
        }

        @Test
        void addressMustNotBeTheGateway() {
            assertOnlyViolation(() -> on(subnet(), "10.0.0.1"), "vip.address", "gateway");
            assertOnlyViolation(() -> on(subnet6(), "2001:db8:1::1"), "vip.address", "gateway");
        }

        @Test
        void addressMustNotBeTheIpv4NetworkOrBroadcastAddress() {
            assertOnlyViolation(() -> on(subnet(), "10.0.0.0"), "vip.address", "network address");
            assertOnlyViolation(() -> on(subnet(), "10.0.0.255"), "vip.address", "broadcast address");
            Subnet tiny = Subnet.of(SUBNET_ID, "10.0.0.0/30", null);
            assertOnlyViolation(() -> on(tiny, "10.0.0.3"), "vip.address", "broadcast");
            assertEquals(Fixtures.ip("10.0.0.2"), on(tiny, "10.0.0.2").vip().orElseThrow().address());
        }

        @ParameterizedTest(name = "{0} holds {1}")
        @CsvSource({"10.0.0.0/31,10.0.0.0", "10.0.0.0/31,10.0.0.1", "10.0.0.5/32,10.0.0.5", "2001:db8::/127,2001:db8::",
                "2001:db8::/128,2001:db8::"})
        void pointToPointSubnetsUseEveryAddress(String cidr, String address) {
            Subnet subnet = Subnet.of(SUBNET_ID, cidr, null);
            assertEquals(Fixtures.ip(address), on(subnet, address).vip().orElseThrow().address());
        }

        @Test
        void ipv6AddressMustNotBeTheSubnetRouterAnycastAddress() {
            assertOnlyViolation(() -> on(subnet6(), "2001:db8:1::"), "vip.address", "anycast");
            assertOnlyViolation(() -> on(subnet6(), "2001:db8:1:0:0:0:0:0"), "vip.address", "anycast");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2001:db8:1::2", "2001:db8:1::ffff:ffff:ffff:ffff", "2001:0db8:0001:0000::00aa"})
        void ipv6AddressesInsideTheSubnetAreAccepted(String address) {
            assertEquals(Fixtures.ip(address), on(subnet6(), address).vip().orElseThrow().address());
        }

        @Test
        void ipv6VipOnIpv4SubnetIsOutside() {
            assertOnlyViolation(() -> on(subnet6(), "10.0.0.10"), "vip.address", "inside the subnet 2001:db8:1::/64");
        }
    }

    @Nested
    class TheMembers {

        @Test
        void sameAddressOnAnotherPortAndSamePortOnAnotherAddressAreFine() {
            LoadBalancer lb = loadBalancer(null, List.of(member(1).build(), member(2).address("192.168.1.1").protocolPort(8081).build(),
                    member(3).protocolPort(8080).build()), List.of());
            assertEquals(3, lb.members().size());
        }

        @ParameterizedTest(name = "{0} and {1}")
        @CsvSource({"192.168.1.1,192.168.1.1", "2001:db8::1,2001:0db8:0:0::1", "2001:db8::a,2001:DB8:0:0:0:0:0:A",
                "192.168.1.1,::ffff:192.168.1.1"})
        void duplicateAddressAndPortIsRejectedWhateverTheSpelling(String first, String second) {
            Violation v = assertOnlyViolation(() -> loadBalancer(null,
                    List.of(member(1).address(first).build(), member(2).address(second).build()), List.of()),
                    "members[1].address", "must be unique in the pool");
            Fixtures.assertRuleMentions(v, "already members[0]");
        }

        @Test
        void mustBelongToThePool() {
            assertOnlyViolation(() -> loadBalancer(null, List.of(member(1).poolId(uuid(66)).build()), List.of()),
                    "members[0].pool_id", "must be the pool's id");
        }

        @Test
        void mustHaveThePoolsTenant() {
            assertOnlyViolation(() -> loadBalancer(null, List.of(member(1).build(), member(2).tenantId("other").build()),
                    List.of()), "members[1].tenant_id", "must be the pool's tenant");
        }

        @Test
        void idsAreUnique() {
            assertOnlyViolation(() -> loadBalancer(null, List.of(member(1).build(), member(1).address("192.168.1.2").build()),
                    List.of()), "members[1].id", "unique");
        }
    }

    @Nested
    class TheMonitors {

        @Test
        void idsAreUnique() {
            assertOnlyViolation(() -> loadBalancer(null, List.of(), List.of(monitor(1).build(), monitor(1).build())),
                    "health_monitors[1].id", "associated with a pool once");
        }

        @Test
        void mustHaveThePoolsTenant() {
            assertOnlyViolation(() -> loadBalancer(null, List.of(), List.of(monitor(1).tenantId("t2").build())),
                    "health_monitors[0].tenant_id", "must be the pool's tenant");
        }
    }

    @Test
    void crossObjectViolationsAreAllReportedAtOnce() {
        ValidationException e = assertThrows(ValidationException.class, () -> loadBalancer(
                vip().protocol(Protocol.TCP).address("10.0.0.1").build(),
                List.of(member(1).build(), member(2).tenantId("x").build(), member(3).address("192.168.1.1").build()),
                List.of(monitor(1).tenantId("y").build())));
        assertEquals(List.of("vip.protocol", "vip.address", "members[1].tenant_id", "members[2].address",
                "health_monitors[0].tenant_id"), Fixtures.paths(e));
        assertTrue(e.getMessage().startsWith("5 violations:"), e.getMessage());
    }

    @Test
    void withersValidateTheResult() {
        LoadBalancer lb = loadBalancer(vip().build(), List.of(member(1).build()), List.of());
        assertEquals(2, lb.withMembers(List.of(member(1).build(), member(2).build())).members().size());
        assertOnlyViolation(() -> lb.withMembers(List.of(member(1).build(), member(2).address("192.168.1.1").build())),
                "members[1].address", "unique");
        assertOnlyViolation(() -> lb.withPool(pool().protocol(Protocol.TCP).build()), "vip.protocol", "protocol");
        assertOnlyViolation(() -> lb.withHealthMonitors(List.of(monitor(1).tenantId("z").build())),
                "health_monitors[0].tenant_id", "tenant");
        assertEquals(Optional.empty(), lb.withVip(Optional.empty()).vip());
    }
}

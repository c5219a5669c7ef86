package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.ip;
import static org.lbaas.model.Fixtures.loadBalancer;
import static org.lbaas.model.Fixtures.member;
import static org.lbaas.model.Fixtures.monitor;
import static org.lbaas.model.Fixtures.pool;
import static org.lbaas.model.Fixtures.subnet;
import static org.lbaas.model.Fixtures.subnet6;
import static org.lbaas.model.Fixtures.vip;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@link LoadBalancer#instanceAddresses()}. */
class InstanceAddressesTest {

    private static List<InetAddress> ips(String... literals) {
        return Arrays.stream(literals).map(Fixtures::ip).toList();
    }

    /** How a violation shows a rejected string. */
    private static String quoted(String text) {
        return '"' + text + '"';
    }

    private static LoadBalancer withVip(String... instance) {
        return loadBalancer(vip().build(), List.of(member(1).build()), List.of()).withInstanceAddresses(ips(instance));
    }

    @Test
    @DisplayName("addresses on the subnet, distinct from each other, the VIP and the members are kept in order")
    void validAddressesAreKeptInOrder() {
        LoadBalancer lb = withVip("10.0.0.12", "10.0.0.11");
        assertEquals(ips("10.0.0.12", "10.0.0.11"), lb.instanceAddresses());
        LoadBalancer v6 = new LoadBalancer(subnet6(), pool().build(), Optional.of(vip().address("2001:db8:1::10").build()),
                List.of(), List.of(), ips("2001:db8:1::11", "2001:db8:1::12"));
        assertEquals(2, v6.instanceAddresses().size());
    }

    @Test
    @DisplayName("the five-part constructor and of() give no instance addresses; every with-method keeps them")
    void withersCarryTheAddresses() {
        assertEquals(List.of(), loadBalancer(vip().build(), List.of(), List.of()).instanceAddresses());
        assertEquals(List.of(), LoadBalancer.of(subnet(), pool().build()).instanceAddresses());
        LoadBalancer lb = withVip("10.0.0.11", "10.0.0.12");
        List<InetAddress> want = ips("10.0.0.11", "10.0.0.12");
        assertEquals(want, lb.withVip(Optional.of(vip().name("x").build())).instanceAddresses());
        assertEquals(want, lb.withMembers(List.of()).instanceAddresses());
        assertEquals(want, lb.withPool(pool().name("p").build()).instanceAddresses());
        assertEquals(want, lb.withHealthMonitors(List.of(monitor(1).build())).instanceAddresses());
        assertEquals(List.of(), lb.withInstanceAddresses(List.of()).instanceAddresses());
    }

    @Test
    @DisplayName("instance addresses without a VIP are allowed (the service keeps them only while the VIP exists)")
    void allowedWithoutVip() {
        LoadBalancer lb = loadBalancer(null, List.of(), List.of()).withInstanceAddresses(ips("10.0.0.11"));
        assertEquals(ips("10.0.0.11"), lb.instanceAddresses());
    }

    @Test
    void theListIsCopiedAndImmutable() {
        List<InetAddress> given = new ArrayList<>(ips("10.0.0.11"));
        LoadBalancer lb = loadBalancer(null, List.of(), List.of()).withInstanceAddresses(given);
        given.add(ip("10.0.0.12"));
        assertEquals(1, lb.instanceAddresses().size());
        assertThrows(UnsupportedOperationException.class, () -> lb.instanceAddresses().add(ip("10.0.0.13")));
    }

    @Test
    void aNullListOrElementIsAViolation() {
        LoadBalancer base = loadBalancer(null, List.of(), List.of());
        assertOnlyViolation(() -> base.withInstanceAddresses(null), "instance_addresses", "required");
        List<InetAddress> withNull = new ArrayList<>();
        withNull.add(ip("10.0.0.11"));
        withNull.add(null);
        assertOnlyViolation(() -> base.withInstanceAddresses(withNull), "instance_addresses[1]", "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "224.0.0.5", "255.255.255.255", "fe80::1", "::"})
    void mustBeAUsableUnicastAddress(String address) {
        Violation v = assertOnlyViolation(() -> withVip("10.0.0.11", address), "instance_addresses[1]", "unicast");
        assertEquals(quoted(IpAddresses.toText(ip(address))), v.rejectedValue());
    }

    @Test
    void mustLieInsideTheSubnet() {
        Violation v = assertOnlyViolation(() -> withVip("10.0.1.11"), "instance_addresses[0]",
                "must lie inside the subnet 10.0.0.0/24");
        assertEquals(quoted("10.0.1.11"), v.rejectedValue());
        assertOnlyViolation(() -> withVip("2001:db8:1::11"), "instance_addresses[0]", "inside the subnet");
    }

    @Test
    void mustNotBeTheGatewayNetworkOrBroadcastAddress() {
        assertOnlyViolation(() -> withVip("10.0.0.1"), "instance_addresses[0]", "gateway");
        assertOnlyViolation(() -> withVip("10.0.0.0"), "instance_addresses[0]", "network address of 10.0.0.0/24");
        assertOnlyViolation(() -> withVip("10.0.0.255"), "instance_addresses[0]", "broadcast address of 10.0.0.0/24");
        assertOnlyViolation(() -> new LoadBalancer(subnet6(), pool().build(), Optional.empty(), List.of(), List.of(),
                ips("2001:db8:1::")), "instance_addresses[0]", "anycast");
    }

    @Test
    void mustBeDistinct() {
        Violation v = assertOnlyViolation(() -> withVip("10.0.0.11", "10.0.0.12", "10.0.0.11"), "instance_addresses[2]",
                "must differ from the other instance addresses");
        Fixtures.assertRuleMentions(v, "already instance_addresses[0]");
        assertEquals(quoted("10.0.0.11"), v.rejectedValue());
    }

    @Test
    void mustDifferFromTheVipAddress() {
        Violation v = assertOnlyViolation(() -> withVip("10.0.0.11", "10.0.0.10"), "instance_addresses[1]",
                "must differ from the VIP's address");
        assertEquals(quoted("10.0.0.10"), v.rejectedValue());
    }

    @Test
    void mustDifferFromEveryMembersAddress() {
        Subnet s = subnet();
        Member onSubnet = member(1).address("10.0.0.20").build();
        Member other = member(2).address("10.0.0.21").build();
        Violation v = assertOnlyViolation(() -> new LoadBalancer(s, pool().build(), Optional.of(vip().build()),
                List.of(other, onSubnet), List.of(), ips("10.0.0.11", "10.0.0.20")), "members[1].address",
                "is reserved for load balancer instance 1 and cannot be a member address");
        assertEquals(quoted("10.0.0.20"), v.rejectedValue());
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        ValidationException e = assertThrows(ValidationException.class, () -> new LoadBalancer(subnet(), pool().build(),
                Optional.of(vip().build()), List.of(member(1).address("10.0.0.13").build()), List.of(),
                ips("10.0.0.1", "10.0.0.10", "10.0.0.13", "10.0.0.13", "10.9.0.1")));
        assertEquals(List.of("instance_addresses[0]", "instance_addresses[1]", "instance_addresses[3]",
                "instance_addresses[4]", "members[0].address"), Fixtures.paths(e));
        assertTrue(e.getMessage().startsWith("5 violations:"), e.getMessage());
    }
}

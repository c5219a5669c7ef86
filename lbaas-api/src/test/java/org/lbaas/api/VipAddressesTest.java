package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.Subnet;

@DisplayName("VIP address allocation")
class VipAddressesTest {

    private static final UUID ID = UUID.fromString("9a1f3b2c-0000-4000-8000-0000000000aa");

    private static InetAddress ip(String literal) {
        return IpAddresses.parse(literal, "test");
    }

    private static Set<InetAddress> ips(String... literals) {
        Set<InetAddress> out = new HashSet<>();
        for (String l : literals) {
            out.add(ip(l));
        }
        return out;
    }

    private static InetAddress chosen(Subnet subnet, Set<InetAddress> inUse) {
        VipAddresses.Allocation a = VipAddresses.allocate(subnet, inUse, Optional.empty());
        return assertInstanceOf(VipAddresses.Chosen.class, a, a.reason()).address();
    }

    /** Returns why a subnet has no address for a new VIP, failing when it has one. */
    private static String noAddress(Subnet subnet, Set<InetAddress> inUse) {
        VipAddresses.Allocation a = VipAddresses.allocate(subnet, inUse, Optional.empty());
        return assertInstanceOf(VipAddresses.Exhausted.class, a, a.toString()).reason();
    }

    @ParameterizedTest(name = "{0} gateway {1}, in use [{2}]: {3}")
    @DisplayName("without a requested address: the first host address that is not the network address, the IPv4 "
            + "broadcast address, the gateway or in use")
    @CsvSource(nullValues = "-", value = {
        "10.0.0.0/24,    10.0.0.1,    '',                        10.0.0.2",
        "10.0.0.0/24,    10.0.0.1,    10.0.0.2 10.0.0.3 10.0.0.5, 10.0.0.4",
        "192.168.7.0/24, -,           '',                        192.168.7.1",
        "10.0.0.8/31,    -,           '',                        10.0.0.8",
        "10.0.0.8/31,    -,           10.0.0.8,                  10.0.0.9",
        "10.0.0.9/32,    -,           '',                        10.0.0.9",
        "2001:db8::/64,  2001:db8::1, '',                        2001:db8::2",
        "2001:db8::/64,  2001:db8::1, 2001:db8::2 2001:db8::3,   2001:db8::4",
        "2001:db8::/126, 2001:db8::1, 2001:db8::2,               2001:db8::3",
    })
    void choosesFirstFree(String cidr, String gateway, String inUse, String expected) {
        Subnet subnet = Subnet.of(ID, cidr, gateway);
        assertEquals(ip(expected), chosen(subnet, ips(inUse.isBlank() ? new String[0] : inUse.split(" "))));
    }

    @Nested
    @DisplayName("without a requested address, no address left")
    class Exhausted {

        @Test
        @DisplayName("the IPv4 broadcast address is never chosen: a full /30 is exhausted, naming the subnet and its CIDR")
        void ipv4() {
            assertEquals("subnet " + ID + " (10.0.0.4/30) has no free address for a vip",
                    noAddress(Subnet.of(ID, "10.0.0.4/30", "10.0.0.5"), ips("10.0.0.6")));
        }

        @Test
        @DisplayName("a full IPv6 subnet is exhausted, naming the subnet and its CIDR")
        void ipv6() {
            assertEquals("subnet " + ID + " (2001:db8::/126) has no free address for a vip",
                    noAddress(Subnet.of(ID, "2001:db8::/126", "2001:db8::1"), ips("2001:db8::2", "2001:db8::3")));
        }

        @Test
        @DisplayName("a subnet of unusable addresses (loopback) is given up on after a few, not walked through")
        void unusable() {
            String reason = noAddress(Subnet.of(ID, "127.0.0.0/8", null), Set.of());
            assertTrue(reason.contains("127.0.0.0/8"), reason);
        }
    }

    @Nested
    @DisplayName("with a requested address")
    class Requested {

        private final Subnet subnet = Subnet.of(ID, "10.0.0.0/24", "10.0.0.1");

        @Test
        @DisplayName("a free address in the subnet is taken as it is, even when a lower one is free")
        void free() {
            VipAddresses.Allocation a = VipAddresses.allocate(subnet, ips("10.0.0.2"), Optional.of(ip("10.0.0.50")));
            assertEquals(new VipAddresses.Chosen(ip("10.0.0.50")), a);
            assertEquals("", a.reason());
        }

        @Test
        @DisplayName("an address in use is refused, naming the address and the subnet")
        void taken() {
            VipAddresses.Allocation a = VipAddresses.allocate(subnet, ips("10.0.0.50"), Optional.of(ip("10.0.0.50")));
            assertEquals(new VipAddresses.InUse(ip("10.0.0.50"), "address 10.0.0.50 on subnet " + ID + " is in use"), a);
        }

        @Test
        @DisplayName("an IPv6 address in use is refused in its text form")
        void taken6() {
            Subnet subnet6 = Subnet.of(ID, "2001:db8::/64", "2001:db8::1");
            VipAddresses.Allocation a = VipAddresses.allocate(subnet6, ips("2001:db8::a"),
                    Optional.of(ip("2001:db8:0:0::a")));
            assertInstanceOf(VipAddresses.InUse.class, a);
            assertEquals("address 2001:db8::a on subnet " + ID + " is in use", a.reason());
        }

        @Test
        @DisplayName("an address outside the subnet (or of the other IP version) is reported with the subnet's CIDR")
        void outside() {
            VipAddresses.Allocation a = VipAddresses.allocate(subnet, Set.of(), Optional.of(ip("10.0.1.5")));
            assertEquals(new VipAddresses.OutsideSubnet(ip("10.0.1.5"),
                    "address 10.0.1.5 is outside subnet " + ID + " (10.0.0.0/24)"), a);
            assertInstanceOf(VipAddresses.OutsideSubnet.class,
                    VipAddresses.allocate(subnet, Set.of(), Optional.of(ip("2001:db8::5"))));
        }

        @Test
        @DisplayName("the inputs are not changed")
        void pure() {
            Set<InetAddress> inUse = ips("10.0.0.2");
            chosen(subnet, inUse);
            VipAddresses.allocate(subnet, inUse, Optional.of(ip("10.0.0.9")));
            assertEquals(ips("10.0.0.2"), inUse);
        }
    }

    @Nested
    @DisplayName("instance addresses")
    class Instances {

        @Test
        @DisplayName("are the first free host addresses in order, each skipping the taken ones and those chosen before")
        void firstFree() {
            Subnet subnet = Subnet.of(ID, "10.0.0.0/24", "10.0.0.1");
            assertEquals(java.util.List.of(ip("10.0.0.3"), ip("10.0.0.5"), ip("10.0.0.6")),
                    VipAddresses.free(subnet, ips("10.0.0.2", "10.0.0.4"), 3));
            assertEquals(java.util.List.of(), VipAddresses.free(subnet, Set.of(), 0));
            Subnet v6 = Subnet.of(ID, "2001:db8::/64", "2001:db8::1");
            assertEquals(java.util.List.of(ip("2001:db8::2"), ip("2001:db8::3")), VipAddresses.free(v6, Set.of(), 2));
        }

        @Test
        @DisplayName("are fewer than asked when the subnet runs out, and the reason names the subnet and the counts")
        void runOut() {
            Subnet subnet = Subnet.of(ID, "10.0.0.0/29", "10.0.0.1");
            assertEquals(java.util.List.of(ip("10.0.0.6")),
                    VipAddresses.free(subnet, ips("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"), 2));
            assertEquals("subnet " + ID + " (10.0.0.0/29) has too few free addresses: the driver needs 2 addresses for its "
                    + "instances besides the vip's, and 0 are free", VipAddresses.tooFewForInstances(subnet, 2, 0));
            assertEquals("subnet " + ID + " (10.0.0.0/29) has too few free addresses: the driver needs 1 address for its "
                    + "instances besides the vip's, and 0 are free", VipAddresses.tooFewForInstances(subnet, 1, 0));
        }
    }
}

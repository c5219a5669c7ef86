package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lbaas.model.Fixtures.SUBNET_ID;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.ip;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubnetTest {

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource({"10.0.0.0/24,10.0.0.1", "10.0.0.0/24,10.0.0.254", "10.0.0.0/31,10.0.0.0", "10.0.0.0/31,10.0.0.1",
            "10.0.0.7/32,10.0.0.7", "2001:db8::/64,2001:db8::1", "2001:db8::/64,2001:db8::ffff:ffff:ffff:ffff",
            "2001:db8::/127,2001:db8::"})
    void gatewaysInsideTheNetworkAreAccepted(String cidr, String gateway) {
        Subnet s = Subnet.of(SUBNET_ID, cidr, gateway);
        assertEquals(Optional.of(ip(gateway)), s.gateway());
        assertEquals(Cidr.parse(cidr).ipVersion(), s.ipVersion());
    }

    @Test
    void aSubnetMayHaveNoGateway() {
        assertEquals(Optional.empty(), Subnet.of(SUBNET_ID, "10.0.0.0/24", null).gateway());
        assertEquals(Optional.empty(), new Subnet(SUBNET_ID, "", Cidr.parse("10.0.0.0/24"), null).gateway());
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource({"10.0.0.0/24,10.0.1.1", "10.0.0.0/24,2001:db8::1", "2001:db8::/64,10.0.0.1", "2001:db8::/64,2001:db9::1"})
    void gatewaysOutsideTheNetworkOrOfTheOtherFamilyAreRejected(String cidr, String gateway) {
        assertOnlyViolation(() -> Subnet.of(SUBNET_ID, cidr, gateway), "gateway_ip", "must lie inside cidr " + cidr);
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource({"10.0.0.0/24,10.0.0.0", "10.0.0.0/30,10.0.0.0", "2001:db8::/64,2001:db8::", "2001:db8::/126,2001:db8::"})
    void theNetworkAddressIsNoGateway(String cidr, String gateway) {
        assertOnlyViolation(() -> Subnet.of(SUBNET_ID, cidr, gateway), "gateway_ip", "network address");
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource({"10.0.0.0/24,10.0.0.255", "10.0.0.0/30,10.0.0.3", "10.0.0.0/8,10.255.255.255"})
    void theIpv4BroadcastAddressIsNoGateway(String cidr, String gateway) {
        assertOnlyViolation(() -> Subnet.of(SUBNET_ID, cidr, gateway), "gateway_ip", "broadcast address");
    }

    @Test
    void badTextIsReportedForBothFieldsAtOnce() {
        ValidationException e = assertThrows(ValidationException.class, () -> Subnet.of(SUBNET_ID, "10.0.0.0/33", "gw"));
        assertEquals(List.of("cidr", "gateway_ip"), Fixtures.paths(e));
        Fixtures.assertRuleMentions(e.violations().get(1), "address literal");
    }

    @Test
    void nameFollowsTheTextRule() {
        Cidr cidr = Cidr.parse("10.0.0.0/24");
        assertEquals(255, new Subnet(SUBNET_ID, "s".repeat(255), cidr, Optional.empty()).name().length());
        assertOnlyViolation(() -> new Subnet(SUBNET_ID, "s".repeat(256), cidr, Optional.empty()), "name", "at most 255");
        assertOnlyViolation(() -> new Subnet(SUBNET_ID, "a\nb", cidr, Optional.empty()), "name", "control");
    }

    @Test
    void idAndCidrAreRequired() {
        ValidationException e = assertThrows(ValidationException.class, () -> new Subnet(null, "", null, Optional.empty()));
        assertEquals(List.of("id", "cidr"), Fixtures.paths(e));
    }
}

package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.subnet;
import static org.lbaas.api.json.JsonFixtures.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.Cidr;
import org.lbaas.model.Subnet;

/** The subnet in Neutron's wire format, against golden files. */
class SubnetExpectTest {

    private static Subnet ipv6WithoutGateway() {
        return new Subnet(UUID.fromString("b4d3e2f1-a0b9-4c8d-9e7f-6a5b4c3d2e07"), "", Cidr.parse("2001:db8:1::/64"),
                Optional.empty());
    }

    @Test
    void subnetMatchesTheGoldenFile() {
        assertGolden("subnet.json", JSON.writeSubnet(subnet()));
    }

    @Test
    void goldenSubnetHasExactlyTheNeutronAttributesAndReadsBack() {
        String golden = resource("neutron-v1/subnet.json");
        JsonNode subnet = tree(golden).get("subnet");
        assertNames(NeutronV1Attributes.SUBNET, subnet, "subnet");
        assertEquals(4, subnet.get("ip_version").intValue());
        assertEquals(subnet(), JSON.readSubnet(golden));
    }

    @Test
    void ipv6SubnetWithoutGatewayShowsNullAndReadsBack() {
        List<Subnet> subnets = List.of(subnet(), ipv6WithoutGateway());
        assertGolden("subnets.json", JSON.writeSubnets(subnets));
        JsonNode second = tree(resource("neutron-v1/subnets.json")).get("subnets").get(1);
        assertNames(NeutronV1Attributes.SUBNET, second, "subnets[1]");
        assertTrue(second.get("gateway_ip").isNull());
        assertEquals(6, second.get("ip_version").intValue());
        assertEquals(subnets, JSON.readSubnets(resource("neutron-v1/subnets.json")));
    }
}

package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.assertOnlyViolation;
import static org.lbaas.api.json.JsonFixtures.assertViolation;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.violations;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

/**
 * Inputs exactly as Neutron shows them: subnets from {@code GET /v2.0/subnets}, and a document put
 * together from {@code lb-pool-show}, {@code lb-vip-show}, {@code lb-member-show} and
 * {@code lb-healthmonitor-show} (fixtures in {@code neutron-shaped/}, with Neutron's full field
 * sets).
 */
class NeutronShapedInputTest {

    static final NeutronJson JSON = NeutronJson.standard();
    static final String DOC = resource("neutron-shaped/document-from-show.json");

    @Test
    @DisplayName("subnets as GET /v2.0/subnets returns them are read, Neutron's other attributes ignored")
    void subnetsFromNeutron() {
        List<Subnet> subnets = JSON.readSubnets(resource("neutron-shaped/subnets.json"));
        assertEquals(2, subnets.size());
        assertEquals(UUID.fromString("08eae331-0402-425a-923c-34f7cfe39c1b"), subnets.get(0).id());
        assertEquals("10.0.0.0/24", subnets.get(0).cidr().toString());
        assertEquals("private-subnet", subnets.get(0).name());
        assertEquals(6, subnets.get(1).cidr().ipVersion());
        assertEquals("fdf8:f53b:82e4:0:0:0:0:51", subnets.get(1).gateway().orElseThrow().getHostAddress());
    }

    @Test
    @DisplayName("an ip_version that contradicts the cidr is an error naming both")
    void ipVersionContradictsCidr() {
        String bad = resource("neutron-shaped/subnets.json").replace("\"ip_version\": 6", "\"ip_version\": 4");
        Violation v = assertOnlyViolation(() -> JSON.readSubnets(bad), "subnets[1].ip_version", "contradicts cidr");
        assertTrue(v.rule().contains("fdf8:f53b:82e4::/64") && v.rule().contains("IPv6"), v.rule());
        assertEquals("4", v.rejectedValue());
    }

    @Test
    @DisplayName("an attribute Neutron does not have on a subnet is still refused")
    void unknownSubnetAttribute() {
        String bad = resource("neutron-shaped/subnets.json").replace("\"enable_dhcp\": true,", "\"enable_dchp\": true,");
        assertViolation(violations(() -> JSON.readSubnets(bad)), "subnets[0].enable_dchp", "is not an attribute of a subnet");
    }

    @Test
    @DisplayName("a document made of Neutron's show outputs is read as is")
    void documentFromShowOutputs() {
        LoadBalancer lb = JSON.readDocument(DOC);
        assertEquals("26a7980765d0414dbc1fc1f88cdb7e6e", lb.pool().tenantId());
        assertEquals(2, lb.members().size());
        assertEquals(UUID.fromString("466c8345-28d8-4f84-a246-e04380b0461d"), lb.healthMonitors().get(0).id());
        assertEquals("", lb.pool().statusDescription());
        assertEquals(UUID.fromString("4ec89087-d057-4e2c-911f-60a3b47ee304"), lb.vip().orElseThrow().id());
    }

    @Test
    @DisplayName("without pool.tenant_id the document takes the tenant the other objects give")
    void tenantFromOtherObjects() {
        String noPoolTenant = DOC.replace("\"tenant_id\": \"26a7980765d0414dbc1fc1f88cdb7e6e\",\n    \"admin_state_up\": true,\n"
                + "    \"name\": \"app_pool\"", "\"admin_state_up\": true,\n    \"name\": \"app_pool\"");
        assertTrue(!noPoolTenant.equals(DOC));
        assertEquals("26a7980765d0414dbc1fc1f88cdb7e6e", JSON.readDocument(noPoolTenant).pool().tenantId());
    }

    @Test
    @DisplayName("without any tenant_id every object gets the documented default tenant")
    void defaultTenant() {
        String none = DOC.replaceAll("\"(tenant_id|project_id)\": \"[0-9a-f]+\",\n\\s*", "");
        assertTrue(!none.contains("\"tenant_id\""), none);
        String noSubnetTenant = none;
        LoadBalancer lb = JSON.readDocument(noSubnetTenant);
        assertEquals(NeutronJson.DOCUMENT_DEFAULT_TENANT, lb.pool().tenantId());
        assertEquals(NeutronJson.DOCUMENT_DEFAULT_TENANT, lb.vip().orElseThrow().tenantId());
        assertTrue(lb.members().stream().allMatch(m -> m.tenantId().equals(NeutronJson.DOCUMENT_DEFAULT_TENANT)));
        assertEquals(NeutronJson.DOCUMENT_DEFAULT_TENANT, lb.healthMonitors().get(0).tenantId());
    }

    @Test
    @DisplayName("conflicting tenant_ids are an error naming both paths")
    void conflictingTenants() {
        String other = DOC.replace("\"tenant_id\": \"26a7980765d0414dbc1fc1f88cdb7e6e\",\n      \"pool_id\": "
                + "\"5a9a3e9e-b1fb-4e15-aa5c-f5efb0b1b6b8\",\n      \"address\": \"10.0.0.4\"", "\"tenant_id\": \"someone\",\n"
                + "      \"pool_id\": \"5a9a3e9e-b1fb-4e15-aa5c-f5efb0b1b6b8\",\n      \"address\": \"10.0.0.4\"");
        assertTrue(!other.equals(DOC));
        Violation v = assertOnlyViolation(() -> JSON.readDocument(other), "members[1].tenant_id", "must equal pool.tenant_id");
        assertEquals("\"someone\"", v.rejectedValue());
    }

    @Test
    @DisplayName("pool.health_monitors that disagree with the document name the ids on each side")
    void monitorIdsDisagree() {
        String other = DOC.replace("\"health_monitors\": [\"466c8345-28d8-4f84-a246-e04380b0461d\"]",
                "\"health_monitors\": [\"00000000-28d8-4f84-a246-e04380b0461d\"]");
        Violation v = assertOnlyViolation(() -> JSON.readDocument(other), "pool.health_monitors", "only in pool.health_monitors");
        assertTrue(v.rule().contains("only in pool.health_monitors: [00000000-28d8-4f84-a246-e04380b0461d]"), v.rule());
        assertTrue(v.rule().contains("only in health_monitors: [466c8345-28d8-4f84-a246-e04380b0461d]"), v.rule());
    }

    @Test
    @DisplayName("pool.members and pool.vip_id that disagree with the document are errors")
    void memberIdsAndVipIdDisagree() {
        String members = DOC.replace("\"members\": [\"701b531b-111a-4f21-ad85-4795b7b12af6\", ",  "\"members\": [");
        assertOnlyViolation(() -> JSON.readDocument(members), "pool.members", "only in members: [701b531b");
        String vip = DOC.replace("\"vip_id\": \"4ec89087-d057-4e2c-911f-60a3b47ee304\"",
                "\"vip_id\": \"4ec89087-d057-4e2c-911f-60a3b47ee305\"");
        assertOnlyViolation(() -> JSON.readDocument(vip), "pool.vip_id", "must be the id of the document's vip");
    }

    @Test
    @DisplayName("request bodies stay strict: Neutron's read-only attributes are still refused on create")
    void requestBodiesStayStrict() {
        String body = "{\"pool\": {\"tenant_id\": \"t\", \"subnet_id\": \"08eae331-0402-425a-923c-34f7cfe39c1b\","
                + " \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\", \"health_monitors\": [], \"status\": \"ACTIVE\"}}";
        List<Violation> all = violations(() -> JSON.readPoolCreate(body));
        assertViolation(all, "pool.health_monitors", "is read-only");
        assertViolation(all, "pool.status", "is read-only");
        assertThrows(ValidationException.class, () -> JSON.readPoolCreate(body.replace("\"tenant_id\": \"t\", ", "")));
    }
}

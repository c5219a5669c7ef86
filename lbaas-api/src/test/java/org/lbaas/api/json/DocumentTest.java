package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertExactViolations;
import static org.lbaas.api.json.JsonFixtures.assertOnlyViolation;
import static org.lbaas.api.json.JsonFixtures.assertViolation;
import static org.lbaas.api.json.JsonFixtures.ip;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.violations;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;

/** The load balancer document of the {@code lbaas} command: shape, defaults and every violation at once. */
class DocumentTest {

    private static final String WEB = resource("documents/web.json");

    private static final String SUBNET_ID = "5b1e7c3a-2f4d-4e6a-9b8c-0d1e2f3a4b5c";
    private static final String POOL_ID = "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final String VIP_ID = "c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f";

    /** A minimal document: only what has no default. */
    private static String minimal(String vip, String members, String monitors) {
        return ("{'subnet': {'id': '" + SUBNET_ID + "', 'cidr': '10.1.0.0/24'},"
                + " 'pool': {'id': '" + POOL_ID + "', 'tenant_id': 'acme', 'protocol': 'TCP', 'lb_method': 'ROUND_ROBIN'}"
                + (vip == null ? "" : ", 'vip': " + vip)
                + (members == null ? "" : ", 'members': " + members)
                + (monitors == null ? "" : ", 'health_monitors': " + monitors) + "}").replace('\'', '"');
    }

    @Test
    void webDocumentHasAnHttpPoolThreeMembersAnHttpMonitorAndACookieVip() {
        LoadBalancer lb = JSON.readDocument(WEB);
        assertEquals(Protocol.HTTP, lb.pool().protocol());
        assertEquals(LbMethod.ROUND_ROBIN, lb.pool().lbMethod());
        assertEquals(3, lb.members().size());
        assertEquals(List.of(1, 2, 1), lb.members().stream().map(Member::weight).toList());
        HealthMonitor monitor = lb.healthMonitors().get(0);
        assertEquals(MonitorType.HTTP, monitor.type());
        assertEquals("/health", monitor.httpCheck().orElseThrow().urlPath());
        assertEquals(List.of(200, 201, 202, 203, 204), monitor.httpCheck().orElseThrow().expectedCodes().codes());
        Vip vip = lb.vip().orElseThrow();
        assertEquals(PersistenceType.HTTP_COOKIE, vip.sessionPersistence().orElseThrow().type());
        assertEquals(ip("10.20.0.10"), vip.address());
        assertTrue(lb.isDeployable());
    }

    @Test
    void absentAttributesTakeTheDocumentedDefaults() {
        LoadBalancer lb = JSON.readDocument(minimal(
                "{'id': '" + VIP_ID + "', 'address': '10.1.0.5', 'protocol_port': 443, 'protocol': 'TCP'}",
                "[{'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.11', 'protocol_port': 443}]",
                "[{'id': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'type': 'HTTPS', 'delay': 3, 'timeout': 2,"
                        + " 'max_retries': 3}]"));
        UUID subnet = UUID.fromString(SUBNET_ID);
        UUID pool = UUID.fromString(POOL_ID);
        UUID vipId = UUID.fromString(VIP_ID);

        assertEquals("", lb.subnet().name());
        assertEquals(Optional.empty(), lb.subnet().gateway());

        assertEquals(subnet, lb.pool().subnetId());
        assertEquals("", lb.pool().name());
        assertEquals("", lb.pool().description());
        assertEquals("", lb.pool().provider());
        assertTrue(lb.pool().adminStateUp());
        assertEquals(Status.ACTIVE, lb.pool().status());
        assertEquals("", lb.pool().statusDescription());

        Vip vip = lb.vip().orElseThrow();
        assertEquals("acme", vip.tenantId());
        assertEquals(subnet, vip.subnetId());
        assertEquals(pool, vip.poolId());
        assertEquals(NeutronJson.derivedPortId(vipId), vip.portId());
        assertEquals(Optional.empty(), vip.sessionPersistence());
        assertEquals(Vip.UNLIMITED, vip.connectionLimit());
        assertTrue(vip.adminStateUp());
        assertEquals(Status.ACTIVE, vip.status());
        assertEquals("", vip.name());

        Member member = lb.members().get(0);
        assertEquals("acme", member.tenantId());
        assertEquals(pool, member.poolId());
        assertEquals(1, member.weight());
        assertTrue(member.adminStateUp());
        assertEquals(Status.ACTIVE, member.status());

        HealthMonitor monitor = lb.healthMonitors().get(0);
        assertEquals("acme", monitor.tenantId());
        assertEquals(HttpMethod.GET, monitor.httpCheck().orElseThrow().method());
        assertEquals("/", monitor.httpCheck().orElseThrow().urlPath());
        assertEquals("200", monitor.httpCheck().orElseThrow().expectedCodes().spec());
        assertTrue(monitor.adminStateUp());
    }

    @Test
    void derivedPortIdIsStableAndDiffersPerVip() {
        UUID a = UUID.fromString(VIP_ID);
        assertEquals(NeutronJson.derivedPortId(a), NeutronJson.derivedPortId(UUID.fromString(VIP_ID)));
        assertNotEquals(NeutronJson.derivedPortId(a), NeutronJson.derivedPortId(UUID.fromString(POOL_ID)));
        assertNotEquals(a, NeutronJson.derivedPortId(a));
        assertEquals(3, NeutronJson.derivedPortId(a).version());
    }

    @Test
    void vipMembersAndMonitorsAreOptional() {
        LoadBalancer lb = JSON.readDocument(minimal(null, null, null));
        assertEquals(Optional.empty(), lb.vip());
        assertEquals(List.of(), lb.members());
        assertEquals(List.of(), lb.healthMonitors());
        assertFalse(lb.isDeployable());
        assertEquals(lb, JSON.readDocument(minimal("null", "[]", "[]")));
    }

    @Test
    void explicitValuesWinOverDefaults() {
        LoadBalancer lb = JSON.readDocument(minimal(
                "{'id': '" + VIP_ID + "', 'address': '10.1.0.5', 'protocol_port': 443, 'protocol': 'TCP',"
                        + " 'port_id': '" + POOL_ID + "', 'status': 'PENDING_UPDATE', 'admin_state_up': false}",
                null, null));
        assertEquals(UUID.fromString(POOL_ID), lb.vip().orElseThrow().portId());
        assertEquals(Status.PENDING_UPDATE, lb.vip().orElseThrow().status());
        assertFalse(lb.isDeployable());
    }

    @Test
    void errorsInMembers3AreReportedWithTheirIndex() {
        String members = "[{'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.11', 'protocol_port': 80},"
                + " {'id': '11111111-2222-4333-8444-555555555502', 'address': '10.1.0.12', 'protocol_port': 80},"
                + " {'id': '11111111-2222-4333-8444-555555555503', 'address': '10.1.0.13', 'protocol_port': 80},"
                + " {'id': 'member-4', 'address': 'backend4.internal', 'protocol_port': 70000, 'weight': '3'}]";
        assertExactViolations(() -> JSON.readDocument(minimal(null, members, null)),
                "members[3].id", "must be a UUID",
                "members[3].address", "IPv4 or IPv6 address literal",
                "members[3].protocol_port", "between 1 and 65535",
                "members[3].weight", "must be an integer");
    }

    @Test
    void everyViolationOfTheWholeDocumentIsReportedAtOnce() {
        String doc = minimal(
                "{'id': '" + VIP_ID + "', 'address': '10.1.0.5', 'protocol_port': 0, 'protocol': 'TCP',"
                        + " 'session_persistence': {'type': 'APP_COOKIE', 'cookie_name': 'bad name'}}",
                "[{'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.11', 'protocol_port': 80, 'weight': 300}]",
                "[{'id': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'type': 'HTTP', 'delay': 1, 'timeout': 2, 'max_retries': 11,"
                        + " 'expected_codes': '204-200', 'url_path': 'health'}]")
                .replace("\"lb_method\": \"ROUND_ROBIN\"", "\"lb_method\": \"RANDOM\"")
                .replace("\"cidr\": \"10.1.0.0/24\"", "\"cidr\": \"10.1.0.0/24\", \"gateway_ip\": \"10.2.0.1\"");
        assertExactViolations(() -> JSON.readDocument(doc),
                "subnet.gateway_ip", "must lie inside cidr",
                "pool.lb_method", "must be one of",
                "vip.protocol_port", "between 1 and 65535",
                "vip.session_persistence.cookie_name", "RFC 6265",
                "members[0].weight", "between 0 and 256",
                "health_monitors[0].timeout", "must not exceed delay",
                "health_monitors[0].max_retries", "between 1 and 10",
                "health_monitors[0].expected_codes", "range must run upward",
                "health_monitors[0].url_path", "must start with '/'");
    }

    @Test
    void crossObjectRulesUseDocumentPaths() {
        String doc = minimal(
                "{'id': '" + VIP_ID + "', 'address': '10.9.0.5', 'protocol_port': 80, 'protocol': 'HTTP', 'tenant_id': 'other'}",
                "[{'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.11', 'protocol_port': 80},"
                        + " {'id': '11111111-2222-4333-8444-555555555502', 'address': '10.1.0.11', 'protocol_port': 80},"
                        + " {'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.13', 'protocol_port': 80,"
                        + "  'pool_id': '" + VIP_ID + "'}]",
                null);
        assertExactViolations(() -> JSON.readDocument(doc),
                "vip.protocol", "must equal the pool's protocol TCP",
                "vip.tenant_id", "must equal pool.tenant_id (acme)",
                "vip.address", "must lie inside the subnet 10.1.0.0/24",
                "members[1].address", "already members[0]",
                "members[2].id", "must be unique",
                "members[2].pool_id", "must be the pool's id");
    }

    @Test
    void crossObjectIndicesStayThoseOfTheDocumentWhenEarlierItemsFailed() {
        String doc = minimal(null,
                "[{'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.11', 'protocol_port': 'eighty'},"
                        + " {'id': '11111111-2222-4333-8444-555555555502', 'address': '10.1.0.12', 'protocol_port': 80},"
                        + " {'id': '11111111-2222-4333-8444-555555555503', 'address': '10.1.0.12', 'protocol_port': 80}]",
                null);
        List<Violation> all = violations(() -> JSON.readDocument(doc));
        assertViolation(all, "members[0].protocol_port", "must be an integer");
        Violation duplicate = assertViolation(all, "members[2].address", "is already members[1]");
        assertEquals("\"10.1.0.12\"", duplicate.rejectedValue());
        assertEquals(2, all.size(), all::toString);
    }

    @Test
    void childrenMayNotBelongToAnotherTenantOrPool() {
        assertExactViolations(() -> JSON.readDocument(minimal(null,
                "[{'id': '11111111-2222-4333-8444-555555555501', 'address': '10.1.0.11', 'protocol_port': 80,"
                        + " 'tenant_id': 'someone-else'}]",
                "[{'id': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'type': 'TCP', 'delay': 3, 'timeout': 2, 'max_retries': 3,"
                        + " 'tenant_id': 'someone-else'}]")),
                "members[0].tenant_id", "must equal pool.tenant_id (acme)",
                "health_monitors[0].tenant_id", "must equal pool.tenant_id (acme)");
    }

    @Test
    void requiredPartsAndAttributesAreNamed() {
        assertExactViolations(() -> JSON.readDocument("{\"members\": [{}]}"),
                "subnet", "is required",
                "pool", "is required",
                "members[0].id", "is required",
                "members[0].address", "is required",
                "members[0].protocol_port", "is required");

        List<Violation> pool = violations(() -> JSON.readDocument(
                "{\"subnet\": {\"id\": \"" + SUBNET_ID + "\", \"cidr\": \"10.1.0.0/24\"}, \"pool\": {}}"));
        for (String name : List.of("id", "protocol", "lb_method")) {
            assertViolation(pool, "pool." + name, "is required");
        }
        assertEquals(3, pool.size(), pool::toString);
    }

    @Test
    void neutronRelationsAgreeingWithTheDocumentAreAcceptedUnknownKeysAreNot() {
        String doc = minimal(null, null, "[{'id': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'type': 'TCP', 'delay': 3,"
                + " 'timeout': 2, 'max_retries': 3, 'pools': []}]")
                .replace("\"lb_method\": \"ROUND_ROBIN\"", "\"lb_method\": \"ROUND_ROBIN\", \"members\": [], \"vip_id\": null,"
                        + " \"health_monitors\": [\"e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b\"]")
                .replace("{\"subnet\"", "{\"listeners\": [], \"subnet\"");
        List<Violation> all = violations(() -> JSON.readDocument(doc));
        Violation unknown = assertViolation(all, "listeners", "is not an attribute of a load balancer document");
        assertTrue(unknown.rule().endsWith("accepted here: subnet, pool, vip, members, health_monitors"), unknown.rule());
        assertEquals(1, all.size(), all::toString);
    }

    @Test
    void tcpMonitorMayShowV1HttpDefaultsButNoOtherHttpValue() {
        String ok = minimal(null, null, "[{'id': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'type': 'TCP', 'delay': 3,"
                + " 'timeout': 2, 'max_retries': 3, 'http_method': 'GET', 'url_path': '/', 'expected_codes': '200'}]");
        assertEquals(Optional.empty(), JSON.readDocument(ok).healthMonitors().get(0).httpCheck());
        assertOnlyViolation(() -> JSON.readDocument(ok.replace("\"url_path\": \"/\"", "\"url_path\": \"/status\"")),
                "health_monitors[0].url_path", "only for HTTP and HTTPS monitors");
    }

    @Test
    void subnetIpVersionMustMatchItsCidr() {
        String doc = minimal(null, null, null).replace("\"cidr\": \"10.1.0.0/24\"", "\"cidr\": \"10.1.0.0/24\", \"ip_version\": 6");
        assertOnlyViolation(() -> JSON.readDocument(doc), "subnet.ip_version", "must be 4");
        assertOnlyViolation(() -> JSON.readDocument(minimal(null, null, null).replace("10.1.0.0/24", "10.1.0.1/24")),
                "subnet.cidr", "host bits must be zero");
    }
}

package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.rest.RestFixture.SUBNET;
import static org.lbaas.rest.RestFixture.TENANT_A;
import static org.lbaas.rest.RestFixture.TENANT_ADMIN;
import static org.lbaas.rest.RestFixture.TENANT_B;
import static org.lbaas.rest.RestFixture.TOKEN_A;
import static org.lbaas.rest.RestFixture.TOKEN_ADMIN;
import static org.lbaas.rest.RestFixture.TOKEN_B;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("tenancy: a tenant sees and changes only its own objects; an administrator sees all")
class TenancyApiTest extends ApiTest {

    String poolA;
    String memberA;
    String monitorA;
    String vipA;

    @BeforeEach
    void start() {
        poolA = api.pool("a-pool");
        memberA = api.member(poolA, "10.0.0.11", 80);
        monitorA = api.monitor(5, 3);
        api.post("/v2.0/lb/pools/" + poolA + "/health_monitors", "{\"health_monitor\": {\"id\": \"" + monitorA + "\"}}").expect(201);
        vipA = api.vip(poolA, "a-vip");
    }

    @Test
    @DisplayName("another tenant's objects are not listed and answer 404 to show, update, delete and stats")
    void invisible() {
        for (String collection : new String[] {"pools", "members", "health_monitors", "vips"}) {
            assertEquals(0, api.get("/v2.0/lb/" + collection, TOKEN_B).expect(200).json().get(collection).size(), collection);
            assertEquals(1, api.get("/v2.0/lb/" + collection, TOKEN_A).expect(200).json().get(collection).size(), collection);
        }
        api.get("/v2.0/lb/pools/" + poolA, TOKEN_B).error(404, "PoolNotFound");
        api.get("/v2.0/lb/members/" + memberA, TOKEN_B).error(404, "MemberNotFound");
        api.get("/v2.0/lb/health_monitors/" + monitorA, TOKEN_B).error(404, "HealthMonitorNotFound");
        api.get("/v2.0/lb/vips/" + vipA, TOKEN_B).error(404, "VipNotFound");
        api.get("/v2.0/lb/pools/" + poolA + "/stats", TOKEN_B).error(404, "PoolNotFound");
        api.put("/v2.0/lb/pools/" + poolA, "{\"pool\": {\"name\": \"mine\"}}", TOKEN_B).error(404, "PoolNotFound");
        api.put("/v2.0/lb/vips/" + vipA, "{\"vip\": {\"name\": \"mine\"}}", TOKEN_B).error(404, "VipNotFound");
        api.delete("/v2.0/lb/members/" + memberA, TOKEN_B).error(404, "MemberNotFound");
        api.delete("/v2.0/lb/health_monitors/" + monitorA, TOKEN_B).error(404, "HealthMonitorNotFound");
        api.delete("/v2.0/lb/pools/" + poolA + "/health_monitors/" + monitorA, TOKEN_B).error(404, "PoolNotFound");
        assertEquals("a-pool", api.get("/v2.0/lb/pools/" + poolA, TOKEN_A).json().get("pool").get("name").asText(), "unchanged");
        assertEquals(1, api.get("/v2.0/lb/members", TOKEN_A).json().get("members").size(), "not deleted");
    }

    @Test
    @DisplayName("another tenant's pool or monitor cannot be referenced: members, VIPs, associations, moves")
    void noReferences() {
        api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + poolA + "\", \"address\": \"10.0.0.9\", "
                + "\"protocol_port\": 80}}", TOKEN_B).error(404, "PoolNotFound");
        String poolB = api.pool("b-pool", TOKEN_B);
        api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + poolA + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol\": \"HTTP\", \"protocol_port\": 81}}", TOKEN_B).error(404, "PoolNotFound");
        api.post("/v2.0/lb/pools/" + poolB + "/health_monitors", "{\"health_monitor\": {\"id\": \"" + monitorA + "\"}}", TOKEN_B)
                .error(404, "HealthMonitorNotFound");
        String memberB = api.member(poolB, "10.0.0.20", 80, TOKEN_B);
        api.put("/v2.0/lb/members/" + memberB, "{\"member\": {\"pool_id\": \"" + poolA + "\"}}", TOKEN_B).error(404, "PoolNotFound");
        api.put("/v2.0/lb/members/" + memberA, "{\"member\": {\"pool_id\": \"" + poolB + "\"}}", TOKEN_A).error(404, "PoolNotFound");
    }

    @Test
    @DisplayName("tenant_id defaults to the caller's; naming another tenant is a 403, one's own is fine")
    void tenantIdInBodies() {
        String message = api.post("/v2.0/lb/pools", "{\"pool\": {\"tenant_id\": \"" + TENANT_B + "\", \"subnet_id\": \""
                + SUBNET.id() + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\"}}", TOKEN_A).error(403, "PolicyNotAuthorized");
        assertTrue(message.contains("pool.tenant_id") && message.contains(TENANT_B), message);
        api.post("/v2.0/lb/health_monitors", "{\"health_monitor\": {\"tenant_id\": \"" + TENANT_A + "\", \"type\": \"TCP\", "
                + "\"delay\": 5, \"timeout\": 3, \"max_retries\": 2}}", TOKEN_A).expect(201);
        api.post("/v2.0/lb/pools/" + poolA + "/health_monitors", "{\"health_monitor\": {\"id\": \"" + monitorA
                + "\", \"tenant_id\": \"" + TENANT_B + "\"}}", TOKEN_A).error(403, "PolicyNotAuthorized");
        assertEquals(TENANT_B, api.get("/v2.0/lb/pools/" + api.pool("b", TOKEN_B), TOKEN_B).json().get("pool").get("tenant_id").asText());
    }

    @Test
    @DisplayName("an administrator lists every tenant's objects, changes them, and creates for any tenant")
    void admin() {
        String poolB = api.pool("b-pool", TOKEN_B);
        JsonNode pools = api.get("/v2.0/lb/pools?fields=tenant_id&sort_key=tenant_id", TOKEN_ADMIN).expect(200).json().get("pools");
        assertEquals(2, pools.size());
        assertEquals(TENANT_A, pools.get(0).get("tenant_id").asText());
        assertEquals(TENANT_B, pools.get(1).get("tenant_id").asText());
        assertEquals(1, api.get("/v2.0/lb/pools?tenant_id=" + TENANT_B, TOKEN_ADMIN).json().get("pools").size());
        api.put("/v2.0/lb/pools/" + poolB, "{\"pool\": {\"name\": \"renamed-by-admin\"}}", TOKEN_ADMIN).expect(200);
        assertEquals("renamed-by-admin", api.get("/v2.0/lb/pools/" + poolB, TOKEN_B).json().get("pool").get("name").asText());
        JsonNode forB = api.post("/v2.0/lb/members", "{\"member\": {\"tenant_id\": \"" + TENANT_B + "\", \"pool_id\": \"" + poolB
                + "\", \"address\": \"10.0.0.30\", \"protocol_port\": 80}}", TOKEN_ADMIN).expect(201).json().get("member");
        assertEquals(TENANT_B, forB.get("tenant_id").asText());
        api.get("/v2.0/lb/members/" + forB.get("id").asText(), TOKEN_B).expect(200);
        JsonNode own = api.post("/v2.0/lb/pools", RestFixture.poolBody("admins"), TOKEN_ADMIN).expect(201).json().get("pool");
        assertEquals(TENANT_ADMIN, own.get("tenant_id").asText());
        String mixed = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + poolB
                + "\", \"address\": \"10.0.0.31\", \"protocol_port\": 80}}", TOKEN_ADMIN).error(400, "HTTPBadRequest");
        assertTrue(mixed.contains("tenant"), "a member's tenant must be its pool's: " + mixed);
    }
}

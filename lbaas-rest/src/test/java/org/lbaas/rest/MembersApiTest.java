package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/v2.0/lb/members")
class MembersApiTest extends ApiTest {

    String pool;

    @BeforeEach
    void start() {
        pool = api.pool("web");
    }

    @Test
    @DisplayName("create takes numbers and booleans as strings, as the neutron client sends them")
    void createAsTheClientSendsIt() {
        JsonNode member = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool + "\", \"admin_state_up\": true, "
                + "\"address\": \"10.0.0.11\", \"protocol_port\": \"8080\", \"weight\": \"2\"}}").expect(201).json().get("member");
        assertEquals(List.of("id", "tenant_id", "pool_id", "address", "protocol_port", "weight", "admin_state_up", "status",
                "status_description"), RestFixture.keys(member));
        assertEquals(8080, member.get("protocol_port").intValue());
        assertTrue(member.get("protocol_port").isInt());
        assertEquals(2, member.get("weight").intValue());
        assertEquals(pool, member.get("pool_id").asText());
        assertEquals(RestFixture.TENANT_A, member.get("tenant_id").asText());
        assertEquals("PENDING_CREATE", member.get("status").asText());
        String id = member.get("id").asText();
        api.awaitStatus("/v2.0/lb/members/" + id, "member", "ACTIVE");
        JsonNode poolView = api.get("/v2.0/lb/pools/" + pool).json().get("pool");
        assertEquals(id, poolView.get("members").get(0).asText());
    }

    @Test
    @DisplayName("defaults: weight 1, admin up; IPv6 addresses are written canonically")
    void defaults() {
        JsonNode member = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool
                + "\", \"address\": \"fd00:1:0:0::0011\", \"protocol_port\": 80}}").expect(201).json().get("member");
        assertEquals(1, member.get("weight").intValue());
        assertTrue(member.get("admin_state_up").booleanValue());
        assertEquals("fd00:1::11", member.get("address").asText());
    }

    @Test
    @DisplayName("a second member with the same address and port is a 409 MemberExists")
    void duplicate() {
        api.member(pool, "10.0.0.11", 8080);
        String message = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool
                + "\", \"address\": \"10.0.0.11\", \"protocol_port\": 8080}}").error(409, "MemberExists");
        assertTrue(message.contains("10.0.0.11"), message);
        api.member(pool, "10.0.0.11", 8081);
    }

    @Test
    @DisplayName("invalid values are a 400 naming each attribute")
    void invalid() {
        String message = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool
                + "\", \"address\": \"backend.example\", \"protocol_port\": \"eighty\", \"weight\": 999}}").error(400, "HTTPBadRequest");
        assertTrue(message.contains("member.address"), message);
        assertTrue(message.contains("member.protocol_port"), message);
        String weight = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool
                + "\", \"address\": \"10.0.0.5\", \"protocol_port\": 80, \"weight\": 999}}").error(400, "HTTPBadRequest");
        assertTrue(weight.contains("weight"), weight);
    }

    @Test
    @DisplayName("a member of an unknown pool is the pool's 404")
    void unknownPool() {
        String other = UUID.randomUUID().toString();
        String message = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + other
                + "\", \"address\": \"10.0.0.11\", \"protocol_port\": 80}}").error(404, "PoolNotFound");
        assertTrue(message.contains(other), message);
    }

    @Test
    @DisplayName("update changes weight and admin state, and pool_id moves the member")
    void update() {
        String id = api.member(pool, "10.0.0.11", 8080);
        JsonNode updated = api.put("/v2.0/lb/members/" + id, "{\"member\": {\"weight\": \"5\", \"admin_state_up\": false}}")
                .expect(200).json().get("member");
        assertEquals(5, updated.get("weight").intValue());
        assertFalse(updated.get("admin_state_up").booleanValue());
        String other = api.pool("other");
        JsonNode moved = api.put("/v2.0/lb/members/" + id, "{\"member\": {\"pool_id\": \"" + other + "\"}}")
                .expect(200).json().get("member");
        assertEquals(other, moved.get("pool_id").asText());
        String address = api.put("/v2.0/lb/members/" + id, "{\"member\": {\"address\": \"10.0.0.12\"}}").error(400, "HTTPBadRequest");
        assertTrue(address.contains("member.address"), address);
    }

    @Test
    @DisplayName("show, list and delete")
    void showListDelete() {
        String id = api.member(pool, "10.0.0.11", 8080);
        assertEquals("10.0.0.11", api.get("/v2.0/lb/members/" + id).expect(200).json().get("member").get("address").asText());
        assertEquals(1, api.get("/v2.0/lb/members").expect(200).json().get("members").size());
        api.delete("/v2.0/lb/members/" + id).expect(204);
        api.awaitGone("/v2.0/lb/members/" + id);
        api.get("/v2.0/lb/members/" + id).error(404, "MemberNotFound");
        assertEquals(0, api.get("/v2.0/lb/members").json().get("members").size());
    }
}

package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.rest.RestFixture.SUBNET;
import static org.lbaas.rest.RestFixture.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/v2.0/lb/pools")
class PoolsApiTest extends ApiTest {

    @Test
    @DisplayName("create answers 201 with every v1 attribute, PENDING_CREATE and the caller's tenant")
    void create() {
        JsonNode pool = api.post("/v2.0/lb/pools", "{\"pool\": {\"name\": \"web\", \"description\": \"front\", \"subnet_id\": \""
                + SUBNET.id() + "\", \"protocol\": \"HTTP\", \"lb_method\": \"LEAST_CONNECTIONS\"}}").expect(201).json().get("pool");
        assertEquals(List.of("id", "tenant_id", "name", "description", "subnet_id", "protocol", "lb_method", "provider",
                "admin_state_up", "members", "health_monitors", "health_monitors_status", "vip_id", "status",
                "status_description"), keys(pool));
        assertEquals("web", pool.get("name").asText());
        assertEquals("front", pool.get("description").asText());
        assertEquals(RestFixture.TENANT_A, pool.get("tenant_id").asText());
        assertEquals("LEAST_CONNECTIONS", pool.get("lb_method").asText());
        assertEquals("in-memory", pool.get("provider").asText());
        assertTrue(pool.get("admin_state_up").booleanValue());
        assertEquals("PENDING_CREATE", pool.get("status").asText());
        assertTrue(pool.get("vip_id").isNull());
        UUID.fromString(pool.get("id").asText());
        assertEquals(pool.get("id").asText(), api.awaitStatus("/v2.0/lb/pools/" + pool.get("id").asText(), "pool", "ACTIVE")
                .get("id").asText());
    }

    @Test
    @DisplayName("show and list answer 200 with the pool wrapped in pool / pools")
    void showAndList() {
        String id = api.pool("web");
        JsonNode shown = api.get("/v2.0/lb/pools/" + id).expect(200).json();
        assertEquals(List.of("pool"), keys(shown));
        assertEquals("web", shown.get("pool").get("name").asText());
        JsonNode list = api.get("/v2.0/lb/pools").expect(200).json();
        assertEquals(List.of("pools"), keys(list));
        assertEquals(1, list.get("pools").size());
        assertEquals(id, list.get("pools").get(0).get("id").asText());
    }

    @Test
    @DisplayName("update changes name, description, lb_method and admin_state_up")
    void update() {
        String id = api.pool("web");
        api.awaitStatus("/v2.0/lb/pools/" + id, "pool", "ACTIVE");
        JsonNode updated = api.put("/v2.0/lb/pools/" + id, "{\"pool\": {\"name\": \"web2\", \"description\": \"d\", "
                + "\"lb_method\": \"SOURCE_IP\", \"admin_state_up\": \"False\"}}").expect(200).json().get("pool");
        assertEquals("web2", updated.get("name").asText());
        assertEquals("d", updated.get("description").asText());
        assertEquals("SOURCE_IP", updated.get("lb_method").asText());
        assertFalse(updated.get("admin_state_up").booleanValue());
        assertEquals("PENDING_UPDATE", updated.get("status").asText());
        assertEquals("DISABLED", api.awaitStatus("/v2.0/lb/pools/" + id, "pool", "DISABLED").get("status").asText());
    }

    @Test
    @DisplayName("update of a fixed attribute is a 400 naming it")
    void updateReadOnly() {
        String id = api.pool("web");
        String message = api.put("/v2.0/lb/pools/" + id, "{\"pool\": {\"protocol\": \"TCP\"}}").error(400, "HTTPBadRequest");
        assertTrue(message.contains("pool.protocol"), message);
        assertTrue(message.contains("read-only"), message);
    }

    @Test
    @DisplayName("delete answers 204 and the pool is gone")
    void delete() {
        String id = api.pool("web");
        api.delete("/v2.0/lb/pools/" + id).expect(204);
        api.awaitGone("/v2.0/lb/pools/" + id);
        String message = api.get("/v2.0/lb/pools/" + id).error(404, "PoolNotFound");
        assertTrue(message.contains(id), message);
        api.delete("/v2.0/lb/pools/" + id).error(404, "PoolNotFound");
    }

    @Test
    @DisplayName("a missing or unknown attribute, a wrong enum and an unknown subnet are reported")
    void invalidCreates() {
        String missing = api.post("/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \"" + SUBNET.id() + "\", \"protocol\": \"HTTP\"}}")
                .error(400, "HTTPBadRequest");
        assertTrue(missing.contains("pool.lb_method") && missing.contains("required"), missing);
        String wrong = api.post("/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol\": \"UDP\", \"lb_method\": \"RANDOM\", \"colour\": \"red\"}}").error(400, "HTTPBadRequest");
        assertTrue(wrong.contains("pool.protocol") && wrong.contains("pool.lb_method") && wrong.contains("pool.colour"), wrong);
        String subnet = UUID.randomUUID().toString();
        String unknown = api.post("/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \"" + subnet
                + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\"}}").error(404, "SubnetNotFound");
        assertTrue(unknown.contains(subnet), unknown);
        assertEquals(0, api.get("/v2.0/lb/pools").json().get("pools").size(), "nothing was created");
    }

    @Test
    @DisplayName("a provider other than the service's driver is a 400")
    void provider() {
        String message = api.post("/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\", \"provider\": \"f5\"}}").error(400, "HTTPBadRequest");
        assertTrue(message.contains("provider"), message);
        api.post("/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\", \"provider\": \"in-memory\"}}").expect(201);
    }

    @Test
    @DisplayName("stats answers the four counters, also projected with fields")
    void stats() throws InterruptedException {
        String id = api.pool("web");
        api.member(id, "10.0.0.11", 8080);
        api.vip(id, "vip");
        api.awaitStatus("/v2.0/lb/pools/" + id, "pool", "ACTIVE");
        Thread.sleep(5); // the in-memory driver's counters grow with time while members serve
        JsonNode stats = api.get("/v2.0/lb/pools/" + id + "/stats").expect(200).json().get("stats");
        assertEquals(List.of("bytes_in", "bytes_out", "active_connections", "total_connections"), keys(stats));
        assertTrue(stats.get("bytes_out").asLong() > 0, stats.toString());
        JsonNode projected = api.get("/v2.0/lb/pools/" + id + "/stats?fields=bytes_in").expect(200).json().get("stats");
        assertEquals(List.of("bytes_in"), keys(projected));
        api.get("/v2.0/lb/pools/" + UUID.randomUUID() + "/stats").error(404, "PoolNotFound");
        api.get("/v2.0/lb/pools/" + id + "/stats?fields=nope").error(400, "HTTPBadRequest");
    }

    @Test
    @DisplayName("stats of a pool without a VIP are zero")
    void statsWithoutVip() {
        String id = api.pool("web");
        JsonNode stats = api.get("/v2.0/lb/pools/" + id + "/stats").expect(200).json().get("stats");
        assertEquals(0, stats.get("total_connections").asLong());
        assertEquals(0, stats.get("bytes_in").asLong());
    }
}

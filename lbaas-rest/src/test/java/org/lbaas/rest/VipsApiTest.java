package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.rest.RestFixture.SUBNET;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/v2.0/lb/vips")
class VipsApiTest extends ApiTest {

    String pool;

    @BeforeEach
    void start() {
        pool = api.pool("web");
        api.member(pool, "10.0.0.11", 8080);
    }

    @Test
    @DisplayName("create as the client sends it: the service picks the address, the pool points at the VIP")
    void create() {
        JsonNode vip = api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + pool + "\", \"admin_state_up\": true, "
                + "\"subnet_id\": \"" + SUBNET.id() + "\", \"name\": \"vip1\", \"protocol_port\": \"80\", \"protocol\": \"HTTP\", "
                + "\"connection_limit\": \"-1\"}}").expect(201).json().get("vip");
        assertEquals(List.of("id", "tenant_id", "name", "description", "subnet_id", "address", "port_id", "protocol_port",
                "protocol", "pool_id", "session_persistence", "connection_limit", "admin_state_up", "status",
                "status_description"), RestFixture.keys(vip));
        assertEquals("10.0.0.2", vip.get("address").asText(), "first free address after the gateway");
        assertEquals(80, vip.get("protocol_port").intValue());
        assertEquals(-1, vip.get("connection_limit").intValue());
        assertTrue(vip.get("session_persistence").isNull());
        String id = vip.get("id").asText();
        api.awaitStatus("/v2.0/lb/vips/" + id, "vip", "ACTIVE");
        assertEquals(id, api.get("/v2.0/lb/pools/" + pool).json().get("pool").get("vip_id").asText());
        assertEquals(pool, api.driver.runningIds().iterator().next().toString(), "the driver runs the load balancer");
    }

    @Test
    @DisplayName("a second VIP for the pool is a 409 VipExists; deleting the pool in use is a 409 PoolInUse")
    void conflicts() {
        String vip = api.vip(pool, "vip1");
        String second = api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + pool + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol_port\": 81, \"protocol\": \"HTTP\"}}").error(409, "VipExists");
        assertTrue(second.contains(vip), second);
        String inUse = api.delete("/v2.0/lb/pools/" + pool).error(409, "PoolInUse");
        assertTrue(inUse.contains(vip), inUse);
        api.delete("/v2.0/lb/vips/" + vip).expect(204);
        api.awaitGone("/v2.0/lb/vips/" + vip);
        api.delete("/v2.0/lb/pools/" + pool).expect(204);
    }

    @Test
    @DisplayName("an address in use by another VIP is a 409; the gateway or a protocol mismatch is a 400")
    void addressAndProtocol() {
        String other = api.pool("other");
        api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + pool + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"address\": \"10.0.0.50\", \"protocol_port\": 80, \"protocol\": \"HTTP\"}}").expect(201);
        String taken = api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + other + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"address\": \"10.0.0.50\", \"protocol_port\": 80, \"protocol\": \"HTTP\"}}").error(409, "IpAddressInUse");
        assertTrue(taken.contains("10.0.0.50"), taken);
        String gateway = api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + other + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"address\": \"10.0.0.1\", \"protocol_port\": 80, \"protocol\": \"HTTP\"}}").error(400, "HTTPBadRequest");
        assertTrue(gateway.contains("vip.address"), gateway);
        String mismatch = api.post("/v2.0/lb/vips", "{\"vip\": {\"pool_id\": \"" + other + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol_port\": 80, \"protocol\": \"TCP\"}}").error(400, "HTTPBadRequest");
        assertTrue(mismatch.contains("protocol"), mismatch);
    }

    @Test
    @DisplayName("update: connection limit, persistence set, kept when absent, removed by null; address is fixed")
    void update() {
        String vip = api.vip(pool, "vip1");
        JsonNode updated = api.put("/v2.0/lb/vips/" + vip, "{\"vip\": {\"connection_limit\": \"100\", "
                + "\"session_persistence\": {\"type\": \"APP_COOKIE\", \"cookie_name\": \"JSESSIONID\"}}}").expect(200).json().get("vip");
        assertEquals(100, updated.get("connection_limit").intValue());
        assertEquals("APP_COOKIE", updated.get("session_persistence").get("type").asText());
        assertEquals("JSESSIONID", updated.get("session_persistence").get("cookie_name").asText());
        JsonNode renamed = api.put("/v2.0/lb/vips/" + vip, "{\"vip\": {\"name\": \"renamed\", \"admin_state_up\": \"false\"}}")
                .expect(200).json().get("vip");
        assertEquals("APP_COOKIE", renamed.get("session_persistence").get("type").asText(), "kept when absent");
        assertFalse(renamed.get("admin_state_up").booleanValue());
        JsonNode cleared = api.put("/v2.0/lb/vips/" + vip, "{\"vip\": {\"session_persistence\": null}}").expect(200).json().get("vip");
        assertTrue(cleared.get("session_persistence").isNull());
        String cookie = api.put("/v2.0/lb/vips/" + vip, "{\"vip\": {\"session_persistence\": {\"type\": \"APP_COOKIE\"}}}")
                .error(400, "HTTPBadRequest");
        assertTrue(cookie.contains("cookie_name"), cookie);
        String address = api.put("/v2.0/lb/vips/" + vip, "{\"vip\": {\"address\": \"10.0.0.9\"}}").error(400, "HTTPBadRequest");
        assertTrue(address.contains("vip.address"), address);
    }

    @Test
    @DisplayName("show, list and delete; the load balancer stops running")
    void showListDelete() {
        String vip = api.vip(pool, "vip1");
        api.awaitStatus("/v2.0/lb/vips/" + vip, "vip", "ACTIVE");
        assertEquals("vip1", api.get("/v2.0/lb/vips/" + vip).expect(200).json().get("vip").get("name").asText());
        assertEquals(1, api.get("/v2.0/lb/vips").expect(200).json().get("vips").size());
        api.delete("/v2.0/lb/vips/" + vip).expect(204);
        api.awaitGone("/v2.0/lb/vips/" + vip);
        api.get("/v2.0/lb/vips/" + vip).error(404, "VipNotFound");
        assertTrue(api.driver.runningIds().isEmpty(), "undeployed");
        assertTrue(api.get("/v2.0/lb/pools/" + pool).json().get("pool").get("vip_id").isNull());
    }
}

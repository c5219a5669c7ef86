package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/v2.0/lb/health_monitors and the pool associations")
class HealthMonitorsApiTest extends ApiTest {

    String pool;

    @BeforeEach
    void start() {
        pool = api.pool("web");
    }

    @Test
    @DisplayName("create as the client sends it; v1's HTTP defaults are filled in")
    void create() {
        JsonNode m = api.post("/v2.0/lb/health_monitors", "{\"health_monitor\": {\"admin_state_up\": true, \"delay\": \"3\", "
                + "\"max_retries\": \"3\", \"timeout\": \"3\", \"type\": \"HTTP\"}}").expect(201).json().get("health_monitor");
        assertEquals(List.of("id", "tenant_id", "type", "delay", "timeout", "max_retries", "http_method", "url_path",
                "expected_codes", "admin_state_up", "pools"), RestFixture.keys(m));
        assertEquals(3, m.get("delay").intValue());
        assertEquals("GET", m.get("http_method").asText());
        assertEquals("/", m.get("url_path").asText());
        assertEquals("200", m.get("expected_codes").asText());
        assertEquals(0, m.get("pools").size());
    }

    @Test
    @DisplayName("delay below timeout is a 400 that names the field")
    void delayBelowTimeout() {
        String message = api.post("/v2.0/lb/health_monitors", "{\"health_monitor\": {\"delay\": 3, \"max_retries\": 3, "
                + "\"timeout\": 10, \"type\": \"TCP\"}}").error(400, "HTTPBadRequest");
        assertTrue(message.contains("health_monitor.timeout"), message);
        String monitor = api.monitor(5, 5);
        String update = api.put("/v2.0/lb/health_monitors/" + monitor, "{\"health_monitor\": {\"timeout\": 9}}")
                .error(400, "HTTPBadRequest");
        assertTrue(update.contains("timeout"), update);
    }

    @Test
    @DisplayName("associate answers 201 {\"health_monitor\": {}} as Neutron's API layer did; both sides show the association")
    void associate() throws Exception {
        String m1 = api.monitor(5, 3);
        String m2 = api.monitor(6, 3);
        JsonNode first = api.post("/v2.0/lb/pools/" + pool + "/health_monitors", "{\"health_monitor\": {\"id\": \"" + m1 + "\"}}")
                .expect(201).json();
        assertEquals(RestFixture.MAPPER.readTree("{\"health_monitor\": {}}"), first);
        JsonNode second = api.post("/v2.0/lb/pools/" + pool + "/health_monitors.json", "{\"health_monitor\": {\"id\": \"" + m2
                + "\", \"tenant_id\": \"" + RestFixture.TENANT_A + "\"}}").expect(201).json();
        assertEquals(RestFixture.MAPPER.readTree("{\"health_monitor\": {}}"), second);
        assertEquals(2, api.get("/v2.0/lb/pools/" + pool).json().get("pool").get("health_monitors").size());
        JsonNode poolView = api.get("/v2.0/lb/pools/" + pool).json().get("pool");
        assertEquals(m1, poolView.get("health_monitors").get(0).asText());
        assertEquals(m1, poolView.get("health_monitors_status").get(0).get("monitor_id").asText());
        JsonNode monitor = api.get("/v2.0/lb/health_monitors/" + m1).json().get("health_monitor");
        assertEquals(pool, monitor.get("pools").get(0).get("pool_id").asText());
    }

    @Test
    @DisplayName("associating twice is a 409; deleting a monitor in use is a 409; disassociate is 204, then 404")
    void conflicts() {
        String m = api.monitor(5, 3);
        String body = "{\"health_monitor\": {\"id\": \"" + m + "\"}}";
        api.post("/v2.0/lb/pools/" + pool + "/health_monitors", body).expect(201);
        String twice = api.post("/v2.0/lb/pools/" + pool + "/health_monitors", body).error(409, "PoolMonitorAssociationExists");
        assertTrue(twice.contains(m) && twice.contains(pool), twice);
        String inUse = api.delete("/v2.0/lb/health_monitors/" + m).error(409, "HealthMonitorInUse");
        assertTrue(inUse.contains(pool), inUse);
        api.delete("/v2.0/lb/pools/" + pool + "/health_monitors/" + m).expect(204);
        // the 204 accepts the deletion; until the driver has applied it the association is PENDING_DELETE and a
        // second delete is a 409 StateInvalid (as in Neutron), so wait for it to finish (bounded) before the 404
        RestFixture.Reply again = api.delete("/v2.0/lb/pools/" + pool + "/health_monitors/" + m);
        for (int i = 0; i < 250 && again.status() == 409 && again.text().contains("PENDING_DELETE"); i++) {
            sleep(20);
            again = api.delete("/v2.0/lb/pools/" + pool + "/health_monitors/" + m);
        }
        again.error(404, "PoolMonitorAssociationNotFound");
        api.delete("/v2.0/lb/pools/" + pool + "/health_monitors/not-a-uuid").error(404, "PoolMonitorAssociationNotFound");
        api.delete("/v2.0/lb/health_monitors/" + m).expect(204);
        api.get("/v2.0/lb/health_monitors/" + m).error(404, "HealthMonitorNotFound");
    }

    @Test
    @DisplayName("the association body is checked: id required, a UUID, of a known monitor; nothing else")
    void associationBody() {
        String path = "/v2.0/lb/pools/" + pool + "/health_monitors";
        assertTrue(api.post(path, "{\"health_monitor\": {}}").error(400, "HTTPBadRequest").contains("health_monitor.id"));
        assertTrue(api.post(path, "{\"health_monitor\": {\"id\": \"x\"}}").error(400, "HTTPBadRequest").contains("UUID"));
        assertTrue(api.post(path, "{\"health_monitor\": {\"id\": 7, \"delay\": 3}}").error(400, "HTTPBadRequest")
                .contains("health_monitor.delay"));
        assertTrue(api.post(path, "[]").error(400, "HTTPBadRequest").contains("health_monitor"));
        assertTrue(api.post(path, "{\"health_monitor\": ").error(400, "HTTPBadRequest").contains("line 1"));
        String unknown = UUID.randomUUID().toString();
        assertTrue(api.post(path, "{\"health_monitor\": {\"id\": \"" + unknown + "\"}}").error(404, "HealthMonitorNotFound")
                .contains(unknown));
        String m = api.monitor(5, 3);
        api.post("/v2.0/lb/pools/" + UUID.randomUUID() + "/health_monitors", "{\"health_monitor\": {\"id\": \"" + m + "\"}}")
                .error(404, "PoolNotFound");
    }

    @Test
    @DisplayName("update changes timing and HTTP attributes; a type change is read-only")
    void update() {
        String m = api.monitor(5, 3);
        JsonNode updated = api.put("/v2.0/lb/health_monitors/" + m, "{\"health_monitor\": {\"delay\": \"10\", \"timeout\": \"4\", "
                + "\"max_retries\": 5, \"url_path\": \"/ping\", \"expected_codes\": \"200-204\"}}").expect(200).json()
                .get("health_monitor");
        assertEquals(10, updated.get("delay").intValue());
        assertEquals(4, updated.get("timeout").intValue());
        assertEquals(5, updated.get("max_retries").intValue());
        assertEquals("/ping", updated.get("url_path").asText());
        assertEquals("200-204", updated.get("expected_codes").asText());
        String type = api.put("/v2.0/lb/health_monitors/" + m, "{\"health_monitor\": {\"type\": \"TCP\"}}").error(400, "HTTPBadRequest");
        assertTrue(type.contains("health_monitor.type"), type);
        assertEquals(1, api.get("/v2.0/lb/health_monitors").expect(200).json().get("health_monitors").size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

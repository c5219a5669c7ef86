package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.rest.RestFixture.SUBNET;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** REST requests are timed by route template and status code, never by raw path or id. */
class RequestMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    long requests(String method, String uri, String status) {
        Timer t = registry.find("lbaas.rest.requests").tags("method", method, "uri", uri, "status", status).timer();
        return t == null ? 0 : t.count();
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    @DisplayName("requests are timed by method, route template, status and outcome")
    void timedByRoute() throws Exception {
        try (RestFixture api = new RestFixture(b -> b.meterRegistry(registry))) {
            String id = api.post("/v2.0/lb/pools", "{\"pool\": {\"name\": \"web\", \"subnet_id\": \"" + SUBNET.id()
                    + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\"}}").expect(201).json().get("pool").get("id").asText();
            api.get("/v2.0/lb/pools/" + id).expect(200);
            api.get("/v2.0/lb/pools/" + id + "/stats").expect(200);
            api.get("/v2.0/lb/pools/" + UUID.randomUUID()).expect(404);
            api.get("/v2.0/lb/pools").expect(200);
            api.get("/v2.0/no-such-thing/" + UUID.randomUUID()).expect(404);
            api.get("/v2.0/lb/pools", "not-a-token").expect(401);

            eventually("every request timed", () -> registry.find("lbaas.rest.requests").timers().stream()
                    .mapToLong(Timer::count).sum() == 7);
            assertEquals(1, requests("POST", "/v2.0/lb/pools", "201"));
            assertEquals(1, requests("GET", "/v2.0/lb/pools/{id}", "200"));
            assertEquals(1, requests("GET", "/v2.0/lb/pools/{id}", "404"));
            assertEquals(1, requests("GET", "/v2.0/lb/pools/{id}/stats", "200"));
            assertEquals(1, requests("GET", "/v2.0/lb/pools", "200"));
            assertEquals(1, requests("GET", "/v2.0/lb/pools", "401"));
            assertEquals(1, requests("GET", "UNMATCHED", "404"));
            assertEquals("CLIENT_ERROR", registry.get("lbaas.rest.requests").tags("status", "404", "uri", "UNMATCHED").timer()
                    .getId().getTag("outcome"));
            assertEquals("SUCCESS", registry.get("lbaas.rest.requests").tags("status", "201").timer().getId().getTag("outcome"));
            for (Meter m : registry.getMeters()) {
                assertTrue(!m.getId().toString().contains(id), "a pool id became a tag: " + m.getId());
            }
        }
    }

    @Test
    @DisplayName("route templates: every served path has one, anything else is UNMATCHED")
    void routes() {
        try (RestFixture api = new RestFixture()) {
            ApiHandler h = new ApiHandler(api.service, org.lbaas.api.SubnetRegistry.of(),
                    Authenticator.staticTokens(java.util.Map.of()), 1024);
            String u = UUID.randomUUID().toString();
            assertEquals("/", h.route("/"));
            assertEquals("/v2.0", h.route("/v2.0/"));
            assertEquals("/v2.0/extensions/{alias}", h.route("/v2.0/extensions/lbaas"));
            assertEquals("/v2.0/subnets", h.route("/v2.0/subnets.json"));
            assertEquals("/v2.0/subnets/{id}", h.route("/v2.0/subnets/" + u));
            assertEquals("/v2.0/lb/members/{id}", h.route("/v2.0/lb/members/" + u));
            assertEquals("/v2.0/lb/vips", h.route("/v2.0/lb/vips"));
            assertEquals("/v2.0/lb/health_monitors/{id}", h.route("/v2.0/lb/health_monitors/" + u));
            assertEquals("/v2.0/lb/pools/{id}/health_monitors", h.route("/v2.0/lb/pools/" + u + "/health_monitors"));
            assertEquals("/v2.0/lb/pools/{id}/health_monitors/{monitor_id}",
                    h.route("/v2.0/lb/pools/" + u + "/health_monitors/" + u));
            assertEquals("UNMATCHED", h.route("/v2.0/lb/members/" + u + "/stats"));
            assertEquals("UNMATCHED", h.route("/v2.0/lb/" + u));
            assertEquals("UNMATCHED", h.route("/v3/" + u));
            assertEquals("UNMATCHED", h.route("/v2.0/lb/pools/%zz"));
            assertEquals("UNMATCHED", h.route("/v2.0/subnets/" + u + "/x"));
        }
    }
}

package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("error responses: status, NeutronError shape and a message that says what to fix")
class ErrorsApiTest extends ApiTest {

    @Test
    @DisplayName("401 without a token and with a wrong one; the version document needs none")
    void unauthorized() {
        assertTrue(api.get("/v2.0/lb/pools", null).error(401, "HTTPUnauthorized").contains("X-Auth-Token"));
        assertTrue(api.get("/v2.0/lb/pools", "wrong").error(401, "HTTPUnauthorized").contains("not valid"));
        api.get("/v2.0/lb/pools", "").error(401, "HTTPUnauthorized");
        api.send("POST", "/v2.0/lb/pools", null, RestFixture.poolBody("x"), "application/json").error(401, "HTTPUnauthorized");
        api.get("/v2.0/nothing-here", null).error(401, "HTTPUnauthorized");
        assertEquals(0, api.service.listPools().size(), "nothing was created");
        api.get("/", null).expect(200);
    }

    @Test
    @DisplayName("an authenticator that fails is a 503, not a pass")
    void failingAuthenticator() {
        try (RestFixture broken = new RestFixture(b -> b.auth(token -> {
            throw new IllegalStateException("identity service down");
        }))) {
            broken.get("/v2.0/lb/pools").error(503, "HTTPServiceUnavailable");
        }
    }

    @Test
    @DisplayName("404 for unknown paths, unknown ids and ids that are not UUIDs")
    void notFound() {
        assertTrue(api.get("/v2.0/lb/listeners").error(404, "HTTPNotFound").contains("/v2.0/lb/listeners"));
        api.get("/v3/lb/pools").error(404, "HTTPNotFound");
        api.get("/v2.0/lb/pools/" + UUID.randomUUID() + "/members").error(404, "HTTPNotFound");
        api.get("/v2.0/lb/pools/not-a-uuid").error(404, "PoolNotFound");
        api.get("/v2.0/lb/vips/" + UUID.randomUUID()).error(404, "VipNotFound");
        api.put("/v2.0/lb/members/" + UUID.randomUUID(), "{\"member\": {\"weight\": 2}}").error(404, "MemberNotFound");
        api.delete("/v2.0/lb/health_monitors/" + UUID.randomUUID()).error(404, "HealthMonitorNotFound");
    }

    @Test
    @DisplayName("405 with an Allow header for a method the path does not take")
    void methodNotAllowed() {
        RestFixture.Reply r = api.delete("/v2.0/lb/pools");
        r.error(405, "HTTPMethodNotAllowed");
        assertEquals("GET, POST", r.header("Allow").orElseThrow());
        api.post("/v2.0/lb/pools/" + UUID.randomUUID(), "{}").error(405, "HTTPMethodNotAllowed");
        api.get("/v2.0/lb/pools/" + UUID.randomUUID() + "/health_monitors").error(405, "HTTPMethodNotAllowed");
        api.put("/v2.0/subnets/" + RestFixture.SUBNET.id(), "{}").error(405, "HTTPMethodNotAllowed");
    }

    @Test
    @DisplayName("malformed JSON is a 400 that says where")
    void malformed() {
        String truncated = api.post("/v2.0/lb/pools", "{\"pool\": {\"name\": \"web\",\n \"protocol\": ").error(400, "HTTPBadRequest");
        assertTrue(truncated.contains("line 2"), truncated);
        String stray = api.post("/v2.0/lb/pools", "{\"pool\": {\"name\": \"web\"}} x").error(400, "HTTPBadRequest");
        assertTrue(stray.contains("line 1, column"), stray);
        String duplicate = api.post("/v2.0/lb/members", "{\"member\": {\"weight\": 1, \"weight\": 2}}").error(400, "HTTPBadRequest");
        assertTrue(duplicate.contains("weight"), duplicate);
        assertTrue(api.post("/v2.0/lb/pools", "").error(400, "HTTPBadRequest").contains("empty"));
        assertTrue(api.put("/v2.0/lb/pools/" + api.pool("p"), "{").error(400, "HTTPBadRequest").contains("line 1"));
    }

    @Test
    @DisplayName("a body of the wrong shape or types is a 400 naming every attribute")
    void wrongShape() {
        assertTrue(api.post("/v2.0/lb/pools", "[]").error(400, "HTTPBadRequest").contains("pool"));
        assertTrue(api.post("/v2.0/lb/pools", "{\"vip\": {}}").error(400, "HTTPBadRequest").contains("pool"));
        String types = api.post("/v2.0/lb/vips", "{\"vip\": {\"protocol_port\": true, \"admin_state_up\": \"maybe\", "
                + "\"connection_limit\": 1.5}}").error(400, "HTTPBadRequest");
        assertTrue(types.contains("vip.protocol_port"), types);
        assertTrue(types.contains("vip.admin_state_up"), types);
        assertTrue(types.contains("vip.connection_limit"), types);
        assertTrue(types.contains("vip.pool_id"), "missing required attributes too: " + types);
    }

    @Test
    @DisplayName("415 for a body declared as something other than JSON; 400 for bytes that are not UTF-8")
    void notJson() {
        String message = api.send("POST", "/v2.0/lb/pools", RestFixture.TOKEN_A, RestFixture.poolBody("x"),
                "application/x-www-form-urlencoded").error(415, "HTTPUnsupportedMediaType");
        assertTrue(message.contains("application/x-www-form-urlencoded"), message);
        api.send("POST", "/v2.0/lb/pools", RestFixture.TOKEN_A, RestFixture.poolBody("x"), "text/plain").error(415,
                "HTTPUnsupportedMediaType");
        api.send("POST", "/v2.0/lb/pools", RestFixture.TOKEN_A, RestFixture.poolBody("ok1"), "application/json; charset=UTF-8")
                .expect(201);
        byte[] body = RestFixture.poolBody("ok2").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer untyped = RawHttp.exchange(api.server.address(), "POST /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\n"
                + "X-Auth-Token: " + RestFixture.TOKEN_A + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
        assertEquals(201, untyped.status(), "a body without Content-Type is taken as JSON: " + untyped.text());
        byte[] latin1 = RestFixture.poolBody("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(api.sendBytes("POST", "/v2.0/lb/pools", RestFixture.TOKEN_A, latin1, "application/json")
                .error(400, "HTTPBadRequest").contains("UTF-8"));
    }

    @Test
    @DisplayName("every response carries a request id; error bodies have type, message and an empty detail")
    void requestIds() {
        RestFixture.Reply ok = api.get("/v2.0/lb/pools").expect(200);
        assertTrue(ok.header("X-Openstack-Request-Id").orElseThrow().startsWith("req-"));
        RestFixture.Reply bad = api.get("/v2.0/lb/pools/" + UUID.randomUUID());
        bad.error(404, "PoolNotFound");
        assertTrue(bad.header("X-Openstack-Request-Id").orElseThrow().startsWith("req-"));
        assertEquals(3, bad.json().get("NeutronError").size());
    }
}

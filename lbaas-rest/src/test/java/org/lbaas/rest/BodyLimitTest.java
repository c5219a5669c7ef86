package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("request bodies are limited to maxBodyBytes")
class BodyLimitTest {

    static final int LIMIT = 1024;

    RestFixture api;

    @BeforeEach
    void start() {
        api = new RestFixture(b -> b.maxBodyBytes(LIMIT));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A valid pool body padded with whitespace to exactly {@code size} bytes. */
    static String padded(String name, int size) {
        String body = RestFixture.poolBody(name);
        return body + " ".repeat(size - body.getBytes(StandardCharsets.UTF_8).length);
    }

    private String head(String extra) {
        return "POST /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + RestFixture.TOKEN_A
                + "\r\nContent-Type: application/json\r\n" + extra + "Connection: close\r\n\r\n";
    }

    @Test
    @DisplayName("a body of exactly the limit is accepted; one byte more is a 413 and creates nothing")
    void atAndOverTheLimit() {
        api.post("/v2.0/lb/pools", padded("exact", LIMIT)).expect(201);
        String message = api.post("/v2.0/lb/pools", padded("over", LIMIT + 1)).error(413, "HTTPRequestEntityTooLarge");
        assertTrue(message.contains(String.valueOf(LIMIT)), message);
        assertEquals(1, api.get("/v2.0/lb/pools").json().get("pools").size());
    }

    @Test
    @DisplayName("a declared Content-Length over the limit is refused before the body is read")
    void declaredLength() {
        byte[] some = "{\"pool\": ".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer a = RawHttp.exchange(api.server.address(), head("Content-Length: 104857600\r\n"), some);
        assertEquals(413, a.status(), a.text());
        assertTrue(a.body().contains("HTTPRequestEntityTooLarge"), a.text());
    }

    @Test
    @DisplayName("a chunked body that grows past the limit is cut off with a 413")
    void chunked() {
        byte[] big = padded("chunked", 200 * 1024).getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer a = RawHttp.exchange(api.server.address(), head("Transfer-Encoding: chunked\r\n"), RawHttp.chunked(big, 4096));
        assertEquals(413, a.status(), a.text());
        byte[] small = RestFixture.poolBody("small-chunked").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer ok = RawHttp.exchange(api.server.address(), head("Transfer-Encoding: chunked\r\n"), RawHttp.chunked(small, 7));
        assertEquals(201, ok.status(), ok.text());
        assertEquals(1, api.get("/v2.0/lb/pools?name=small-chunked").json().get("pools").size());
    }

    @Test
    @DisplayName("updates and associations are limited too, and the server keeps serving after a 413")
    void everyBody() {
        String pool = api.pool("web");
        String bigUpdate = "{\"pool\": {\"name\": \"x\"}}" + " ".repeat(LIMIT);
        api.put("/v2.0/lb/pools/" + pool, bigUpdate).error(413, "HTTPRequestEntityTooLarge");
        api.post("/v2.0/lb/pools/" + pool + "/health_monitors", "{\"health_monitor\": {\"id\": \"x\"}}" + " ".repeat(LIMIT))
                .error(413, "HTTPRequestEntityTooLarge");
        assertEquals("web", api.get("/v2.0/lb/pools/" + pool).expect(200).json().get("pool").get("name").asText());
    }
}

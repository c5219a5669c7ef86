package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Requests the HTTP server refuses before the API sees them are answered in Neutron's shape too. */
@DisplayName("errors of the HTTP layer are NeutronError JSON")
class HttpLayerErrorsTest extends ApiTest {

    private RawHttp.Answer send(String head) {
        return RawHttp.exchange(api.server.address(), head, new byte[0]);
    }

    private static void neutronError(RawHttp.Answer a, int status, String type) {
        assertEquals(status, a.status(), a.text());
        assertTrue(a.headers().getOrDefault("content-type", java.util.List.of("")).get(0).startsWith("application/json"), a.text());
        assertTrue(a.body().contains("\"type\":\"" + type + "\""), a.text());
        assertTrue(a.body().contains("\"NeutronError\""), a.text());
    }

    @Test
    @DisplayName("an unparsable Content-Length is a 400")
    void badContentLength() {
        neutronError(send("POST /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + RestFixture.TOKEN_A
                + "\r\nContent-Length: lots\r\nConnection: close\r\n\r\n"), 400, "HTTPBadRequest");
    }

    @Test
    @DisplayName("a head over 8 KiB is a 431")
    void headTooLarge() {
        neutronError(send("GET /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + RestFixture.TOKEN_A + "\r\nX-Padding: "
                + "p".repeat(16 * 1024) + "\r\nConnection: close\r\n\r\n"), 431, "HTTPRequestHeaderFieldsTooLarge");
    }

    @Test
    @DisplayName("a kept-alive connection serves several requests")
    void keepAlive() throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(api.server.address(), 2000);
            s.setSoTimeout(3000);
            var in = new java.io.BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write(("GET /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + RestFixture.TOKEN_A
                        + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                assertTrue(head.toString().startsWith("HTTP/1.1 200 "), head.toString());
                int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                assertEquals(length, in.readNBytes(length).length);
            }
        }
    }
}

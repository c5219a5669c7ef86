package org.lbaas.lab.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backend in this JVM on the loopback address, spoken to over raw sockets. */
class TestBackendTest {

    private final List<TestBackend> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TestBackend::close);
    }

    private TestBackend start(TestBackend.Options options) {
        TestBackend b = TestBackend.start(options);
        started.add(b);
        return b;
    }

    private TestBackend start(String name) {
        return start(TestBackend.Options.of(name, InetAddress.getLoopbackAddress(), 0));
    }

    /** A minimal HTTP/1.1 exchange with Connection: close. */
    record Response(int status, List<String> headers, String body) {
        Optional<String> header(String name) {
            String p = name.toLowerCase() + ":";
            return headers.stream().filter(h -> h.toLowerCase().startsWith(p)).map(h -> h.substring(p.length()).trim()).findFirst();
        }

        List<String> all(String name) {
            String p = name.toLowerCase() + ":";
            return headers.stream().filter(h -> h.toLowerCase().startsWith(p)).map(h -> h.substring(p.length()).trim()).toList();
        }
    }

    static Response request(int port, String method, String target) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String statusLine = reader.readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String> headers = new ArrayList<>();
        for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
            headers.add(line);
        }
        StringBuilder body = new StringBuilder();
        char[] buf = new char[1024];
        for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
            body.append(buf, 0, n);
        }
        return new Response(status, headers, body.toString());
    }

    @Test
    void answersEveryPathWithItsNameAndHeader() throws IOException {
        TestBackend b = start("alpha");
        for (String path : List.of("/", "/anything/else?x=1", "/index.html")) {
            Response r = request(b.port(), "GET", path);
            assertEquals(200, r.status());
            assertEquals("alpha\n", r.body());
            assertEquals(Optional.of("alpha"), r.header("X-Backend"));
            assertTrue(r.all("Set-Cookie").isEmpty());
        }
        assertEquals(3, b.requests());
    }

    @Test
    void headGetsHeadersWithoutBody() throws IOException {
        TestBackend b = start("alpha");
        Response r = request(b.port(), "HEAD", "/");
        assertEquals(200, r.status());
        assertEquals("", r.body());
        assertEquals(Optional.of("alpha"), r.header("X-Backend"));
    }

    @Test
    void setcookieSetsTheNamedApplicationCookieWithACounter() throws IOException {
        TestBackend b = start("beta");
        assertEquals(List.of("JSESSIONID=beta-1; Path=/"), request(b.port(), "GET", "/setcookie?name=JSESSIONID").all("Set-Cookie"));
        assertEquals(List.of("SID=beta-2; Path=/"), request(b.port(), "GET", "/setcookie?name=SID").all("Set-Cookie"));
        assertTrue(request(b.port(), "GET", "/setcookie").all("Set-Cookie").isEmpty(), "no name, no cookie");
        assertTrue(request(b.port(), "GET", "/setcookie?name=bad;name").all("Set-Cookie").isEmpty(), "invalid names are ignored");
    }

    @Test
    void aConfiguredCookieIsSetOnEveryOrdinaryResponse() throws IOException {
        TestBackend b = start(TestBackend.Options.of("gamma", InetAddress.getLoopbackAddress(), 0).withCookie("APP"));
        assertEquals(List.of("APP=gamma-1; Path=/"), request(b.port(), "GET", "/").all("Set-Cookie"));
        assertEquals(List.of("APP=gamma-2; Path=/"), request(b.port(), "GET", "/x").all("Set-Cookie"));
        assertTrue(request(b.port(), "GET", "/health").all("Set-Cookie").isEmpty());
    }

    @Test
    void healthFollowsTheControlEndpointsAndTheApi() throws IOException {
        TestBackend b = start("delta");
        assertEquals(200, request(b.port(), "GET", "/health").status());
        assertEquals(200, request(b.port(), "GET", "/control/fail").status());
        Response failing = request(b.port(), "GET", "/health");
        assertEquals(503, failing.status());
        assertEquals(Optional.of("delta"), failing.header("X-Backend"));
        assertFalse(b.isHealthy());
        assertEquals(200, request(b.port(), "GET", "/anything").status(), "ordinary requests still work");
        request(b.port(), "GET", "/control/recover");
        assertEquals(200, request(b.port(), "GET", "/health").status());
        b.setHealthy(false);
        assertEquals(503, request(b.port(), "HEAD", "/health").status());
        assertEquals(4, b.healthChecks());
        assertEquals(1, b.requests());
    }

    @Test
    void statsReportCountersAsJsonAndResetZeroesThem() throws IOException {
        TestBackend b = start("eps");
        request(b.port(), "GET", "/");
        request(b.port(), "GET", "/a");
        request(b.port(), "GET", "/health");
        request(b.port(), "GET", "/control/fail");
        Response stats = request(b.port(), "GET", "/control/stats");
        assertEquals(Optional.of("application/json; charset=utf-8"), stats.header("Content-Type"));
        String json = stats.body();
        assertTrue(json.startsWith("{\"name\":\"eps\",\"healthy\":false,\"requests\":2,\"healthChecks\":1,\"inFlight\":1,\"openConnections\":"), json);
        request(b.port(), "GET", "/control/reset");
        assertTrue(request(b.port(), "GET", "/control/stats").body().contains("\"requests\":0,\"healthChecks\":0"));
    }

    @Test
    void aSlowRequestHoldsItsConnectionAndIsCountedAsOpen() throws Exception {
        TestBackend b = start("zeta");
        try (Socket slow = new Socket()) {
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port()), 2000);
            slow.setSoTimeout(10_000);
            long start = System.nanoTime();
            slow.getOutputStream().write("GET /slow?ms=700 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.inFlight() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, b.inFlight());
            assertEquals(1, b.openConnections().orElseThrow(), "only the slow connection is open");
            String stats = request(b.port(), "GET", "/control/stats").body();
            assertTrue(stats.contains("\"inFlight\":2,\"openConnections\":2"), stats);
            Response r = read(slow.getInputStream());
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("zeta\n", r.body());
            assertTrue(tookMs >= 700, "answered after " + tookMs + " ms");
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.openConnections().orElseThrow() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, b.openConnections().orElseThrow());
        assertEquals(0, b.inFlight());
    }

    @Test
    void closeStopsListeningAndIsIdempotent() throws IOException {
        TestBackend b = start("eta");
        int port = b.port();
        b.close();
        b.close();
        assertThrows(ConnectException.class, () -> request(port, "GET", "/"));
    }

    @Test
    void invalidOptionsAreRejected() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        assertThrows(IllegalArgumentException.class, () -> TestBackend.Options.of("bad name", lo, 0));
        assertThrows(IllegalArgumentException.class, () -> TestBackend.Options.of("\"quote", lo, 0));
        assertThrows(IllegalArgumentException.class, () -> TestBackend.Options.of("ok", lo, 70000));
        assertThrows(IllegalArgumentException.class, () -> TestBackend.Options.of("ok", lo, 0).withCookie("a=b"));
    }
}

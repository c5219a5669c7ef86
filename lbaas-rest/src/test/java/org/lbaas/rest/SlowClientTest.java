package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow and excess clients cannot stall the API. Bounded: at most 100 sockets in all, every test
 * within the class timeout. The first test uses only the builder's defaults, so it also ran against
 * the JDK server this replaced (which did not answer within 5 s).
 */
@DisplayName("slow clients cannot stall the API")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlowClientTest {

    static final String GET_POOLS = "GET /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + RestFixture.TOKEN_A
            + "\r\nConnection: close\r\n\r\n";

    /** Opens sockets that send the start of a request line and nothing more. */
    static List<Socket> slowHeads(RestFixture api, int n) throws IOException {
        List<Socket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(api.server.address(), 2000);
            OutputStream o = s.getOutputStream();
            o.write("GET /v2.0/lb/po".getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            out.add(s);
        }
        return out;
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Whether the server closed the socket (end of stream or reset) within the wait. */
    static boolean closedByServer(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    @DisplayName("60 connections that send a partial request line do not delay a normal request (defaults)")
    void partialRequestLinesDoNotStallOthers() throws Exception {
        try (RestFixture api = new RestFixture()) {
            List<Socket> slow = slowHeads(api, 60);
            try {
                Thread.sleep(200);
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    RawHttp.Answer a = RawHttp.exchange(api.server.address(), GET_POOLS, new byte[0]);
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertEquals(200, a.status(), () -> "answer after " + ms + " ms: " + a.text());
                    assertTrue(ms < 2000, "a normal request waited " + ms + " ms behind slow clients");
                }
            } finally {
                closeAll(slow);
            }
        }
    }

    @Test
    @DisplayName("the server closes connections whose request head is not complete within the header timeout")
    void slowHeadsAreClosed() throws Exception {
        try (RestFixture api = new RestFixture(b -> b.headerTimeout(Duration.ofSeconds(1)))) {
            List<Socket> slow = slowHeads(api, 20);
            // one more that trickles its head a byte at a time, never going idle
            Socket trickle = new Socket();
            trickle.connect(api.server.address(), 2000);
            slow.add(trickle);
            try {
                long t0 = System.nanoTime();
                OutputStream o = trickle.getOutputStream();
                boolean cut = false;
                for (int i = 0; i < 40 && !cut; i++) {
                    try {
                        o.write('a');
                        o.flush();
                    } catch (SocketException e) {
                        cut = true;
                    }
                    Thread.sleep(100);
                }
                assertTrue(cut || closedByServer(trickle, Duration.ofSeconds(2)), "a head trickled for 4 s was not cut off");
                for (Socket s : slow) {
                    assertTrue(closedByServer(s, Duration.ofSeconds(3)), "a slow head is still open");
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ms < 6000, "closing took " + ms + " ms");
                assertEquals(200, RawHttp.exchange(api.server.address(), GET_POOLS, new byte[0]).status());
            } finally {
                closeAll(slow);
            }
        }
    }

    @Test
    @DisplayName("a body that trickles is cut off with a 408 after the request timeout, and others are served meanwhile")
    void tricklingBodyIsCutOff() throws Exception {
        try (RestFixture api = new RestFixture(b -> b.requestTimeout(Duration.ofSeconds(1)).threads(1))) {
            List<Socket> trickling = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket();
                    s.connect(api.server.address(), 2000);
                    s.getOutputStream().write(("POST /v2.0/lb/pools HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + RestFixture.TOKEN_A
                            + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                    trickling.add(s);
                }
                long t0 = System.nanoTime();
                // a single worker thread, three trickling bodies: a normal request is still answered at once
                RawHttp.Answer normal = RawHttp.exchange(api.server.address(), GET_POOLS, new byte[0]);
                assertEquals(200, normal.status(), normal.text());
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1000);
                Socket s = trickling.get(0);
                OutputStream o = s.getOutputStream();
                for (int i = 0; i < 6; i++) {
                    try {
                        o.write(' ');
                        o.flush();
                    } catch (SocketException e) {
                        break;
                    }
                    Thread.sleep(250);
                }
                s.setSoTimeout(3000);
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
                assertTrue(answer.contains("\"type\":\"HTTPRequestTimeout\""), answer);
                assertTrue(ms < 4000, "cut off after " + ms + " ms");
                for (Socket other : trickling.subList(1, trickling.size())) {
                    other.setSoTimeout(3000);
                    String a = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(a.startsWith("HTTP/1.1 408 "), a);
                }
                assertEquals(0, api.get("/v2.0/lb/pools").json().get("pools").size(), "nothing was created");
            } finally {
                closeAll(trickling);
            }
        }
    }

    @Test
    @DisplayName("beyond the connection limit a client is answered 503 at once, while connections within it are served")
    void connectionLimit() throws Exception {
        int limit = 10;
        try (RestFixture api = new RestFixture(b -> b.maxConnections(limit))) {
            List<Socket> held = slowHeads(api, limit - 1);
            Socket kept = new Socket();
            kept.connect(api.server.address(), 2000);
            held.add(kept);
            try {
                Thread.sleep(200);
                long t0 = System.nanoTime();
                RawHttp.Answer refused = RawHttp.exchange(api.server.address(), GET_POOLS, new byte[0]);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(503, refused.status(), refused.text());
                assertTrue(ms < 1000, "refused after " + ms + " ms");
                assertTrue(refused.body().contains("\"type\": \"HTTPServiceUnavailable\""), refused.text());
                assertTrue(refused.body().contains("limit"), refused.text());
                assertEquals(List.of("1"), refused.headers().get("retry-after"));

                // a connection within the limit is served
                kept.setSoTimeout(3000);
                kept.getOutputStream().write(GET_POOLS.getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(kept.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);

                // places come back when connections close
                closeAll(held);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                RawHttp.Answer again;
                do {
                    Thread.sleep(50);
                    again = RawHttp.exchange(api.server.address(), GET_POOLS, new byte[0]);
                } while (again.status() != 200 && System.nanoTime() < deadline);
                assertEquals(200, again.status(), again.text());
            } finally {
                closeAll(held);
            }
        }
    }
}

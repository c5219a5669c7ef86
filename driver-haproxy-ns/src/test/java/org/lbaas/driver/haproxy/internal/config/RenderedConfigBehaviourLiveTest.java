package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.lab.backend.TestBackendProcess;

/**
 * Rendered configurations do what the model says, on a real HAProxy: inside a throw-away network
 * namespace ({@code lbt} + random suffix, deleted in all cases) with the VIP and two
 * {@link TestBackendProcess} members on its loopback device, HAProxy runs the renderer's exact
 * output and a client inside the namespace sends real requests. Covers: connection limit 0 accepts
 * nothing (and 1 does), several monitors form one chain (a member is down as soon as one step fails),
 * HTTP_COOKIE inserts the member id, APP_COOKIE learns and follows the application's cookie.
 */
@Tag("live")
class RenderedConfigBehaviourLiveTest {

    @TempDir
    Path dir;

    private String ns;
    private String net;
    private final LiveRig rig = new LiveRig();

    @BeforeEach
    void namespace() throws Exception {
        SecureRandom random = new SecureRandom();
        ns = rig.namespace("lbt" + LiveRig.suffix(random) + "-render");
        net = "198.18." + random.nextInt(256) + ".";
        for (String host : List.of("10", "11", "12")) {
            LiveRig.run("ip", "-n", ns, "addr", "add", net + host + "/32", "dev", "lo");
        }
    }

    @AfterEach
    void removeEverything() {
        rig.close();
    }

    private TestBackendProcess backend(String name, String host, String cookie) {
        TestBackendProcess.Builder b = TestBackendProcess.builder(name).namespace(ns).bind(net + host).port(8080);
        if (cookie != null) {
            b.cookie(cookie);
        }
        return rig.onClose(b.start());
    }

    private RenderFixtures.Lb twoMembers(Protocol protocol) {
        return RenderFixtures.lb(protocol).subnet(net + "0/24", net + "1").vipAddress(net + "10")
                .member(RenderFixtures.id(0xc, 1), net + "11", 8080, 1, true)
                .member(RenderFixtures.id(0xc, 2), net + "12", 8080, 1, true);
    }

    /** Renders, checks with -dW -c, and runs HAProxy in the namespace until the test ends. */
    private InstanceFiles start(LoadBalancer lb) throws Exception {
        return rig.startHaproxy(ns, dir.resolve("i"), lb, Optional.empty());
    }

    /** One request from inside the namespace: status (0 when no HTTP answer), headers lower-cased. */
    private Map<String, String> get(String path, String cookie) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "curl", "-s", "-i", "-m", "5",
                "http://" + net + "10:80" + path));
        if (cookie != null) {
            argv.addAll(List.of("-H", "Cookie: " + cookie));
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Map<String, String> result = new HashMap<>();
        result.put(":curl-exit", Integer.toString(p.exitValue()));
        result.put(":status", "0");
        for (String line : out.split("\r\n")) {
            if (line.startsWith("HTTP/")) {
                result.put(":status", line.split(" ")[1]);
            } else if (line.contains(": ")) {
                String name = line.substring(0, line.indexOf(": ")).toLowerCase(java.util.Locale.ROOT);
                result.merge(name, line.substring(line.indexOf(": ") + 2), (a, b) -> a + "; " + b);
            } else if (line.isEmpty()) {
                break;
            }
        }
        return result;
    }

    static String runtime(Path socket, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    break;
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    /** Server status by server name, from {@code show stat}. */
    private static Map<String, String> serverStatus(Path socket) throws IOException {
        Map<String, String> status = new HashMap<>();
        for (String line : runtime(socket, "show stat").split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && !line.startsWith("#") && !f[1].equals("FRONTEND") && !f[1].equals("BACKEND")) {
                status.put(f[1], f[17]);
            }
        }
        return status;
    }

    private static void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void connectionLimitZeroAcceptsNothingWhileOneServes() throws Exception {
        backend("b1", "11", null);
        backend("b2", "12", null);
        start(twoMembers(Protocol.HTTP).connectionLimit(0).build());
        for (int i = 0; i < 3; i++) {
            Map<String, String> r = get("/x", null);
            assertEquals("0", r.get(":status"), "a response came through a VIP with connection_limit 0: " + r);
            assertNotEquals("0", r.get(":curl-exit"));
        }
        for (String host : List.of("11", "12")) {
            assertTrue(backendStats(host).contains("\"requests\":0"), "a member was reached: " + backendStats(host));
        }
    }

    private String backendStats(String host) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "curl", "-s", "-m", "5",
                "http://" + net + host + ":8080/control/stats").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return out.replace(" ", "");
    }

    @Test
    void connectionLimitOneServes() throws Exception {
        backend("b1", "11", null);
        backend("b2", "12", null);
        start(twoMembers(Protocol.HTTP).connectionLimit(1).build());
        assertEquals("200", get("/x", null).get(":status"));
        String both = backendStats("11") + backendStats("12");
        assertTrue(both.contains("\"requests\":1") && both.contains("\"requests\":0"), both);
    }

    @Test
    void everyMonitorMustPassAndOneFailingStepTakesAMemberDown() throws Exception {
        backend("b1", "11", null);
        backend("b2", "12", null);
        LoadBalancer lb = twoMembers(Protocol.HTTP)
                .monitor(RenderFixtures.httpMonitor(1, MonitorType.HTTP, 1, 1, 1, HttpMethod.GET, "/health", "200"))
                .monitor(RenderFixtures.httpMonitor(2, MonitorType.HTTP, 1, 1, 1, HttpMethod.HEAD, "/anything?x=1", "200-204"))
                .monitor(RenderFixtures.monitor(3, MonitorType.TCP, 2, 1, 2))
                .build();
        InstanceFiles files = start(lb);
        String s1 = RenderFixtures.id(0xc, 1).toString();
        String s2 = RenderFixtures.id(0xc, 2).toString();
        await("both members up", Duration.ofSeconds(15), () -> {
            Map<String, String> st = serverStatus(files.socket());
            return "UP".equals(st.get(s1)) && "UP".equals(st.get(s2));
        });
        // only /health fails on b1; the HEAD step still passes, yet the member must go down
        assertEquals("200", get("/x", null).get(":status"));
        Process fail = new ProcessBuilder("ip", "netns", "exec", ns, "curl", "-s", "-m", "5", "http://" + net + "11:8080/control/fail")
                .start();
        assertEquals(0, fail.waitFor());
        await("b1 down", Duration.ofSeconds(15), () -> serverStatus(files.socket()).get(s1).startsWith("DOWN"));
        assertEquals("UP", serverStatus(files.socket()).get(s2));
        for (int i = 0; i < 4; i++) {
            assertEquals("b2", get("/x", null).get("x-backend"));
        }
    }

    @Test
    void httpCookieInsertsTheMemberIdAndFollowsIt() throws Exception {
        backend("b1", "11", null);
        backend("b2", "12", null);
        start(twoMembers(Protocol.HTTP).persistence(SessionPersistence.httpCookie()).build());
        Map<String, String> first = get("/x", null);
        String setCookie = first.get("set-cookie");
        assertTrue(setCookie != null && setCookie.startsWith("SRV="), first.toString());
        String member = setCookie.substring(4, setCookie.indexOf(';'));
        String backend = first.get("x-backend");
        assertEquals(backend.equals("b1") ? RenderFixtures.id(0xc, 1).toString() : RenderFixtures.id(0xc, 2).toString(), member);
        for (int i = 0; i < 6; i++) {
            assertEquals(backend, get("/x", "SRV=" + member).get("x-backend"));
        }
    }

    @Test
    void appCookieLearnsTheApplicationsCookieAndFollowsIt() throws Exception {
        backend("b1", "11", "APPSESS");
        backend("b2", "12", "APPSESS");
        start(twoMembers(Protocol.HTTP).persistence(SessionPersistence.appCookie("APPSESS")).build());
        Map<String, String> first = get("/x", null);
        String setCookie = first.get("set-cookie");
        assertTrue(setCookie != null && setCookie.startsWith("APPSESS="), first.toString());
        String value = setCookie.substring("APPSESS=".length(), setCookie.indexOf(';'));
        String backend = first.get("x-backend");
        boolean other = false;
        for (int i = 0; i < 6; i++) {
            assertEquals(backend, get("/x", "a=1; APPSESS=" + value + "; z=2").get("x-backend"));
            other |= !get("/x", null).get("x-backend").equals(backend);
        }
        assertTrue(other, "without the cookie, round robin must reach the other member too");
        assertFalse(value.isEmpty());
    }
}

package org.lbaas.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandFailedException;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.backend.TestBackendProcess;

/** Real namespaces, a real bridge, real backend JVMs and curl. Needs root, iproute2 and curl. */
@Tag("live")
class NetnsTopologyLiveTest {

    private static final ShellExecutor SYSTEM = ShellExecutor.system();

    @BeforeAll
    static void requireRootIpAndCurl() {
        // skips where root or a tool is missing, except in CI, where that must fail the run
        HostCheck.unmet("ip", "curl").ifPresent(reason -> {
            String message = "live namespace tests: " + reason;
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true, so this fails instead of skipping)");
            }
            assumeTrue(false, message);
        });
    }

    /** Every namespace and device name in the root namespace that starts with the prefix. */
    private static List<String> namesWithPrefix(String prefix) {
        List<String> found = new ArrayList<>();
        SYSTEM.execute("ip", "netns", "list").requireSuccess().stdout().lines()
                .map(l -> l.trim().split("\\s+")[0]).filter(n -> n.startsWith(prefix)).forEach(found::add);
        Matcher m = Pattern.compile("^\\d+: ([^:@\\s]+)", Pattern.MULTILINE)
                .matcher(SYSTEM.execute("ip", "link", "show").requireSuccess().stdout());
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    @Test
    void threeBackendsAnswerTheClientByNameAndEverythingIsGoneAfterClose() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b", "c").create();
        String prefix = t.namePrefix();
        List<Long> pids = new ArrayList<>();
        try {
            assertEquals(Set.of(prefix + "-client", prefix + "-a", prefix + "-b", prefix + "-c", prefix,
                    prefix + "v0", prefix + "v1", prefix + "v2", prefix + "v3"), Set.copyOf(namesWithPrefix(prefix)));

            Map<String, TestBackendProcess> backends = t.startBackends();
            backends.values().forEach(p -> pids.add(p.pid()));
            for (String name : List.of("a", "b", "c")) {
                NetnsTopology.HttpResponse r = t.httpGet(NetnsTopology.CLIENT, t.backendUrl(name, "/"));
                assertEquals(200, r.status());
                assertEquals(name + "\n", r.body());
                assertEquals(name, r.header("X-Backend").orElseThrow());
                assertEquals(backends.get(name).namespace().orElseThrow(), t.host(name).namespace());
            }
            NetnsTopology.HttpResponse v6 = t.httpGet(NetnsTopology.CLIENT, t.backendUrl6("c", "/"));
            assertEquals("c\n", v6.body(), "IPv6 works too");

            NetnsTopology.HttpResponse cookie = t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/setcookie?name=APP"));
            assertEquals(List.of("APP=a-1; Path=/"), cookie.headers("Set-Cookie"));

            assertEquals(200, t.httpGet(NetnsTopology.CLIENT, t.backendUrl("b", "/health")).status());
            t.httpGet(NetnsTopology.CLIENT, t.backendUrl("b", "/control/fail"));
            assertEquals(503, t.httpGet(NetnsTopology.CLIENT, t.backendUrl("b", "/health")).status());
            assertEquals(200, t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/health")).status());
            assertEquals(200, t.httpGet(NetnsTopology.CLIENT, t.backendUrl("c", "/health")).status());
            t.httpGet(NetnsTopology.CLIENT, t.backendUrl("b", "/control/recover"));
            assertEquals(200, t.httpGet(NetnsTopology.CLIENT, t.backendUrl("b", "/health")).status());

            String stats = t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/control/stats")).body();
            assertTrue(stats.contains("\"requests\":2,\"healthChecks\":1"), stats);
        } finally {
            t.close();
        }
        assertEquals(List.of(), namesWithPrefix(prefix), "no namespace or device left");
        assertEquals(List.of(), t.leftovers());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "backend " + pid + " stopped");
        }
        t.close();
    }

    @Test
    void theRootNamespaceHasNoAddressOrRouteIntoTheTestSubnet() {
        try (NetnsTopology t = NetnsTopology.builder().backends("a").create()) {
            CommandResult addrs = SYSTEM.execute("ip", "-o", "addr", "show", "dev", t.bridge()).requireSuccess();
            assertEquals("", addrs.stdout(), "the bridge carries no address, not even link-local");
            String routes4 = SYSTEM.execute("ip", "-4", "-o", "route", "show", "table", "all").requireSuccess().stdout();
            assertFalse(routes4.contains(t.bridge()), routes4);
            String net = t.ipv4Subnet().substring(0, t.ipv4Subnet().lastIndexOf('.') + 1);
            assertFalse(routes4.contains(net), routes4);
            // The kernel gives every IPv6-capable link a multicast route; nothing else may be there.
            List<String> routes6 = SYSTEM.execute("ip", "-6", "-o", "route", "show", "table", "all").requireSuccess()
                    .stdout().lines().filter(l -> l.contains(t.bridge())).toList();
            assertTrue(routes6.stream().allMatch(l -> l.startsWith("multicast ff00::/8 ")), routes6.toString());
            String net6 = t.ipv6Subnet().substring(0, t.ipv6Subnet().indexOf("::"));
            assertFalse(SYSTEM.execute("ip", "-6", "-o", "route", "show", "table", "all").stdout().contains(net6));
        }
    }

    @Test
    void aSlowRequestShowsAsAnOpenConnectionInsideTheNamespace() throws Exception {
        try (NetnsTopology t = NetnsTopology.builder().backends("a").create()) {
            TestBackendProcess a = t.startBackend("a");
            CompletableFuture<NetnsTopology.HttpResponse> slow = CompletableFuture.supplyAsync(
                    () -> t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/slow?ms=3000")));
            String stats = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                stats = t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/control/stats")).body();
                if (stats.contains("\"inFlight\":2")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(stats.contains("\"inFlight\":2,\"openConnections\":2"), stats);
            assertEquals("a\n", slow.get(10, TimeUnit.SECONDS).body());
            assertTrue(a.isAlive());
        }
    }

    @Test
    void aBackendKilledFromOutsideDoesNotStopClose() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a").create();
        TestBackendProcess a = t.startBackend("a");
        ProcessHandle handle = ProcessHandle.of(a.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(10, TimeUnit.SECONDS);
        t.close();
        assertEquals(List.of(), namesWithPrefix(t.namePrefix()));
    }

    @Test
    void aRealCreationThatFailsMidwayLeavesNothingBehind() {
        // Real commands, except that the third one (the address batch of backend "a") is
        // answered with a failure instead of being run.
        AtomicInteger calls = new AtomicInteger();
        List<Command> seen = new ArrayList<>();
        ShellExecutor failingThird = command -> {
            synchronized (seen) {
                seen.add(command);
            }
            if (calls.incrementAndGet() == 3) {
                return new CommandResult(command, 2, "", false, "injected failure", false, java.time.Duration.ZERO);
            }
            return SYSTEM.execute(command);
        };
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> NetnsTopology.builder().executor(failingThird).backends("a", "b").create());
        assertEquals("injected failure", e.stderr());
        String namespace = e.argv().get(2);
        String prefix = namespace.substring(0, namespace.indexOf('-'));
        assertEquals(prefix + "-a", namespace);
        assertEquals(List.of(), namesWithPrefix(prefix), "the partial topology was removed");
        assertTrue(seen.stream().anyMatch(c -> c.argv().equals(List.of("ip", "-force", "-batch", "-"))));
    }
}

package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.cluster.EmbeddedZooKeeper;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * Issue 15's node death, for real, as root: a real ZooKeeper server (ZooKeeper's embedded server,
 * in this JVM), two {@code lbaas agent} processes (JVMs of their own) with the haproxy-ns driver,
 * each with its own namespace prefix and state directory, plugged into one bridge, and
 * {@code lbaas serve --zookeeper} in front. Debian's {@code neutron} command creates the load
 * balancer; HTTP flows through the VIP from a client namespace. Then the serving node dies: its
 * agent's JVM is killed with SIGKILL, its HAProxy processes too, and its namespaces are deleted.
 * The VIP answers again from the other agent; the time from the kill to the first answer is
 * printed and bounded by the session timeout, the grace period and a few seconds of apply.
 */
@Tag("live")
class ClusterNeutronLiveTest {

    private static final String TOKEN = "s3cret";
    private static final Duration SESSION = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Session expiry, grace, one apply of haproxy-ns (namespace, veth, HAProxy start) and slack for a loaded machine. */
    /** How long the cluster's status may take to show a registration or a placement. */
    private static final Duration STATUS_WITHIN = Duration.ofSeconds(60);
    private static final Duration BOUND = SESSION.plus(GRACE).plusSeconds(7);

    @TempDir
    Path dir;

    @Test
    @DisplayName("a load balancer made by the neutron client over two agent processes answers from the other agent after its node dies")
    void deadNodeCostsSeconds() throws Exception {
        assumeTrue(onPath("neutron"), "needs the neutron command (python3-neutronclient)");
        NetnsTopology t = NetnsTopology.builder().backends("a", "b").create();
        Map<String, String> prefixes = new LinkedHashMap<>();
        for (String node : List.of("node-a", "node-b")) {
            prefixes.put(node, "q" + t.namePrefix() + node.charAt(node.length() - 1) + "-");
        }
        Map<String, Process> agents = new LinkedHashMap<>();
        EmbeddedZooKeeper zookeeper = null;
        Thread serve = null;
        try {
            t.startBackends();
            zookeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
            String zk = zookeeper.connectString();
            for (String node : prefixes.keySet()) {
                agents.put(node, agent(zk, node, prefixes.get(node), t.bridge()));
            }
            Path subnets = dir.resolve("subnets.json");
            String subnetId = "0b7c4b0e-3c1f-4f0e-9a55-5f1b1c2d3e4f";
            Files.writeString(subnets, "{\"subnets\": [{\"id\": \"" + subnetId + "\", \"cidr\": \"" + t.ipv4Subnet()
                    + "\", \"gateway_ip\": \"" + t.ipv4Gateway().getHostAddress() + "\"}]}");
            int port = ClusterCommandsTest.closedPort();
            String url = "http://127.0.0.1:" + port;
            serve = new Thread(() -> CliRun.run("serve", "--zookeeper", zk, "--port", String.valueOf(port), "--token", TOKEN,
                    "--subnets", subnets.toString(), "--grace", GRACE.toMillis() + "ms", "--namespace-prefix", "qunused-",
                    "--bridge", t.bridge()), "lbaas-serve");
            serve.start();
            ClusterInProcessTest.awaitStatus(zk, s -> s.get("agents").size() == 2, "both agents registered", STATUS_WITHIN);

            neutron(url, "lb-pool-create", "--name", "web", "--lb-method", "ROUND_ROBIN", "--protocol", "HTTP",
                    "--subnet-id", subnetId);
            for (String b : List.of("a", "b")) {
                neutron(url, "lb-member-create", "--address", t.host(b).ipv4().getHostAddress(), "--protocol-port", "8080", "web");
            }
            String vipAddress = t.allocateIpv4().getHostAddress();
            neutron(url, "lb-vip-create", "--name", "web-vip", "--protocol-port", "80", "--protocol", "HTTP", "--subnet-id",
                    subnetId, "--address", vipAddress, "web");
            awaitVipActive(url);
            String vipUrl = "http://" + vipAddress + ":80";
            DemoCommand.Traffic traffic = new DemoCommand.Traffic(t);
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 8, Optional.empty()).keySet(), "traffic through the VIP");

            JsonNode placed = ClusterInProcessTest.awaitStatus(zk, s -> s.get("placements").size() == 1,
                    "the load balancer placed", STATUS_WITHIN);
            String serving = placed.get("placements").get(0).get("agents").get(0).asText();
            String other = serving.equals("node-a") ? "node-b" : "node-a";

            // The serving node dies: its agent's JVM, its HAProxy processes and its namespaces.
            List<Long> haproxies = haproxyPids(dir.resolve(serving));
            assertEquals(1, haproxies.size(), "one HAProxy on " + serving);
            long killed = System.nanoTime();
            agents.get(serving).destroyForcibly();
            haproxies.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            for (String ns : namespaces(prefixes.get(serving))) {
                ShellExecutor.system().execute("ip", "netns", "delete", ns);
            }
            assertTrue(agents.get(serving).waitFor(10, TimeUnit.SECONDS), "the agent's JVM is gone");

            long until = killed + Duration.ofSeconds(60).toNanos();
            while (!SelfHealingLiveTest.answers(t, vipUrl + "/")) {
                assertTrue(System.nanoTime() < until, "no answer through the VIP within 60 s of the node's death");
                Thread.sleep(20);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("cluster: node " + serving + " killed (JVM, HAProxy, namespaces); the VIP answered from "
                    + other + " after " + millis + " ms (session " + SESSION.toMillis() + " ms, grace " + GRACE.toMillis() + " ms)");
            JsonNode moved = ClusterInProcessTest.awaitStatus(zk, s -> s.get("placements").size() == 1
                    && s.get("placements").get(0).get("agents").get(0).asText().equals(other), "placed on " + other, STATUS_WITHIN);
            assertNotEquals(serving, moved.get("placements").get(0).get("agents").get(0).asText());
            assertTrue(millis < BOUND.toMillis(), "the VIP answered after " + millis + " ms; bound " + BOUND.toMillis() + " ms");
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 8, Optional.empty()).keySet(), "both members from " + other);
            assertEquals("ACTIVE", neutron(url, "lb-vip-show", "web-vip", "-f", "value", "-c", "status").strip());
        } finally {
            for (Process p : agents.values()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            if (serve != null) {
                serve.interrupt();
                serve.join(30_000);
            }
            for (Map.Entry<String, String> node : prefixes.entrySet()) {
                try (LoadBalancerDriver cleaner = DriverFactory.create(Map.of("state_dir",
                        dir.resolve(node.getKey()).resolve("haproxy").toString(), "namespace_prefix", node.getValue(),
                        "bridge", t.bridge()), ShellExecutor.system())) {
                    cleaner.reconcile(List.of()); // what a killed agent left, also after a failure
                }
            }
            if (zookeeper != null) {
                zookeeper.close();
            }
            t.close();
        }
        List<String> all = new ArrayList<>(prefixes.values());
        all.add(t.namePrefix());
        assertEquals(List.of(), LiveChecks.leftovers(all, dir.toString()));
    }

    /** Starts {@code lbaas agent} in a JVM of its own (this test's class path), its output into a log. */
    private Process agent(String zk, String node, String prefix, String bridge) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent",
                "--zookeeper", zk, "--agent-id", node, "--session-timeout", SESSION.toMillis() + "ms", "--namespace-prefix",
                prefix, "--bridge", bridge, "--state-dir", dir.resolve(node).toString());
        Path log = dir.resolve(node + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs the neutron command against the API; fails unless it exits 0 within 120 s; returns its output. */
    private String neutron(String url, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("neutron"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
        pb.environment().put("OS_AUTH_TYPE", "token_endpoint");
        pb.environment().put("OS_TOKEN", TOKEN);
        pb.environment().put("OS_URL", url);
        Path out = Files.createTempFile(dir, "neutron", ".txt");
        Process p = pb.redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "neutron " + command + " finished");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ":\n" + text);
        return text.lines().filter(l -> !l.contains("neutron CLI is deprecated")).reduce("", (a, b) -> a + b + "\n");
    }

    private void awaitVipActive(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String status = "";
        while (System.nanoTime() < deadline) {
            status = neutron(url, "lb-vip-show", "web-vip", "-f", "value", "-c", "status").strip();
            if (status.equals("ACTIVE")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the VIP is " + status + ", not ACTIVE, 60 s after its creation");
    }

    /** The pids in the HAProxy pid files under a node's state directory. */
    private static List<Long> haproxyPids(Path state) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> s = Files.walk(state)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals("pid") && Files.isRegularFile(f)).toList()) {
                for (String pid : Files.readString(p, StandardCharsets.US_ASCII).strip().split("\\s+")) {
                    pids.add(Long.parseLong(pid));
                }
            }
        }
        return pids;
    }

    private static List<String> namespaces(String prefix) {
        return ShellExecutor.system().execute("ip", "netns", "list").stdout().lines()
                .map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(prefix)).toList();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}

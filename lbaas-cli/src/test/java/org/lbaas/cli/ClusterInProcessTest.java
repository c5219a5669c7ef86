package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.cluster.EmbeddedZooKeeper;

/**
 * A cluster in this JVM through the command line: an {@link EmbeddedZooKeeper}, two
 * {@code lbaas agent} commands with the in-memory driver on threads, {@code lbaas serve --zookeeper}
 * on a thread; a load balancer created over the REST API is placed on an agent, {@code lbaas
 * cluster status} shows it, and stopping that agent moves it to the other.
 */
class ClusterInProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBNET_ID = "2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11";

    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Map<String, CliRun> results = new ConcurrentHashMap<>();
    private EmbeddedZooKeeper zookeeper;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Thread t : running.values()) {
            t.interrupt();
        }
        for (Thread t : running.values()) {
            t.join(15_000);
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    /** Runs a command on a thread of its own, until it ends or is interrupted. */
    private void start(String name, String... args) {
        Thread t = new Thread(() -> results.put(name, CliRun.run(args)), "cli-" + name);
        running.put(name, t);
        t.start();
    }

    /** Interrupts a command (as Ctrl-C would stop it) and returns how it ended. */
    private CliRun stop(String name) throws InterruptedException {
        Thread t = running.remove(name);
        t.interrupt();
        t.join(15_000);
        assertFalse(t.isAlive(), name + " stops when interrupted");
        return results.get(name);
    }

    @Test
    @Timeout(120)
    @DisplayName("agents and serve --zookeeper: a VIP made over REST is placed, shown by cluster status, and moves when its agent stops")
    void placedShownAndMoved(@TempDir Path dir) throws Exception {
        zookeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        String zk = zookeeper.connectString();
        for (String id : List.of("agent-a", "agent-b")) {
            start(id, "agent", "--zookeeper", zk, "--agent-id", id, "--driver", "in-memory", "--session-timeout", "2s",
                    "--state-dir", dir.resolve(id).toString());
        }
        JsonNode agents = awaitStatus(zk, s -> s.get("agents").size() == 2, "both agents registered");
        assertEquals("in-memory", agents.get("agents").get(0).get("driver").asText());

        Path subnets = dir.resolve("subnets.json");
        Files.writeString(subnets, ServeTest.SUBNETS);
        int port = ClusterCommandsTest.closedPort();
        start("serve", "serve", "--zookeeper", zk, "--driver", "in-memory", "--port", String.valueOf(port), "--token", "s3cret",
                "--subnets", subnets.toString(), "--grace", "500ms");
        String api = "http://127.0.0.1:" + port + "/v2.0";
        awaitServing(api);

        String poolId = create(api, "/lb/pools", "{\"pool\": {\"subnet_id\": \"" + SUBNET_ID + "\", \"protocol\": \"HTTP\","
                + " \"lb_method\": \"ROUND_ROBIN\"}}").get("pool").get("id").asText();
        create(api, "/lb/members", "{\"member\": {\"pool_id\": \"" + poolId + "\", \"address\": \"10.0.0.7\", \"protocol_port\": 8080}}");
        String vipId = create(api, "/lb/vips", "{\"vip\": {\"subnet_id\": \"" + SUBNET_ID + "\", \"protocol\": \"HTTP\","
                + " \"protocol_port\": 80, \"pool_id\": \"" + poolId + "\"}}").get("vip").get("id").asText();
        awaitActive(api, vipId);

        JsonNode placed = awaitStatus(zk, s -> s.get("placements").size() == 1, "the load balancer placed");
        JsonNode placement = placed.get("placements").get(0);
        assertEquals(poolId, placement.get("pool_id").asText());
        assertEquals(1, placement.get("agents").size(), "the in-memory driver runs one instance");
        String first = placement.get("agents").get(0).asText();
        assertTrue(placed.get("leader").asText().startsWith("serve-"), placed::toString);
        CliRun text = CliRun.run("cluster", "status", "--zookeeper", zk);
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().contains("agents: 2"), text::toString);
        assertTrue(text.out().contains("  pool " + poolId + "  0: " + first), text::toString);
        assertTrue(text.out().contains("malformed znodes: none"), text::toString);
        assertTrue(text.out().lines().anyMatch(l -> l.matches("  " + first + " +driver in-memory +load 1 .*")), text::toString);

        CliRun stopped = stop(first);
        assertEquals(0, stopped.exit(), stopped::toString);
        assertTrue(stopped.out().contains("lbaas agent: agent " + first + " serves the load balancers placed on it (ZooKeeper at "
                + zk + " under /lbaas, driver in-memory"), stopped::toString);
        String other = first.equals("agent-a") ? "agent-b" : "agent-a";
        JsonNode moved = awaitStatus(zk, s -> s.get("placements").size() == 1
                && s.get("placements").get(0).get("agents").get(0).asText().equals(other), "the load balancer moved to " + other);
        assertEquals(1, moved.get("agents").size(), moved::toString);
        assertEquals(1, moved.get("agents").get(0).get("load").asInt(), moved::toString);
        awaitActive(api, vipId);

        CliRun serve = stop("serve");
        assertEquals(0, serve.exit(), serve::toString);
        assertTrue(serve.out().contains("state in ZooKeeper at " + zk + " under /lbaas"), serve::toString);
    }

    @Test
    @Timeout(60)
    @DisplayName("agent with haproxy-ns and --topology active-standby: two drivers (placement=split, ordinals 0 and 1), pairs declared")
    void pairAgentHasOneDriverPerOrdinal(@TempDir Path dir) throws Exception {
        zookeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        String zk = zookeeper.connectString();
        String prefix = "qct" + Long.toString(System.nanoTime() % 1_000_000, 36) + "-";
        start("pair", "agent", "--zookeeper", zk, "--agent-id", "pair-node", "--topology", "active-standby",
                "--namespace-prefix", prefix, "--state-dir", dir.resolve("state").toString());
        JsonNode status = awaitStatus(zk, s -> s.get("agents").size() == 1, "the agent registered");
        assertEquals("haproxy-ns", status.get("agents").get(0).get("driver").asText(), status::toString);
        CliRun stopped = stop("pair");
        assertEquals(0, stopped.exit(), stopped::toString);
        assertTrue(stopped.out().contains("driver haproxy-ns with one driver per pair instance, state in " + dir.resolve("state")),
                stopped::toString);
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix), ""));
    }

    private static JsonNode awaitStatus(String zk, Predicate<JsonNode> until, String what) throws Exception {
        return awaitStatus(zk, until, what, Duration.ofSeconds(30));
    }

    /** Runs {@code lbaas cluster status --json} until its answer passes {@code until}, at most {@code within}. */
    static JsonNode awaitStatus(String zk, Predicate<JsonNode> until, String what, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        CliRun last = null;
        while (System.nanoTime() < deadline) {
            last = CliRun.run("cluster", "status", "--zookeeper", zk, "--json");
            assertEquals(0, last.exit(), last::toString);
            JsonNode status = JSON.readTree(last.out());
            if (until.test(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what + "; last status: " + last);
    }

    private static void awaitServing(String api) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (send(api, "GET", "/lb/pools", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve --zookeeper did not answer at " + api + " within 30 s");
    }

    private static void awaitActive(String api, String vipId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status = null;
        while (System.nanoTime() < deadline) {
            status = JSON.readTree(send(api, "GET", "/lb/vips/" + vipId, null).body()).get("vip").get("status").asText();
            if (status.equals("ACTIVE")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("VIP " + vipId + " is " + status + ", not ACTIVE, after 30 s");
    }

    private static JsonNode create(String api, String path, String body) throws Exception {
        HttpResponse<String> r = send(api, "POST", path, body);
        assertEquals(201, r.statusCode(), r::body);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(String api, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("X-Auth-Token", "s3cret");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}

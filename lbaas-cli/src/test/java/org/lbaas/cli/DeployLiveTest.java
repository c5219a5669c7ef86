package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.Repository;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * The state commands for real, as root, against HAProxy in namespaces of a throw-away topology:
 * deploy, status, stats, update, a crash repaired by reconcile, undeploy, and nothing left.
 */
@Tag("live")
class DeployLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @DisplayName("deploy, status, stats, update, reconcile after SIGKILL and undeploy of one document")
    void lifecycle() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b", "c").create();
        String state = tmp.resolve("st").toString();
        String prefix = "q" + t.namePrefix() + "-";
        try {
            t.startBackends();
            ObjectNode doc = (ObjectNode) JSON.readTree(DemoCommand.document(t, List.of("a", "b", "c")));
            ((ObjectNode) doc.get("vip")).remove("session_persistence");
            ArrayNode members = (ArrayNode) doc.get("members");
            String docPool = doc.get("pool").get("id").asText();
            String vipUrl = "http://" + doc.get("vip").get("address").asText() + ":80";
            Path file = Docs.write(tmp, "lb.json", doc.toPrettyString());
            String[] where = {"--state-dir", state};

            CliRun deploy = CliRun.run(args("deploy", file.toString(), "--bridge", t.bridge(), "--namespace-prefix", prefix,
                    "--state-dir", state));
            assertEquals(0, deploy.exit(), deploy::toString);
            assertTrue(deploy.out().matches("[0-9a-f-]{36}\n"), deploy::toString);
            String pool = deploy.out().strip();
            assertEquals(docPool, pool, "the load balancer keeps the document's pool id");

            // Deploying the same document again is idempotent: the same load balancer, nothing changed.
            CliRun again = CliRun.run(args("deploy", file.toString(), where));
            assertEquals(0, again.exit(), again::toString);
            assertEquals(pool + "\n", again.out(), again::toString);
            assertEquals(1, Repository.fileStore(Path.of(state, "store")).load().loadBalancers().size());

            DemoCommand.Traffic traffic = new DemoCommand.Traffic(t);
            assertEquals(Set.of("a", "b", "c"), traffic.spread(vipUrl, 9, Optional.empty()).keySet());

            CliRun status = CliRun.run(args("status", where));
            assertEquals(0, status.exit(), status::toString);
            assertTrue(status.out().contains("pool " + pool + "  demo-web  HTTP ROUND_ROBIN  ACTIVE"), status::toString);
            assertEquals(3, status.out().lines().filter(l -> l.contains("health UP")).count(), status::toString);
            Matcher pid = Pattern.compile("namespace  " + Pattern.quote(prefix + pool) + "  haproxy pid (\\d+) running").matcher(status.out());
            assertTrue(pid.find(), status::toString);

            for (String id : List.of(pool)) {
                CliRun stats = CliRun.run(args("stats", id, where));
                assertEquals(0, stats.exit(), stats::toString);
                JsonNode s = JSON.readTree(stats.out());
                assertEquals(pool, s.get("pool_id").asText());
                assertTrue(s.get("running").asBoolean());
                assertTrue(s.get("stats").get("total_connections").asLong() >= 1, stats::toString);
                assertTrue(s.get("stats").get("bytes_in").asLong() > 0, stats::toString);
                assertEquals(3, s.get("members").size());
                s.get("members").forEach(m -> assertEquals("UP", m.get("health").asText(), stats::toString));
            }

            String removed = members.get(2).get("address").asText();
            members.remove(2);
            ((ObjectNode) members.get(1)).put("weight", 3);
            Docs.write(tmp, "lb.json", doc.toPrettyString());
            CliRun update = CliRun.run(args("update", file.toString(), where));
            assertEquals(0, update.exit(), update::toString);
            assertTrue(update.out().contains("member " + removed + ":8080 removed"), update::toString);
            assertTrue(update.out().contains("updated (weight 3, admin up)"), update::toString);
            Map<String, Integer> after = traffic.spread(vipUrl, 8, Optional.empty());
            assertEquals(Set.of("a", "b"), after.keySet(), after::toString);
            assertTrue(after.get("b") > after.get("a"), after::toString);
            CliRun unchanged = CliRun.run(args("update", file.toString(), where));
            assertEquals("pool " + pool + ": nothing to change\n", unchanged.out(), unchanged::toString);

            long haproxy = Long.parseLong(pid.group(1));
            ProcessHandle.of(haproxy).ifPresent(ProcessHandle::destroyForcibly);
            awaitGone(haproxy);
            assertTrue(CliRun.run(args("status", where)).out().contains("HAProxy NOT running"));
            CliRun reconcile = CliRun.run(args("reconcile", where));
            assertEquals(0, reconcile.exit(), reconcile::toString);
            assertTrue(reconcile.out().contains("  repaired  " + pool), reconcile::toString);
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 4, Optional.empty()).keySet());
            CliRun quiet = CliRun.run(args("reconcile", where));
            assertTrue(quiet.out().contains("  adopted   " + pool), quiet::toString);

            CliRun undeploy = CliRun.run(args("undeploy", docPool, where));
            assertEquals(0, undeploy.exit(), undeploy::toString);
            assertEquals("undeployed pool " + pool + "\n", undeploy.out());
            assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix), state));
            assertEquals("no load balancers deployed in " + state + "\n", CliRun.run(args("status", where)).out());
            CliRun gone = CliRun.run(args("undeploy", pool, where));
            assertEquals(2, gone.exit(), gone::toString);
        } finally {
            LiveChecks.removeAll(Map.of("state_dir", state + "/haproxy", "namespace_prefix", prefix, "bridge", t.bridge()), t);
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, t.namePrefix()), state));
    }

    private static String[] args(String command, String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(command, first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static String[] args(String command, String[] rest) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}

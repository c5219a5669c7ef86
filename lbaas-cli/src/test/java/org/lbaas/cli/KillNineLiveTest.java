package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.Repository;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.HealthMonitor;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * A real {@code kill -9} of {@code lbaas deploy} (its own JVM) at several points, then
 * {@code lbaas deploy} of the same document again: one load balancer, under the document's ids,
 * serving traffic; {@code undeploy} then leaves nothing.
 */
@Tag("live")
class KillNineLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Process lbaas(List<String> args) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cp = new ArrayList<>();
        for (String key : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(key);
            if (v != null && !v.isEmpty()) {
                cp.add(v);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, cp), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    @DisplayName("deploy killed with SIGKILL at several points, deployed again: one load balancer that serves")
    void killedDeploy() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b").create();
        String state = tmp.resolve("st").toString();
        String prefix = "q" + t.namePrefix() + "-";
        try {
            t.startBackends();
            ObjectNode doc = (ObjectNode) JSON.readTree(DemoCommand.document(t, List.of("a", "b")));
            String docPool = doc.get("pool").get("id").asText();
            String vipUrl = "http://" + doc.get("vip").get("address").asText() + ":80";
            Path file = Docs.write(tmp, "lb.json", doc.toPrettyString());
            List<String> deploy = List.of("deploy", file.toString(), "--bridge", t.bridge(), "--namespace-prefix", prefix,
                    "--state-dir", state);
            int killed = 0;
            for (long delay : List.of(250L, 350L, 450L, 550L, 650L, 750L, 850L)) {
                Process p = lbaas(deploy);
                if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly(); // SIGKILL
                    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                    killed++;
                }
                CliRun again = CliRun.run(deploy.toArray(String[]::new));
                assertEquals(0, again.exit(), () -> "after a kill at " + delay + " ms: " + again);
                assertEquals(docPool + "\n", again.out());
                Repository.Contents c = Repository.fileStore(Path.of(state, "store")).load();
                assertEquals(List.of(docPool), c.loadBalancers().stream().map(StoredLoadBalancer::id).map(Object::toString)
                        .toList(), "after a kill at " + delay + " ms");
                assertEquals(Set.of(doc.get("health_monitors").get(0).get("id").asText()),
                        Set.copyOf(c.healthMonitors().stream().map(HealthMonitor::id).map(Object::toString).toList()));
                assertEquals(Set.of("a", "b"), new DemoCommand.Traffic(t).spread(vipUrl, 6, Optional.empty()).keySet());
                CliRun undeploy = CliRun.run("undeploy", docPool, "--state-dir", state);
                assertEquals(0, undeploy.exit(), undeploy::toString);
                assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix), state));
                Repository.Contents empty = Repository.fileStore(Path.of(state, "store")).load();
                assertEquals(0, empty.loadBalancers().size() + empty.healthMonitors().size());
                Path pending = Path.of(state, "pending-monitors");
                if (Files.isDirectory(pending)) {
                    try (var files = Files.list(pending)) {
                        assertEquals(0, files.count());
                    }
                }
            }
            assertTrue(killed >= 3, "only " + killed + " of the deploys were still running when killed");
        } finally {
            LiveChecks.removeAll(Map.of("state_dir", state + "/haproxy", "namespace_prefix", prefix, "bridge", t.bridge()), t);
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, t.namePrefix()), state));
    }
}

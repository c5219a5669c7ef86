package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * {@code lbaas status} tells a deleted namespace from a running load balancer: before the fix it
 * said "haproxy pid N running" with members UP for an HAProxy whose namespace was gone.
 */
@Tag("live")
class StatusLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @DisplayName("status says NOT running, without member health, once the namespace is deleted; reconcile repairs it")
    void aDeletedNamespaceIsNotRunning() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a").create();
        String state = tmp.resolve("st").toString();
        String prefix = "q" + t.namePrefix() + "-";
        try {
            t.startBackends();
            ObjectNode doc = (ObjectNode) JSON.readTree(DemoCommand.document(t, List.of("a")));
            ((ObjectNode) doc.get("vip")).remove("session_persistence");
            Path file = Docs.write(tmp, "lb.json", doc.toPrettyString());
            CliRun deploy = CliRun.run("deploy", file.toString(), "--bridge", t.bridge(), "--namespace-prefix", prefix,
                    "--state-dir", state);
            assertEquals(0, deploy.exit(), deploy::toString);
            String pool = deploy.out().strip();
            CliRun up = CliRun.run("status", "--state-dir", state);
            assertTrue(up.out().contains("namespace  " + prefix + pool + "  haproxy pid "), up::toString);
            assertTrue(up.out().contains(" running\n"), up::toString);
            assertTrue(up.out().contains("health UP"), up::toString);

            assertEquals(0, new ProcessBuilder("ip", "netns", "del", prefix + pool).start().waitFor());
            CliRun down = CliRun.run("status", "--state-dir", state);
            assertEquals(0, down.exit(), down::toString);
            assertTrue(down.out().contains("namespace  " + prefix + pool + "  HAProxy NOT running: namespace " + prefix + pool
                    + " is gone (lbaas reconcile restarts it)"), down::toString);
            assertFalse(down.out().contains("health UP"), down::toString);
            assertFalse(down.out().contains(" running\n"), down::toString);

            CliRun reconcile = CliRun.run("reconcile", "--state-dir", state);
            assertEquals(0, reconcile.exit(), reconcile::toString);
            assertTrue(reconcile.out().contains("  repaired  " + pool), reconcile::toString);
            CliRun again = CliRun.run("status", "--state-dir", state);
            assertTrue(again.out().contains("health UP"), again::toString);

            assertEquals(0, CliRun.run("undeploy", pool, "--state-dir", state).exit());
        } finally {
            LiveChecks.removeAll(Map.of("state_dir", state + "/haproxy", "namespace_prefix", prefix, "bridge", t.bridge()), t);
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, t.namePrefix()), state));
    }
}

package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * {@code lbaas deploy --topology active-standby} for real: status lists both instances with their
 * roles, stats lists them in its JSON, a killed active HAProxy shows as a DEGRADED pair with a
 * FAULT instance, reconcile restarts it (both instances run again, one ACTIVE, one STANDBY), and
 * undeploy leaves nothing but the HA bridge (which the test removes).
 */
@Tag("live")
class PairStatusLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @DisplayName("status shows ACTIVE and STANDBY, a DEGRADED pair with a FAULT instance after a kill -9 of the active HAProxy,"
            + " and both running again after reconcile")
    void rolesThroughAFailover() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a").create();
        String state = tmp.resolve("st").toString();
        String prefix = "q" + t.namePrefix() + "-";
        String haBridge = DemoCommand.haBridge(t);
        try {
            t.startBackends();
            Path file = Docs.write(tmp, "lb.json", DemoCommand.document(t, List.of("a")));
            CliRun deploy = CliRun.run("deploy", file.toString(), "--bridge", t.bridge(), "--namespace-prefix", prefix,
                    "--state-dir", state, "--topology", "active-standby", "--ha-bridge", haBridge);
            assertEquals(0, deploy.exit(), deploy::toString);
            String pool = deploy.out().strip();
            String ns0 = prefix + pool;
            String ns1 = prefix + pool + "-1";

            String up = awaitStatus(state, "(?s).*  pair       running\n.*(ACTIVE since.*STANDBY since|STANDBY since.*ACTIVE since).*");
            assertTrue(up.contains("  instance   " + ns0 + "    "), up);
            assertTrue(up.contains("  instance   " + ns1 + "  "), up);
            assertTrue(up.contains("health UP"), up);
            assertTrue(!up.contains("  namespace  "), "a pair has no single namespace line:\n" + up);
            Matcher active = Pattern.compile("  instance   (\\S+)\\s+ACTIVE since \\S+  haproxy pid (\\d+)\n").matcher(up);
            assertTrue(active.find(), up);
            String activeNs = active.group(1);
            String otherNs = activeNs.equals(ns0) ? ns1 : ns0;

            CliRun stats = CliRun.run("stats", pool, "--state-dir", state);
            assertEquals(0, stats.exit(), stats::toString);
            JsonNode instances = JSON.readTree(stats.out()).get("instances");
            List<String> roles = new ArrayList<>();
            instances.forEach(i -> roles.add(i.get("name").asText() + " " + i.get("role").asText()));
            assertEquals(List.of(ns0 + " " + (activeNs.equals(ns0) ? "ACTIVE" : "STANDBY"),
                    ns1 + " " + (activeNs.equals(ns1) ? "ACTIVE" : "STANDBY")), roles, stats::toString);

            // The one-shot commands run no driver after they exit; the instance's death watcher (a process of its own,
            // see DeathWatcher) faults its keepalived all the same, so the other instance takes the VIP. status shows
            // the pair DEGRADED, the killed instance FAULT (its HAProxy is gone) and the other one ACTIVE.
            assertEquals(0, ShellExecutor.system().execute(Command.of("kill", "-KILL", active.group(2))).exitCode());
            String degraded = awaitStatus(state, "(?s).*  pair       DEGRADED: [^\n]*" + Pattern.quote(activeNs)
                    + "[^\n]* \\(lbaas reconcile repairs it\\)\n.*  instance   "
                    + Pattern.quote(activeNs) + "\\s+FAULT since \\S+  HAProxy not running\n.*");
            String takenOver = awaitStatus(state, "(?s).*  instance   " + Pattern.quote(otherNs) + "\\s+ACTIVE since \\S+  haproxy pid \\d+\n.*");
            assertTrue(takenOver.contains("DEGRADED"), takenOver);
            assertTrue(degraded.contains("health UP"), "the instance that runs still reports member health:\n" + degraded);

            CliRun reconcile = CliRun.run("reconcile", "--state-dir", state);
            assertEquals(0, reconcile.exit(), reconcile::toString);
            assertTrue(reconcile.out().contains("  repaired  " + pool), reconcile::toString);
            String repaired = awaitStatus(state, "(?s).*  pair       running\n.*(ACTIVE since.*STANDBY since|STANDBY since.*ACTIVE since).*");
            assertTrue(Pattern.compile("  instance   " + Pattern.quote(activeNs) + "\\s+(ACTIVE|STANDBY) since \\S+  haproxy pid \\d+\n")
                    .matcher(repaired).find(), repaired);
            assertTrue(!repaired.contains(" haproxy pid " + active.group(2) + "\n"), "the killed pid is gone:\n" + repaired);

            CliRun undeploy = CliRun.run("undeploy", pool, "--state-dir", state);
            assertEquals(0, undeploy.exit(), undeploy::toString);
        } finally {
            // the driver's instances first, then the HA bridge (the driver leaves it), then the topology, whose
            // close refuses to finish while a device with its prefix (the HA bridge's) is left
            try (LoadBalancerDriver d = DriverFactory.create(Map.of("state_dir", state + "/haproxy", "namespace_prefix", prefix,
                    "bridge", t.bridge(), "topology", "active_standby", "ha_bridge", haBridge), ShellExecutor.system())) {
                d.reconcile(List.of());
            } finally {
                try {
                    if (Files.exists(Path.of("/sys/class/net", haBridge))) {
                        ShellExecutor.system().execute(Command.of("ip", "link", "del", haBridge));
                    }
                } finally {
                    t.close();
                }
            }
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, t.namePrefix()), state));
    }

    /** Runs status until its output matches (each role change takes a few VRRP adverts), at most 15 s. */
    private static String awaitStatus(String state, String regex) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        CliRun r;
        do {
            r = CliRun.run("status", "--state-dir", state);
            assertEquals(0, r.exit(), r::toString);
            if (r.out().matches(regex)) {
                return r.out();
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("status did not match " + regex + " within 15 s:\n" + r);
    }
}

package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code lbaas demo --dry-run}: without root, the configuration and every command, and nothing created. */
class DemoDryRunTest {

    @Test
    @DisplayName("prints the topology, the backends, the configuration, HAProxy's start, the traffic and the teardown")
    void printsTheWholeDemo() {
        CliRun r = CliRun.asUser("demo", "--dry-run");
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        Matcher bridge = Pattern.compile("link add (lbt[a-z0-9]{6}) type bridge").matcher(out);
        assertTrue(bridge.find(), out);
        String prefix = bridge.group(1);
        for (String b : DemoCommand.BACKENDS) {
            assertTrue(out.contains("netns add " + prefix + "-" + b + "\n"), b);
            assertTrue(out.contains("$ ip netns exec " + prefix + "-" + b + " "), b);
            assertTrue(out.contains("TestBackend --name " + b + " "), b);
        }
        assertTrue(out.contains("# ---- /tmp/lbaas-demo-XXXXXX/haproxy/"), out);
        assertTrue(out.contains("cookie SRV insert") && out.contains("option httpchk"), out);
        assertTrue(out.contains("netns add q" + prefix + "-"), out);
        assertTrue(out.contains(" haproxy -D -dW -f /tmp/lbaas-demo-XXXXXX/haproxy/"), out);
        assertTrue(out.contains("nsenter --net=/run/netns/q" + prefix + "-"), "HAProxy starts in the namespace via nsenter:\n" + out);
        assertTrue(out.contains("curl --silent --noproxy '*' --max-time 5 --write-out"), out);
        assertTrue(out.contains("/control/fail"), out);
        assertTrue(out.contains("$ ip -force -batch - <<'EOF'\n"), out);
        assertTrue(out.endsWith("# (dry run: nothing was changed)\n"), out);
        assertFalse(Files.exists(Path.of("/sys/class/net", prefix)), "the dry run created the bridge");
        assertFalse(Files.exists(Path.of("/run/netns", prefix + "-client")), "the dry run created a namespace");
        assertEquals("", r.err());
    }

    @Test
    @DisplayName("without --dry-run the demo needs root and says how to see it without")
    void needsRoot() {
        CliRun r = CliRun.asUser("demo");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("lbaas demo: needs root ("), r::toString);
        assertTrue(r.err().contains("--dry-run"), r::toString);
    }

    @Test
    @DisplayName("--ha with --dry-run is a usage error that says why and what to run instead")
    void haDryRunRefused() {
        CliRun r = CliRun.asUser("demo", "--ha", "--dry-run");
        assertEquals(2, r.exit(), r::toString);
        assertEquals(java.util.List.of("--ha: not available with --dry-run (a pair's commands depend on the instance addresses"
                + " the service allocates with the VIP); run 'lbaas demo --dry-run' for the single-instance plan"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    @DisplayName("the demo's help names --ha and what it shows")
    void haHelp() {
        CliRun r = CliRun.asUser("demo", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("--ha "), r::toString);
        assertTrue(r.out().contains("With --ha the load balancer is an active/standby pair"), r::toString);
    }
}

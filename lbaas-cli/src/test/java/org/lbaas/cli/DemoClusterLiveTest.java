package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code lbaas demo --cluster} for real: three haproxy-ns agents, the serving node killed, the VIP served by another, nothing left. */
@Tag("live")
class DemoClusterLiveTest {

    @Test
    @DisplayName("the node serving the VIP dies; another agent serves it within seconds (grace 1 s); everything is removed")
    void failover() {
        long start = System.nanoTime();
        CliRun r = CliRun.run("demo", "--cluster");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        String prefix = LiveChecks.demoPrefix(out);
        for (int i = 1; i <= 3; i++) {
            assertTrue(out.contains("agent node-" + i + ": haproxy-ns, namespaces q" + prefix + "-n" + i + "-<pool id>"), out);
        }
        Matcher placed = Pattern.compile("placement: the scheduler put it on (node-\\d); HAProxy runs in its namespace").matcher(out);
        assertTrue(placed.find(), out);
        Matcher died = Pattern.compile("failover: (node-\\d) dies: HAProxy pid \\[\\d+(, \\d+)*\\] killed with SIGKILL").matcher(out);
        assertTrue(died.find(), out);
        assertEquals(placed.group(1), died.group(1), "the demo kills the node that serves the VIP");
        Matcher answered = Pattern.compile("the VIP answered again (\\d+) ms after the kill, from agent (node-\\d) \\(namespace q"
                + prefix + "-n\\d-").matcher(out);
        assertTrue(answered.find(), out);
        assertNotEquals(died.group(1), answered.group(2), "another agent serves it");
        int ms = Integer.parseInt(answered.group(1));
        assertTrue(ms < 10_000, "failover took " + ms + " ms:\n" + out);
        assertTrue(Pattern.compile("traffic: 30 requests after the failover:\\n +web1 +\\d+ .*\\n +web2 +\\d+").matcher(out).find(), out);
        assertTrue(out.contains("pool ") && out.contains("  0: " + answered.group(2)), out);
        assertTrue(out.contains("nothing left behind"), out);
        assertTrue(seconds < 90, "the demo took " + seconds + " s");
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, "q" + prefix), "lbaas-demo-"));
    }
}

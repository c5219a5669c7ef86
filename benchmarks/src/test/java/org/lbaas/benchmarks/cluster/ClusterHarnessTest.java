package org.lbaas.benchmarks.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.benchmarks.cluster.ClusterHarness.Part;

/**
 * The cluster benchmark's scheduling and footprint parts at a tiny size (20 load balancers, real
 * ZooKeeper servers, agents with the in-memory driver): each prints its table, with every figure
 * positive, and nothing fails. No timing assertions: the full-size figures are in the report.
 */
class ClusterHarnessTest {

    static final int N = 20;

    static ClusterHarness.Options tiny(Set<Part> parts) {
        return new ClusterHarness.Options(parts, N, 5, 3, 4, null, 2, false, 2, Duration.ofSeconds(4), Duration.ofSeconds(1), N,
                true, Duration.ofMinutes(5));
    }

    @Test
    @DisplayName("scheduling: 20 load balancers through the cluster and on one service, creates per second and the ratio")
    void scheduling() {
        ClusterHarness.Result r = ClusterHarness.run(tiny(EnumSet.of(Part.SCHEDULING)), System.out);
        assertEquals(List.of(), r.notes(), r::toMarkdown);
        assertEquals(1, r.sections().size());
        String s = r.sections().get(0);
        for (String setup : List.of("one service, in-memory driver, file store", "one service, in-memory driver, in-memory store",
                "cluster (ZooKeeperRepository + ClusterDriver + Scheduler + 3 agents)")) {
            Matcher m = Pattern.compile("\\| " + Pattern.quote(setup) + " \\| ([0-9.]+) s \\| ([0-9.]+) \\|").matcher(s);
            assertTrue(m.find(), setup + " in " + s);
            assertTrue(Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(2)) > 0, s);
        }
        assertTrue(Pattern.compile("the cluster costs at most 2× per create against the file store: [0-9.]+× (PASS|MISS)").matcher(s).find(), s);
        assertTrue(s.contains("Placements per agent: {node-1="), s);
    }

    @Test
    @DisplayName("footprint: 20 load balancers over a ZooKeeper in its own JVM; znode bytes of every subtree, the server's heap and RSS")
    void footprint() {
        ClusterHarness.Result r = ClusterHarness.run(tiny(EnumSet.of(Part.FOOTPRINT)), System.out);
        assertEquals(List.of(), r.notes(), r::toMarkdown);
        String s = r.sections().get(0);
        for (String subtree : List.of("store", "work", "placements", "reports")) {
            Matcher m = Pattern.compile("\\| znode data under `" + subtree + "` \\| [0-9,]+ KiB \\| ([0-9,]+) B \\|").matcher(s);
            assertTrue(m.find(), subtree + " in " + s);
            assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, subtree + " has data: " + s);
        }
        Matcher count = Pattern.compile("\\| znodes \\(`mntr` zk_znode_count, added\\) \\| ([0-9,]+) \\|").matcher(s);
        assertTrue(count.find(), s);
        assertTrue(Long.parseLong(count.group(1).replace(",", "")) >= 4L * N, "store, work, placement and report per pool: " + s);
        assertTrue(Pattern.compile("\\| server JVM RSS \\(before → after\\) \\| [0-9.]+ MiB → [0-9.]+ MiB").matcher(s).find(), s);
    }

    @Test
    @DisplayName("footprint through the repository only: store documents and nothing of the cluster's")
    void footprintStoreOnly() {
        ClusterHarness.Options t = tiny(EnumSet.of(Part.FOOTPRINT));
        ClusterHarness.Result r = ClusterHarness.run(new ClusterHarness.Options(t.parts(), N, 0, 3, 4, null, 2, false, 2, t.sessionTimeout(),
                t.grace(), N, false, t.timeLimit()), System.out);
        assertEquals(List.of(), r.notes(), r::toMarkdown);
        String s = r.sections().get(0);
        assertTrue(s.contains("(store documents only)"), s);
        assertTrue(Pattern.compile("\\| znode data under `store` \\| [0-9,]+ KiB \\| [1-9][0-9,]* B \\|").matcher(s).find(), s);
        assertTrue(!s.contains("znode data under `work`"), s);
    }

    @Test
    @DisplayName("options name the field, the bad value and the rule")
    void options() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClusterHarness.Options(
                EnumSet.of(Part.SCHEDULING), 0, 0, 5, 16, null, 20, false, 3, Duration.ofSeconds(4), Duration.ofSeconds(2), 10, false, Duration.ofMinutes(1)));
        assertEquals("count must be 1 to 20000, not 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ClusterHarness.Options(EnumSet.of(Part.FAILOVER), 10, 0, 5, 16, null, 20,
                true, 2, Duration.ofSeconds(4), Duration.ofSeconds(2), 10, false, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().startsWith("failover agents must be 3 to 10 with active-standby"), e.getMessage());
        assertEquals(Set.of(Part.values()), Part.of("all").orElseThrow());
        assertEquals(Set.of(Part.FAILOVER), Part.of("failover").orElseThrow());
        assertTrue(Part.of("latency").isEmpty());
    }
}

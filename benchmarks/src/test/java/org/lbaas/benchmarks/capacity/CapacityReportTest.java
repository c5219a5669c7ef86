package org.lbaas.benchmarks.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.benchmarks.capacity.CapacityHarness.Topology;
import org.lbaas.benchmarks.capacity.CapacityResult.HaFigures;
import org.lbaas.benchmarks.capacity.CapacityResult.Instance;
import org.lbaas.benchmarks.capacity.CapacityResult.Snapshot;

/**
 * The capacity report's active/standby figures (issue 14, "Footprint") from made-up results: the
 * adverts arithmetic, the HA section of the summary, the extra decile columns and CSV files, and
 * that a single-instance report stays as it was. Also the harness's topology option and the
 * readers of the driver's state directory that need no root.
 */
class CapacityReportTest {

    @TempDir
    Path temp;

    /** Ten load balancers; for pairs the i-th has 2 HAProxy of 4000 + i KiB and 4 keepalived of 900 + i KiB. */
    private static CapacityResult result(boolean pairs) {
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            instances.add(new Instance(i, UUID.randomUUID().toString(), "198.18.128." + i, 100 + i, 80 + i, true, 1000 + i, 6500,
                    4000 + i, 10, pairs ? 2 : 1, pairs ? 2 * (4000 + i) : 4000 + i, pairs ? 4 : 0, pairs ? 4L * (900 + i) : 0));
        }
        List<Snapshot> snapshots = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            snapshots.add(new Snapshot(n, 9000, pairs ? 2 * n : n, 6500, 4000, 4000L * n * (pairs ? 2 : 1), 50, pairs ? 4 * n : 0,
                    pairs ? 3600L * n : 0));
        }
        Optional<HaFigures> ha = pairs ? Optional.of(new HaFigures("lbtabcdefha", 100, 10, 10, 550, 5000, 0.012, 0.05))
                : Optional.empty();
        return new CapacityResult(10, instances, snapshots, 10, 10, 4.5, 0.01, 10_000, 20, 10, 1, 10, 50, 50, 100, 0, 5000,
                List.of(), List.of(), ha);
    }

    @Test
    @DisplayName("adverts: measured per second over the window, expected one per pair and advert interval, and their ratio")
    void advertArithmetic() {
        HaFigures f = new HaFigures("b", 100, 50, 50, 2600, 5000, 0, 0);
        assertEquals(520.0, f.packetsPerSecond(), 1e-9);
        assertEquals(500.0, f.expectedPerSecond(), 1e-9);
        assertEquals(1.04, f.ratio(), 1e-9);
        assertEquals(8.0, new HaFigures("b", 250, 2, 2, 0, 0, 0, 0).expectedPerSecond(), 1e-9);
        assertTrue(Double.isNaN(new HaFigures("b", 100, 2, 2, 10, 0, 0, 0).packetsPerSecond()), "no window, no rate");
    }

    @Test
    @DisplayName("a pairs report has the HA section: processes, PSS per load balancer, totals, masters, adverts against expected, CPU")
    void haSection() {
        String summary = CapacityReport.summaryMarkdown(result(true));
        assertTrue(summary.contains("Active/standby (HA)") && summary.contains("HA bridge lbtabcdefha, adverts every 100 ms"), summary);
        assertTrue(summary.contains("| processes per load balancer (median): HAProxy / keepalived | 2 / 4 | 2 / 4 |"), summary);
        // medians over 10 sorted values: the 5th (index 4)
        assertTrue(summary.contains("| PSS per load balancer, both HAProxy: median / p95 | 8008 / 8018 KiB (7.82 MiB) | — |"), summary);
        assertTrue(summary.contains("| PSS per load balancer, all keepalived: median / p95 | 3616 / 3636 KiB (3.53 MiB) | — |"), summary);
        assertTrue(summary.contains("| PSS per load balancer, HAProxy + keepalived (median of each, summed) | 11.35 MiB | — |"), summary);
        assertTrue(summary.contains("| all at N: HAProxy processes, PSS / keepalived processes, PSS | 20, 78 MiB / 40, 35 MiB"
                + " | 20 / 40 processes |"), summary);
        assertTrue(summary.contains("| pairs with exactly one MASTER | 10 of 10 | 10 ✔ |"), summary);
        assertTrue(summary.contains("| 110.0/s (550 in 5000 ms), 1.10× expected | 100.0 adverts/s (10 pairs × 1/100 ms) |"), summary);
        assertTrue(summary.contains("| 1.2 % / 5.0 % of one core | — |"), summary);
    }

    @Test
    @DisplayName("a pair without one MASTER is marked; a single-instance report has no HA section and no HA columns")
    void mastersAndSingle() {
        CapacityResult r = result(true);
        CapacityResult oneShort = new CapacityResult(r.requested(), r.instances(), r.snapshots(), 10, 10, 4.5, 0.01, 10_000, 20, 10, 1,
                10, 50, 50, 100, 0, 5000, List.of(), List.of(), Optional.of(new HaFigures("x", 100, 10, 9, 500, 5000, 0, 0)));
        assertTrue(CapacityReport.summaryMarkdown(oneShort).contains("| pairs with exactly one MASTER | 9 of 10 | 10 ✘ |"));

        CapacityResult single = result(false);
        assertFalse(CapacityReport.summaryMarkdown(single).contains("Active/standby"), CapacityReport.summaryMarkdown(single));
        String singleDeciles = CapacityReport.decileMarkdown(single);
        assertEquals(11, singleDeciles.lines().toList().get(1).split("\\|", -1).length, singleDeciles);
        String pairDeciles = CapacityReport.decileMarkdown(r);
        List<String> lines = pairDeciles.lines().toList();
        assertEquals(13, lines.get(1).split("\\|", -1).length, pairDeciles);
        assertTrue(lines.get(0).endsWith("| PSS per LB: 2 HAProxy median (KiB) | PSS per LB: 4 keepalived median (KiB) |"), lines.get(0));
        assertTrue(lines.get(2).startsWith("| 1–1 |") && lines.get(2).endsWith("| 8000 | 3600 |"), lines.get(2));
    }

    @Test
    @DisplayName("the files: instances.csv carries the per-LB process sums, deciles.csv the medians, ha.csv only for pairs")
    void files() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path pairs = temp.resolve("pairs");
        CapacityReport.write(result(true), CapacityHarness.Options.of(10), pairs, pairs.resolve("c.png"), quiet);
        List<String> inst = Files.readAllLines(pairs.resolve("instances.csv"));
        assertTrue(inst.get(0).endsWith(",haproxy_processes,haproxy_pss_kib,keepalived_processes,keepalived_pss_kib"), inst.get(0));
        assertTrue(inst.get(1).endsWith(",2,8000,4,3600"), inst.get(1));
        assertTrue(Files.readAllLines(pairs.resolve("deciles.csv")).get(1).endsWith(",8000,3600"));
        assertEquals(List.of("ha_bridge,advert_interval_ms,pairs,pairs_with_one_master,packets,window_ms,packets_per_s,"
                + "expected_adverts_per_s,keepalived_cpu_core_fraction,jvm_cpu_core_fraction",
                "lbtabcdefha,100,10,10,550,5000,110.00,100.00,0.01200,0.05000"), Files.readAllLines(pairs.resolve("ha.csv")));
        assertTrue(Files.readString(pairs.resolve("summary.md")).contains("Active/standby (HA)"));

        Path single = temp.resolve("single");
        CapacityReport.write(result(false), CapacityHarness.Options.of(10), single, single.resolve("c.png"), quiet);
        assertFalse(Files.exists(single.resolve("ha.csv")));
        assertTrue(Files.readAllLines(single.resolve("instances.csv")).get(1).endsWith(",1,4000,0,0"));
    }

    @Test
    @DisplayName("topology option: names, the pair limit of one VIP bridge, and no topology through a driver setting")
    void topologyOption() {
        assertEquals(Optional.of(Topology.ACTIVE_STANDBY), Topology.of("active-standby"));
        assertEquals(Optional.of(Topology.SINGLE), Topology.of("single"));
        assertEquals(Optional.empty(), Topology.of("active_standby"));
        assertEquals(Topology.SINGLE, CapacityHarness.Options.of(3).topology());
        assertEquals(511, CapacityHarness.MAX_PAIRS);
        var ok = new CapacityHarness.Options(511, 5, Duration.ofSeconds(1), Map.of(), true, Topology.ACTIVE_STANDBY);
        assertTrue(ok.pairs());
        var tooMany = assertThrows(IllegalArgumentException.class,
                () -> new CapacityHarness.Options(512, 5, Duration.ofSeconds(1), Map.of(), true, Topology.ACTIVE_STANDBY));
        assertTrue(tooMany.getMessage().contains("count must be 1 to 511 with topology active-standby"), tooMany.getMessage());
        new CapacityHarness.Options(512, 5, Duration.ofSeconds(1), Map.of(), true, Topology.SINGLE);
        var setting = assertThrows(IllegalArgumentException.class,
                () -> new CapacityHarness.Options(5, 5, Duration.ofSeconds(1), Map.of("topology", "active_standby"), true, Topology.SINGLE));
        assertTrue(setting.getMessage().contains("driver setting topology=active_standby is chosen by the topology option"),
                setting.getMessage());
    }

    @Test
    @DisplayName("state directory readers: instance keys, program names, pid files, pairs with one MASTER, a missing bridge")
    void stateDirectoryReaders() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        assertEquals(List.of(a.toString(), a + "-1"), InstanceProcesses.keys(a, true));
        assertEquals(List.of(a.toString()), InstanceProcesses.keys(a, false));
        assertEquals("keepalived", InstanceProcesses.program("/usr/sbin/keepalived --vrrp -f /tmp/x/keepalived.conf"));
        assertEquals("haproxy", InstanceProcesses.program("haproxy -f /tmp/x/haproxy.cfg"));

        Path self = temp.resolve("self.pid");
        Files.writeString(self, ProcessHandle.current().pid() + "\n");
        assertEquals(ProcessHandle.current().pid(), InstanceProcesses.pidIn(self));
        Files.writeString(self, "not a pid\n");
        assertEquals(-1, InstanceProcesses.pidIn(self));
        assertEquals(-1, InstanceProcesses.pidIn(temp.resolve("missing")));

        role(a.toString(), "MASTER");
        role(a + "-1", "BACKUP");
        role(b.toString(), "MASTER");
        role(b + "-1", "MASTER");
        role(c.toString(), "BACKUP");
        assertEquals(1, InstanceProcesses.pairsWithOneMaster(temp, List.of(a, b, c)), "only a has exactly one MASTER");
        assertEquals(-1, InstanceProcesses.packetsIntoPorts("lbtnosuchbr0"));
    }

    private void role(String key, String state) throws Exception {
        Files.createDirectories(temp.resolve(key));
        Files.writeString(temp.resolve(key).resolve("role"), state + "\n");
    }
}

package org.lbaas.benchmarks.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.benchmarks.capacity.CapacityResult.Instance;
import org.lbaas.benchmarks.capacity.CapacityResult.Snapshot;

/**
 * The capacity harness at CI size (N = 20): real HAProxy in real namespaces. Asserts that every
 * load balancer answered, that the reconcile after a "JVM restart" restarted nothing, that nothing
 * was left behind and that every figure is plausible (positive and finite). No timing assertions:
 * the 1000-instance figures are documented in the README.
 */
@Tag("live")
class CapacityHarnessLiveTest {

    static final int N = 20;

    @TempDir
    Path temp;

    @Test
    void twentyLoadBalancersAnswerSurviveARestartAndLeaveNothing() throws Exception {
        CapacityHarness.Options options = new CapacityHarness.Options(N, 2, Duration.ofSeconds(3), Map.of(), true,
                CapacityHarness.Topology.SINGLE);
        CapacityResult r = CapacityHarness.run(options, System.out);

        assertEquals(List.of(), r.notes(), "nothing failed");
        assertEquals(N, r.created());
        assertEquals(N, r.answeredAfterCreate(), "every VIP answered after its creation");
        assertEquals(N, r.answeredAfterReconcile(), "every VIP answered after the reconcile");
        assertEquals(0, r.restarts(), "the reconcile after a JVM restart restarted no HAProxy");
        assertEquals(List.of(), r.leftovers(), "cleanup complete");

        for (Instance i : r.instances()) {
            assertTrue(i.answered(), i.toString());
            positive("create-to-serving of " + i.index(), i.createToServingMs());
            positive("deploy of " + i.index(), i.deployMs());
            assertTrue(i.deployMs() <= i.createToServingMs(), i.toString());
            assertTrue(i.pid() > 1, i.toString());
            assertTrue(i.pssKib() > 0 && i.pssKib() <= i.rssKib(), "PSS within RSS: " + i);
            assertTrue(i.fds() > 0, i.toString());
        }
        assertEquals(10, r.snapshots().size(), "one snapshot per decile");
        for (Snapshot s : r.snapshots()) {
            assertEquals(s.count(), s.haproxyProcesses(), "one HAProxy per load balancer: " + s);
            positive("mean PSS", s.meanPssKib());
            assertTrue(s.heapUsedKib() > 0 && s.jvmFds() > 0, s.toString());
        }
        positive("heap per LB", r.heapPerLbKib());
        positive("health-check CPU", r.healthCheckCpuCoreFraction());
        positive("sweep wall", r.sweepWallMs());
        assertTrue(Double.isFinite(r.sweepJvmCpuMs()) && r.sweepJvmCpuMs() >= 0, "sweep JVM CPU " + r.sweepJvmCpuMs());
        assertEquals(N, r.sweepObserved(), "the sweep observed every instance");
        positive("reconcile", r.reconcileMs());
        positive("teardown", r.teardownMs());
        assertTrue(r.jvmFdsBefore() > 0 && r.jvmFdsAfter() > 0);

        Path out = temp.resolve("out");
        Path png = temp.resolve("capacity.png");
        CapacityReport.write(r, options, out, png, System.out);
        for (String f : List.of("instances.csv", "deciles.csv", "deciles.md", "summary.md")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(N + 1, Files.readAllLines(out.resolve("instances.csv")).size(), "header + one row per instance");
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
    }

    private static void positive(String what, double v) {
        assertTrue(Double.isFinite(v) && v > 0, what + " = " + v);
    }
}

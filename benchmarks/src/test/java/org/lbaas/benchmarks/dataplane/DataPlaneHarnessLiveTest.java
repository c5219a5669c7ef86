package org.lbaas.benchmarks.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lbaas.benchmarks.dataplane.DataPlaneResult.Figure;

/**
 * The data-plane harness at CI size (3 rounds, 3 changes under load): real HAProxy in real
 * namespaces. Asserts that every part ran, that every figure is finite and positive, that the
 * changes under load were applied the way the driver promises (runtime API for members, reload
 * for the method), that the load actually ran, and that nothing was left behind. No timing
 * assertions: the figures of a full run are in the README.
 */
@Tag("live")
class DataPlaneHarnessLiveTest {

    static final int ROUNDS = 3;
    static final int CHANGES = 3;

    @Test
    void everyPartRunsWithPlausibleFiguresAndLeavesNothing() {
        DataPlaneHarness.Options options = new DataPlaneHarness.Options(ROUNDS, 1, CHANGES, Duration.ofMillis(100), 2, 1);
        DataPlaneResult r = DataPlaneHarness.run(options, System.out);
        System.out.println(r.toMarkdown());

        assertEquals(List.of(), r.notes(), "nothing failed");
        assertEquals(List.of(), r.leftovers(), "cleanup complete");
        for (String key : List.of(DataPlaneResult.NAIVE, "naive.plumb", "naive.start", "naive.serve", "naive.teardown",
                DataPlaneResult.CREATE, "driver.apply", "driver.serve", "driver.remove", DataPlaneResult.CHECK,
                DataPlaneResult.RELOAD, DataPlaneResult.MEMBER_ADD, DataPlaneResult.MEMBER_REMOVE, DataPlaneResult.WEIGHT)) {
            Figure f = r.figure(key).orElseThrow(() -> new AssertionError("not measured: " + key));
            assertEquals(ROUNDS, f.samplesMs().size(), key);
            for (double s : f.samplesMs()) {
                assertTrue(Double.isFinite(s) && s > 0, key + " sample " + s);
            }
            assertTrue(f.medianMs() > 0 && f.p95Ms() >= f.medianMs(), key + ": " + f.medianMs() + ", " + f.p95Ms());
        }
        // the parts add up: create-to-serving is the apply plus the wait for HTTP
        Figure naive = r.figure(DataPlaneResult.NAIVE).orElseThrow();
        for (int i = 0; i < ROUNDS; i++) {
            double parts = r.figure("naive.plumb").orElseThrow().samplesMs().get(i) + r.figure("naive.start").orElseThrow().samplesMs().get(i)
                    + r.figure("naive.serve").orElseThrow().samplesMs().get(i);
            assertEquals(naive.samplesMs().get(i), parts, 0.01, "naive round " + i);
        }
        assertTrue(Double.isFinite(r.createRatio()) && r.createRatio() > 0, "create ratio " + r.createRatio());
        for (String key : List.of(DataPlaneResult.MEMBER_ADD, DataPlaneResult.MEMBER_REMOVE, DataPlaneResult.WEIGHT)) {
            assertTrue(Double.isFinite(r.ratioToReload(key)) && r.ratioToReload(key) > 0, key);
        }

        DataPlaneResult.Load load = r.load();
        assertEquals(CHANGES, load.memberChanges());
        assertEquals(CHANGES, load.reloads());
        assertEquals(CHANGES, load.actions().get("reload: RELOADED"), "every method change reloads: " + load.actions());
        // add and weight change always go through the runtime API; a removal may fall back to a
        // reload while HAProxy still has connections attached to the server
        int inPlace = load.actions().getOrDefault("member change: CHANGED_IN_PLACE", 0);
        assertEquals(CHANGES, inPlace + load.actions().getOrDefault("member change: RELOADED", 0), load.actions().toString());
        assertTrue(inPlace >= 2 * CHANGES / 3, "adds and weight changes in place: " + load.actions());
        assertTrue(load.succeeded() > 0, "the load sent requests: " + load);
        assertTrue(load.failed() >= 0 && load.durationMs() > 0, load.toString());
        assertEquals(load.failed(), load.reasons().values().stream().mapToLong(Long::longValue).sum(), "every failure has a reason");

        String md = r.toMarkdown();
        assertTrue(md.contains("× naive") && md.contains("× reload") && md.contains("Left behind: nothing"), md);
    }
}

package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.testkit.RecordingShellExecutor;

/**
 * The watch: a live pid costs one {@code /proc} read and no question to the driver; a dead one
 * (or every {@value HaproxyWatch#FULL_CHECK_EVERY}th sweep) asks the driver, and only a confirmed
 * death faults the instance through its track file, once.
 */
class HaproxyWatchTest {

    @TempDir
    Path dir;

    private final List<InstanceId> asked = new ArrayList<>();

    private InstanceFiles instance(InstanceId id, long pid) throws Exception {
        InstanceFiles files = InstanceFiles.of(dir, id);
        files.create();
        Files.writeString(files.pidFile(), pid + "\n", StandardCharsets.US_ASCII);
        return files;
    }

    private KeepalivedProcesses keepalived() {
        HaproxySettings settings = HaproxySettings.parse(Map.of("state_dir", dir.toString(), "topology", "active_standby"));
        return new KeepalivedProcesses(settings, new HostShell(new RecordingShellExecutor(), "ip", Duration.ofSeconds(5)),
                HostView.system());
    }

    @Test
    void aliveReadsTheProcessState() {
        assertTrue(HaproxyWatch.alive(ProcessHandle.current().pid()));
        assertFalse(HaproxyWatch.alive(Integer.MAX_VALUE), "no such pid");
    }

    @Test
    void aDeadHaproxyFaultsItsInstanceOnceAndALiveOneIsNotAskedAbout() throws Exception {
        KeepalivedProcesses keepalived = keepalived();
        InstanceId live = new InstanceId(UUID.randomUUID(), 0);
        InstanceId dead = new InstanceId(UUID.randomUUID(), 1);
        InstanceFiles liveFiles = instance(live, ProcessHandle.current().pid());
        InstanceFiles deadFiles = instance(dead, Integer.MAX_VALUE);
        keepalived.haproxyUp(liveFiles, true);
        keepalived.haproxyUp(deadFiles, true);
        try (HaproxyWatch watch = new HaproxyWatch(keepalived, (id, f) -> {
            asked.add(id);
            return id.equals(dead);
        }, Duration.ofHours(1))) {
            watch.watch(live, liveFiles);
            watch.watch(dead, deadFiles);
            watch.sweep();
            assertEquals(List.of(dead), asked, "only the instance whose pid is gone is checked through the driver");
            assertFalse(keepalived.trackedUp(deadFiles), "the dead one's track file says down");
            assertTrue(keepalived.trackedUp(liveFiles));
            asked.clear();
            for (int i = 1; i < HaproxyWatch.FULL_CHECK_EVERY; i++) {
                watch.sweep();
            }
            assertEquals(List.of(live), asked, "the full check asks about the live one once, the faulted one no more");
        }
    }

    @Test
    void aPidThatChangedWithAReloadIsFollowedNotFaulted() throws Exception {
        KeepalivedProcesses keepalived = keepalived();
        InstanceId id = new InstanceId(UUID.randomUUID(), 0);
        InstanceFiles files = instance(id, Integer.MAX_VALUE);
        keepalived.haproxyUp(files, true);
        try (HaproxyWatch watch = new HaproxyWatch(keepalived, (i, f) -> false, Duration.ofHours(1))) {
            watch.watch(id, files);
            Files.writeString(files.pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            watch.sweep();
            assertTrue(keepalived.trackedUp(files), "the driver says the instance's HAProxy runs (a newer pid)");
        }
    }
}

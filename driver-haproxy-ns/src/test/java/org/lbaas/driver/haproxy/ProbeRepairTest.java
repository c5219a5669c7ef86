package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.model.LoadBalancer;
import org.lbaas.testkit.CommandPattern;

/** probe() and repair() on the simulated host. */
class ProbeRepairTest {

    static final UUID POOL = HaproxyNsDriverExpectTest.POOL;
    static final UUID OTHER = HaproxyNsDriverExpectTest.OTHER_POOL;

    @TempDir
    Path temp;

    Sim sim;
    HaproxyNsDriver driver;
    LoadBalancer lb;
    LoadBalancer other;

    @BeforeEach
    void setUp() {
        sim = new Sim(temp.resolve("state"));
        driver = sim.driver();
        lb = HaproxyNsDriverExpectTest.lb();
        other = HaproxyNsDriverExpectTest.other();
        driver.apply(Optional.empty(), lb);
        driver.apply(Optional.empty(), other);
        sim.clearRecords();
    }

    private long pid(UUID pool) {
        return sim.pidIn(driver.files(driver.instance(pool)).pidFile()).orElseThrow();
    }

    @Test
    void healthyInstancesAreNotReportedAndProbingRunsNoCommand() {
        assertEquals(Map.of(), driver.probe(List.of(POOL, OTHER)));
        sim.shell.assertCommands().isEmpty();
        assertEquals(List.of(), sim.runtime.commands);
    }

    @Test
    void aKilledHaproxyIsReportedAndRepairRestartsOnlyIt() {
        long dead = pid(POOL);
        long otherPid = pid(OTHER);
        sim.host.processes.remove(dead);
        assertEquals(Map.of(POOL, "haproxy pid " + dead + " of namespace qlbaas-" + POOL + " exited"), driver.probe(List.of(POOL, OTHER)));
        ApplyResult r = driver.repair(lb);
        assertEquals(ApplyResult.Action.DEPLOYED, r.action());
        sim.shell.assertCommands().hasNoCommandMatching("-batch");
        sim.shell.assertCommands().hasNoCommandMatching(Long.toString(otherPid));
        assertNotEquals(dead, pid(POOL));
        assertEquals(Map.of(), driver.probe(List.of(POOL, OTHER)));
        assertTrue(sim.host.processes.containsKey(otherPid), "the healthy one is untouched");
        sim.clearRecords();
        assertEquals(ApplyResult.Action.UNCHANGED, driver.repair(other).action(), "repairing a healthy one changes nothing");
        sim.shell.assertCommands().isEmpty();
    }

    @Test
    void aPidReusedByAnotherProgramIsNotTakenForHaproxy() {
        long p = pid(POOL);
        assertEquals(Map.of(), driver.probe(List.of(POOL)), "verified once: later probes only compare the start time");
        sim.host.processes.put(p, new java.util.ArrayList<>(List.of("/usr/bin/sleep", "100")));
        assertEquals(Map.of(POOL, "haproxy pid " + p + " of namespace qlbaas-" + POOL + " exited (the pid now belongs to another program)"),
                driver.probe(List.of(POOL)));
        assertEquals(Optional.empty(), driver.observe(POOL));
        driver.repair(lb);
        sim.shell.assertCommands().hasNoCommandMatching("^kill .*" + p);
        assertEquals(Map.of(), driver.probe(List.of(POOL)));
    }

    @Test
    void aDeletedNamespaceIsReportedNotObservedAsRunningAndRebuiltByRepair() {
        long p = pid(POOL);
        // 'ip netns del' under a running HAProxy: the name is gone, the process lives on in an unnamed namespace
        sim.host.namespaces.remove("qlbaas-" + POOL);
        assertEquals(Map.of(POOL, "namespace qlbaas-" + POOL + " is gone"), driver.probe(List.of(POOL, OTHER)));
        assertEquals(Optional.empty(), driver.observe(POOL), "not running as deployed: members must not show UP");
        assertTrue(driver.observe(OTHER).isPresent());
        assertEquals(ApplyResult.Action.DEPLOYED, driver.repair(lb).action());
        sim.shell.assertCommands().containsSubsequence(CommandPattern.argvStartsWith("kill", "-USR1", Long.toString(p)),
                CommandPattern.argvEquals("ip", "-batch", "-").and(CommandPattern.stdinContains("netns add qlbaas-" + POOL)));
        assertEquals(Map.of(), driver.probe(List.of(POOL, OTHER)));
        assertTrue(driver.observe(POOL).isPresent());
    }

    @Test
    void aVanishedDeviceIsReported() {
        sim.host.devices.remove("tap9c8b7a6f-5e");
        assertEquals(Map.of(POOL, "device tap9c8b7a6f-5e of namespace qlbaas-" + POOL + " is gone"), driver.probe(List.of(POOL)));
        driver.repair(lb);
        assertEquals(Map.of(), driver.probe(List.of(POOL)));
        assertTrue(sim.host.devices.contains("tap9c8b7a6f-5e"));
    }

    @Test
    void aRestartThatHaproxyRefusesKeepsTheLastGoodConfiguration() throws Exception {
        java.nio.file.Path cfg = driver.files(driver.instance(POOL)).config();
        String good = java.nio.file.Files.readString(cfg);
        sim.host.processes.remove(pid(POOL));
        sim.shell.whenArgvMatches("haproxy -D -dW").thenExit(1).thenStderr("[ALERT] config : bogus");
        LoadBalancer changed = Lbs.method(lb, org.lbaas.model.LbMethod.LEAST_CONNECTIONS);
        org.lbaas.driver.spi.DriverException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.lbaas.driver.spi.DriverException.class, () -> driver.repair(changed));
        assertTrue(e.operatorMessage().contains("bogus"), e.operatorMessage());
        assertEquals(good, java.nio.file.Files.readString(cfg));
        sim.shell.assertCommands().hasNoCommandMatching("haproxy -dW -c");
    }

    @Test
    void anIdThatWasNeverDeployedIsReported() {
        UUID unknown = UUID.fromString("3c4d5e6f-3c1a-4c55-9a8e-0d7e2b1f4a0d");
        assertEquals(Set.of(unknown), driver.probe(List.of(unknown, POOL)).keySet());
        assertTrue(driver.probe(List.of(unknown)).get(unknown).contains("not deployed"));
    }
}

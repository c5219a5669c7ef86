package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.AtomicFiles;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.testkit.CommandPattern;

/**
 * Ownership: a driver removes only what its own state directory made. Two drivers on two state
 * directories share one simulated host (same namespaces, devices, processes) and the default
 * prefix {@code qlbaas-}.
 */
class OwnershipTest {

    static final UUID POOL = HaproxyNsDriverExpectTest.POOL;
    static final UUID OTHER_POOL = HaproxyNsDriverExpectTest.OTHER_POOL;

    @TempDir
    Path temp;

    Sim simA;
    Sim simB;
    HaproxyNsDriver a;
    HaproxyNsDriver b;

    @BeforeEach
    void setUp() {
        simA = new Sim(temp.resolve("a"));
        simB = simA.withStateDir(temp.resolve("b"));
        a = simA.driver();
        b = simB.driver();
    }

    private long pid(HaproxyNsDriver d, UUID pool) {
        return simA.pidIn(d.files(d.instance(pool)).pidFile()).orElseThrow();
    }

    private List<String> commands() {
        return simA.shell.commands().stream().map(CommandPattern::joinedArgv).toList();
    }

    @Test
    void aNamespaceAnotherStateDirectoryMadeIsReportedAndNeverTouched() {
        a.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        long pidA = pid(a, POOL);
        simA.clearRecords();
        ReconcileReport report = b.reconcile(List.of());
        assertEquals(Set.of(), report.removed());
        assertEquals(Set.of("namespace qlbaas-" + POOL + ": not recorded in " + simB.stateDir), report.foreign());
        assertTrue(report.succeeded());
        assertEquals(List.of(), commands(), "not one command for the other state directory's load balancer");
        assertTrue(simA.host.namespaces.contains("qlbaas-" + POOL));
        assertTrue(simA.host.devices.contains("tap9c8b7a6f-5e"));
        assertTrue(simA.host.processes.containsKey(pidA));
    }

    @Test
    void twoStateDirectoriesEachReconcileOnlyTheirOwnDesiredSet() {
        LoadBalancer lbA = HaproxyNsDriverExpectTest.lb();
        LoadBalancer lbB = HaproxyNsDriverExpectTest.other();
        a.apply(Optional.empty(), lbA);
        b.apply(Optional.empty(), lbB);
        long pidA = pid(a, POOL);
        long pidB = pid(b, OTHER_POOL);
        ReconcileReport ra = simA.driver().reconcile(List.of(lbA));
        ReconcileReport rb = simB.driver().reconcile(List.of(lbB));
        assertEquals(Set.of(POOL), ra.adopted());
        assertEquals(Set.of(OTHER_POOL), rb.adopted());
        assertEquals(Set.of(), ra.removed());
        assertEquals(Set.of(), rb.removed());
        assertEquals(Set.of("namespace qlbaas-" + OTHER_POOL + ": not recorded in " + simA.stateDir), ra.foreign());
        assertEquals(Set.of("namespace qlbaas-" + POOL + ": not recorded in " + simB.stateDir), rb.foreign());
        assertEquals(Set.of(pidA, pidB), simA.host.processes.keySet(), "both keep running, unrestarted");
        // each removes its own; nothing is left
        a.remove(POOL);
        assertTrue(simA.host.processes.containsKey(pidB));
        assertTrue(simA.host.namespaces.contains("qlbaas-" + OTHER_POOL));
        b.remove(OTHER_POOL);
        assertEquals(Set.of(), simA.host.namespaces);
        assertEquals(Set.of(), simA.host.devices);
        assertEquals(Map.of(), simA.host.processes);
    }

    @Test
    void removeAndUndeployOfAnIdWhoseNamespaceIsForeignTouchNothing() {
        a.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        long pidA = pid(a, POOL);
        simA.clearRecords();
        b.remove(POOL);
        b.apply(Optional.empty(), Lbs.vip(HaproxyNsDriverExpectTest.lb(), v -> v.adminStateUp(false)));
        assertEquals(List.of(), commands());
        assertTrue(simA.host.namespaces.contains("qlbaas-" + POOL));
        assertTrue(simA.host.processes.containsKey(pidA));
    }

    @Test
    void deployingAnIdWhoseNamespaceIsForeignIsRefusedAndLeavesItAlone() {
        a.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        long pidA = pid(a, POOL);
        simA.clearRecords();
        DriverException e = assertThrows(DriverException.class, () -> b.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertFalse(e.retryable());
        assertTrue(e.operatorMessage().contains("namespace qlbaas-" + POOL + " exists but " + simB.stateDir
                + " has no record of creating it"), e.operatorMessage());
        assertEquals(List.of(), commands());
        assertTrue(simA.host.namespaces.contains("qlbaas-" + POOL));
        assertTrue(simA.host.devices.contains("tap9c8b7a6f-5e"));
        assertTrue(simA.host.processes.containsKey(pidA));
        assertFalse(Files.exists(b.files(b.instance(POOL)).dir()), "b keeps no state for what it did not make");
        // and a's own reconcile still adopts it
        assertEquals(Set.of(POOL), simA.driver().reconcile(List.of(HaproxyNsDriverExpectTest.lb())).adopted());
    }

    @Test
    void anOwnOrphanIsRemovedCompletely() {
        a.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        ReconcileReport r = simA.driver().reconcile(List.of());
        assertEquals(Set.of(POOL), r.removed());
        assertEquals(Set.of(), r.foreign());
        assertEquals(Set.of(), simA.host.namespaces);
        assertEquals(Set.of(), simA.host.devices);
        assertEquals(Map.of(), simA.host.processes);
        assertFalse(Files.exists(a.files(a.instance(POOL)).dir()));
    }

    @Test
    void aRecordedNamespaceWithoutHaproxyIsRemoved() {
        a.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        simA.host.processes.clear();
        ReconcileReport r = simA.driver().reconcile(List.of());
        assertEquals(Set.of(POOL), r.removed());
        assertEquals(Set.of(), simA.host.namespaces);
        assertEquals(Set.of(), simA.host.devices);
    }

    @Test
    void aRecordedDeviceWhoseNamespaceIsGoneIsRemoved() {
        a.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        simA.host.processes.clear();
        simA.host.namespaces.clear();
        simA.clearRecords();
        ReconcileReport r = simA.driver().reconcile(List.of());
        assertEquals(Set.of(POOL), r.removed());
        assertEquals(List.of("ip -force -batch -"), commands());
        assertEquals("link del tap9c8b7a6f-5e\n", simA.shell.commands().get(0).stdinText());
        assertEquals(Set.of(), simA.host.devices);
    }

    @Test
    void aStateDirectoryWithoutANetworkRecordNeverClaimsTheNamespaceOfItsName() throws Exception {
        // a driver killed after creating the directory and before writing its record made no namespace;
        // one of that name that exists now is someone else's
        InstanceFiles files = b.files(b.instance(POOL));
        AtomicFiles.ownerOnlyDirectory(files.dir().getParent());
        AtomicFiles.ownerOnlyDirectory(files.dir());
        AtomicFiles.write(files.config(), "global\n");
        simA.host.namespaces.add("qlbaas-" + POOL);
        ReconcileReport r = b.reconcile(List.of());
        assertEquals(Set.of(POOL), r.removed(), "its own half-built directory goes");
        assertFalse(Files.exists(files.dir()));
        assertEquals(List.of(), commands());
        assertTrue(simA.host.namespaces.contains("qlbaas-" + POOL));
        assertEquals(Set.of("namespace qlbaas-" + POOL + ": not recorded in " + simB.stateDir), r.foreign());
    }
}

package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.PoolStats;

/** How {@code lbaas status} prints the roles of an active/standby pair's instances. */
class InstanceRolesTest {

    private static final UUID POOL = UUID.fromString("a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
    private static final String NS0 = "qlbaas-" + POOL;
    private static final String NS1 = "qlbaas-" + POOL + "-1";

    private static Observation observed(InstanceStatus... instances) {
        return new Observation(PoolStats.ZERO, Map.of(), false, List.of(instances));
    }

    @Test
    @DisplayName("a pair's namespaces are PREFIX<pool id> and PREFIX<pool id>-1, in ordinal order")
    void namespaces() {
        assertEquals(List.of(NS0, NS1), InstanceRoles.namespaces("qlbaas-", POOL));
        assertEquals(List.of("qx-" + POOL, "qx-" + POOL + "-1"), InstanceRoles.namespaces("qx-", POOL));
    }

    @Test
    @DisplayName("each instance: its namespace, its role since when (to the millisecond), and its HAProxy pid")
    void activeAndStandby() {
        Observation o = observed(
                new InstanceStatus(NS0, InstanceStatus.Role.STANDBY, Optional.of(Instant.parse("2026-12-03T16:01:02.250123Z"))),
                new InstanceStatus(NS1, InstanceStatus.Role.ACTIVE, Optional.of(Instant.parse("2026-12-03T16:01:02Z"))));
        List<String> lines = InstanceRoles.lines(List.of(NS0, NS1), Optional.of(o),
                ns -> Optional.of(ns.equals(NS0) ? 101L : 202L));
        assertEquals(List.of(
                "  instance   " + NS0 + "    STANDBY since 2026-12-03T16:01:02.250Z  haproxy pid 101",
                "  instance   " + NS1 + "  ACTIVE since 2026-12-03T16:01:02Z  haproxy pid 202"), lines);
    }

    @Test
    @DisplayName("a faulted instance without a running HAProxy, and a role whose time the driver does not know")
    void faultAndUnknownTime() {
        Observation o = observed(
                new InstanceStatus(NS0, InstanceStatus.Role.FAULT, Optional.of(Instant.parse("2026-12-03T16:05:00.5Z"))),
                new InstanceStatus(NS1, InstanceStatus.Role.ACTIVE, Optional.empty()));
        List<String> lines = InstanceRoles.lines(List.of(NS0, NS1), Optional.of(o),
                ns -> ns.equals(NS1) ? Optional.of(7L) : Optional.empty());
        assertEquals(List.of(
                "  instance   " + NS0 + "    FAULT since 2026-12-03T16:05:00.500Z  HAProxy not running",
                "  instance   " + NS1 + "  ACTIVE  haproxy pid 7"), lines);
    }

    @Test
    @DisplayName("an instance the observation does not list, or no observation at all (nothing runs), is UNKNOWN")
    void unknown() {
        Observation o = observed(new InstanceStatus(NS0, InstanceStatus.Role.ACTIVE, Optional.empty()));
        assertEquals(List.of(
                "  instance   " + NS0 + "    ACTIVE  haproxy pid 5",
                "  instance   " + NS1 + "  UNKNOWN  HAProxy not running"),
                InstanceRoles.lines(List.of(NS0, NS1), Optional.of(o), ns -> ns.equals(NS0) ? Optional.of(5L) : Optional.empty()));
        assertEquals(List.of(
                "  instance   " + NS0 + "    UNKNOWN  HAProxy not running",
                "  instance   " + NS1 + "  UNKNOWN  HAProxy not running"),
                InstanceRoles.lines(List.of(NS0, NS1), Optional.empty(), ns -> Optional.empty()));
    }

    @Test
    @DisplayName("a pid file's pid counts while that process runs; a missing file, garbage or a gone process does not")
    void livePid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("pid");
        assertEquals(Optional.empty(), InstanceRoles.livePid(file));
        java.nio.file.Files.writeString(file, ProcessHandle.current().pid() + "\n");
        assertEquals(Optional.of(ProcessHandle.current().pid()), InstanceRoles.livePid(file));
        java.nio.file.Files.writeString(file, "not a pid\n");
        assertEquals(Optional.empty(), InstanceRoles.livePid(file));
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        java.nio.file.Files.writeString(file, p.pid() + "\n");
        assertEquals(Optional.empty(), InstanceRoles.livePid(file), "a reaped process");
    }
}

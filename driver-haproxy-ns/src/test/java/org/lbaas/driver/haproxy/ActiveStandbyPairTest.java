package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.keepalived.HaPair;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.model.LoadBalancer;
import org.lbaas.testkit.CommandPattern;
import org.lbaas.testkit.Reply;

/**
 * The command sequences of an active/standby pair against the simulated host: a deploy plumbs
 * each instance with its HA link and {@code ip_nonlocal_bind}, starts its HAProxy, checks its
 * keepalived configuration ({@code keepalived -t}) and starts keepalived; a failing check or start
 * is a {@link DriverException} naming the instance and leaves no keepalived of it running; a
 * removal stops keepalived before HAProxy and deletes the HA host device; a host device found down
 * is reported by probe and brought up by repair.
 */
class ActiveStandbyPairTest {

    static final java.util.UUID POOL = HaproxyNsDriverExpectTest.POOL;

    private Sim sim;
    private HaproxyNsDriver driver;

    @BeforeEach
    void pairOnASimulatedHost(@TempDir Path temp) {
        sim = new Sim(temp.resolve("state"));
        sim.extraSettings.putAll(Map.of("topology", "active_standby", "ha_bridge", "br-ha", "arping_binary", "none"));
        driver = newDriver();
    }

    /** A pair driver on the simulated host, with the full renderer (the minimal one writes no peers). */
    private HaproxyNsDriver newDriver() {
        HaproxySettings s = sim.settings();
        return sim.driver(s, HaproxyNsDriverProvider.renderer(s, sim.host.openFilesHardLimit()));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    static LoadBalancer pairLb() throws Exception {
        return HaproxyNsDriverExpectTest.lb().withInstanceAddresses(
                List.of(InetAddress.getByName("10.0.0.11"), InetAddress.getByName("10.0.0.12")));
    }

    private InstanceFiles files(int ordinal) {
        return driver.files(new InstanceId(POOL, ordinal));
    }

    private String ns(int ordinal) {
        return driver.namespace(new InstanceId(POOL, ordinal));
    }

    private static String haDevice(int ordinal) {
        return "ha" + ordinal + "-" + POOL.toString().substring(0, 11);
    }

    /** Each recorded command as one line: argv, and for {@code ip -batch} its input lines after {@code |}. */
    private List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Command c : sim.shell.commands()) {
            String line = CommandPattern.joinedArgv(c).replace(sim.stateDir.toString(), "$STATE");
            if (!c.stdinText().isEmpty()) {
                line += " | " + String.join("; ", c.stdinText().strip().split("\n"));
            }
            out.add(line);
        }
        return out;
    }

    private String mac(int ordinal) {
        return files(ordinal).readNetwork().orElseThrow().mac();
    }

    /** The batch that removes what a dead keepalived may have left: the VIP and the HA link's own address. */
    private String staleAddresses(int ordinal) {
        int slot = files(ordinal).readNetwork().orElseThrow().ha().orElseThrow().slot();
        return "ip -n " + ns(ordinal) + " -force -batch - | addr del 10.0.0.10/32 dev " + (ordinal == 0 ? "ns-9c8b7a6f-5e" : "n1-9c8b7a6f-5e")
                + "; addr del " + new HaPair(slot).linkVip().getHostAddress() + "/" + HaPair.PREFIX_LENGTH + " dev ha0";
    }

    private String haAddress(int ordinal) {
        int slot = files(ordinal).readNetwork().orElseThrow().ha().orElseThrow().slot();
        return new HaPair(slot).address(ordinal).getHostAddress() + "/" + HaPair.PREFIX_LENGTH;
    }

    /** What a deploy runs for one instance, in order. */
    private List<String> deployOf(int o) {
        String ns = ns(o);
        String dir = "$STATE/" + new InstanceId(POOL, o).key();
        String nsDev = o == 0 ? "ns-9c8b7a6f-5e" : "n1-9c8b7a6f-5e";
        String tap = o == 0 ? "tap9c8b7a6f-5e" : "t1p9c8b7a6f-5e";
        String enter = "nsenter --net=/run/netns/" + ns + " -- ";
        return List.of(
                "ip -batch - | netns add " + ns + "; link add " + tap + " type veth peer name " + nsDev + " address " + mac(o)
                        + " netns " + ns + "; link set " + tap + " master br-test up; link add " + haDevice(o)
                        + " type veth peer name ha0 netns " + ns + "; link set " + haDevice(o) + " master br-ha up",
                "ip -n " + ns + " -batch - | link set lo up; addr add 10.0.0.1" + (o + 1) + "/24 dev " + nsDev + " brd +; link set "
                        + nsDev + " up; route replace 0.0.0.0/0 via 10.0.0.1 dev " + nsDev + "; addr add " + haAddress(o)
                        + " dev ha0; link set ha0 up",
                enter + "sysctl -q -w net.ipv4.ip_nonlocal_bind=1 net.ipv6.ip_nonlocal_bind=1",
                "flock -s " + dir + "/haproxy.lock " + enter + "haproxy -D -dW -f " + dir + "/haproxy.cfg -p " + dir + "/pid",
                enter + "keepalived -t -f " + dir + "/keepalived.conf",
                staleAddresses(o),
                enter + "keepalived --vrrp -f " + dir + "/keepalived.conf -p " + dir + "/keepalived.pid -r " + dir + "/vrrp.pid",
                "setsid -f sh -c " + org.lbaas.driver.haproxy.internal.keepalived.DeathWatcherAccess.script() + " lbaas-haproxy-watch "
                        + dir + "/watcher.pid " + dir + "/haproxy.lock " + dir + "/haproxy.down flock");
    }

    private List<Long> keepalivedPids() {
        return sim.host.processes().stream().filter(p -> p.argv().get(0).equals("keepalived")).map(p -> p.pid()).toList();
    }

    @Test
    void aDeployRunsPerInstancePlumbingWithTheHaLinkSysctlHaproxyThenKeepalivedCheckAndStart() throws Exception {
        ApplyResult r = driver.apply(Optional.empty(), pairLb());
        assertEquals(ApplyResult.Action.DEPLOYED, r.action(), r.toString());
        assertEquals("instance 0: deployed (keepalived started); instance 1: deployed (keepalived started)", r.detail());
        List<String> expected = new ArrayList<>();
        expected.add("ip -batch - | link add name br-ha type bridge; link set br-ha up");
        expected.addAll(deployOf(0));
        expected.addAll(deployOf(1));
        assertEquals(String.join("\n", expected), String.join("\n", lines()));
        assertEquals(4, keepalivedPids().size(), "a parent and a VRRP child per instance");
        assertEquals(List.of(InstanceStatus.Role.ACTIVE, InstanceStatus.Role.STANDBY),
                driver.observe(POOL).orElseThrow().instances().stream().map(InstanceStatus::role).toList());
        assertEquals(Map.of(), driver.probe(List.of(POOL)));

        sim.clearRecords();
        assertEquals(ApplyResult.Action.UNCHANGED, driver.apply(Optional.of(pairLb()), pairLb()).action());
        assertEquals(List.of(), lines(), "an unchanged pair runs nothing");
    }

    @Test
    void aSecondPairReusesTheHaBridgeAndGetsAnotherSlot() throws Exception {
        driver.apply(Optional.empty(), pairLb());
        LoadBalancer other = HaproxyNsDriverExpectTest.other().withInstanceAddresses(
                List.of(InetAddress.getByName("10.0.0.21"), InetAddress.getByName("10.0.0.22")));
        sim.clearRecords();
        driver.apply(Optional.empty(), other);
        assertTrue(lines().stream().noneMatch(l -> l.contains("type bridge")), "the HA bridge exists: " + lines());
        int mine = files(0).readNetwork().orElseThrow().ha().orElseThrow().slot();
        int theirs = driver.files(new InstanceId(other.id(), 0)).readNetwork().orElseThrow().ha().orElseThrow().slot();
        assertTrue(mine != theirs, "two pairs on one HA bridge need two slots: " + mine);
    }

    @Test
    void aRejectedKeepalivedConfigurationIsADriverExceptionNamingTheInstanceAndRepairCompletesThePair() throws Exception {
        sim.shell.when(CommandPattern.matching("keepalived -t", c -> c.argv().contains("keepalived") && c.argv().contains("-t")))
                .thenExit(1).thenStderr("Unknown keyword 'nopreempt'").times(1);
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), pairLb()));
        assertFalse(e.retryable(), "a rejected configuration does not pass by retrying");
        assertTrue(e.operatorMessage().contains("instance " + POOL + " (exit 1)"), e.operatorMessage());
        assertTrue(e.operatorMessage().contains("Unknown keyword 'nopreempt'"), "keepalived's message: " + e.operatorMessage());
        assertFalse(e.tenantMessage().contains("/"), "no paths for tenants: " + e.tenantMessage());
        assertEquals(List.of(), keepalivedPids(), "no keepalived started");
        assertTrue(lines().stream().noneMatch(l -> l.contains(ns(1))), "instance 1 was not touched: " + lines());
        assertEquals("instance 0: keepalived is not running; instance 1: instance " + POOL + "-1 is not deployed (no state in "
                + sim.stateDir + ")", driver.probe(List.of(POOL)).get(POOL));

        ApplyResult repaired = driver.repair(pairLb());
        assertEquals(ApplyResult.Action.DEPLOYED, repaired.action(), repaired.toString());
        assertEquals(4, keepalivedPids().size());
        assertEquals(Map.of(), driver.probe(List.of(POOL)));
    }

    @Test
    void aFailingKeepalivedStartIsADriverExceptionNamingTheInstance() throws Exception {
        sim.shell.when(CommandPattern.matching("keepalived --vrrp", c -> c.argv().contains("--vrrp")))
                .thenExit(1).thenStderr("Unable to bind to interface").times(1);
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), pairLb()));
        assertEquals("keepalived of instance " + POOL + " failed to start (exit 1): Unable to bind to interface", e.operatorMessage());
        assertEquals(List.of(), keepalivedPids());
        assertEquals(ApplyResult.Action.DEPLOYED, driver.repair(pairLb()).action());
        assertEquals(Map.of(), driver.probe(List.of(POOL)));
    }

    @Test
    void aKeepalivedThatWritesNoPidFileIsStoppedAndReportedAsRetryable() throws Exception {
        sim.shell.when(CommandPattern.matching("keepalived --vrrp", c -> c.argv().contains("--vrrp"))).thenAnswer(c -> {
            sim.host.processes.put(sim.nextPid.incrementAndGet(), List.copyOf(c.argv().subList(3, c.argv().size())));
            return Reply.success();
        }).times(1);
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), pairLb()));
        assertTrue(e.retryable(), "a slow start may pass on a retry");
        assertTrue(e.operatorMessage().startsWith("keepalived of instance " + POOL + " wrote no live pid to "), e.operatorMessage());
        assertEquals(List.of(), keepalivedPids(), "the keepalived that started without its pid file was stopped");
    }

    @Test
    void aRemovalStopsKeepalivedBeforeHaproxyAndDeletesTheHaDevices() throws Exception {
        driver.apply(Optional.empty(), pairLb());
        Map<Integer, List<Long>> keepalived = new java.util.HashMap<>();
        Map<Integer, Long> haproxy = new java.util.HashMap<>();
        for (int o = 0; o < 2; o++) {
            Path dir = files(o).dir();
            keepalived.put(o, List.of(sim.pidIn(dir.resolve("keepalived.pid")).orElseThrow(), sim.pidIn(dir.resolve("vrrp.pid")).orElseThrow()));
            haproxy.put(o, sim.pidIn(files(o).pidFile()).orElseThrow());
        }
        sim.clearRecords();
        driver.remove(POOL);
        List<String> lines = lines();
        for (int o = 0; o < 2; o++) {
            // the whole pair goes: no hand-over (SIGTERM makes keepalived 2.2 take a second to exit), SIGKILL at once
            int stopKeepalived = lines.indexOf("kill -KILL " + keepalived.get(o).get(0) + " " + keepalived.get(o).get(1));
            int stopHaproxy = lines.indexOf("kill -USR1 " + haproxy.get(o));
            int finalO = o;
            int unplug = java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).startsWith("ip -force -batch - |") && lines.get(i).contains("link del " + haDevice(finalO)))
                    .findFirst().orElse(-1);
            assertTrue(stopKeepalived >= 0 && stopKeepalived < stopHaproxy && stopHaproxy < unplug,
                    "instance " + o + ": keepalived, then HAProxy, then the devices: " + String.join("\n", lines));
            assertTrue(lines.get(unplug).contains("netns del " + ns(o)), lines.get(unplug));
        }
        assertEquals(Set.of("br-ha"), sim.host.devices, "only the HA bridge, shared by every pair, stays");
        assertEquals(Set.of(), sim.host.namespaces);
        assertEquals(Map.of(), sim.host.processes);
        assertFalse(Files.exists(files(0).dir()) || Files.exists(files(1).dir()), "state directories");
    }

    @Test
    void aHostDeviceFoundDownIsReportedByProbeAndBroughtUpByRepair() throws Exception {
        driver.apply(Optional.empty(), pairLb());
        sim.host.down.add("tap9c8b7a6f-5e");
        sim.host.down.add(haDevice(1));
        assertEquals("instance 0: device tap9c8b7a6f-5e of namespace " + ns(0) + " is down; instance 1: device " + haDevice(1)
                + " of namespace " + ns(1) + " is down", driver.probe(List.of(POOL)).get(POOL));
        sim.clearRecords();
        ApplyResult r = driver.repair(pairLb());
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, r.action(), r.toString());
        assertEquals("instance 0: changed_in_place (brought tap9c8b7a6f-5e up); instance 1: changed_in_place (brought "
                + haDevice(1) + " up)", r.detail());
        assertEquals(List.of("ip -batch - | link set tap9c8b7a6f-5e up", "ip -batch - | link set " + haDevice(1) + " up"), lines(),
                "only the devices are brought up: nothing is restarted");
        assertEquals(Map.of(), driver.probe(List.of(POOL)));
        assertEquals(ApplyResult.Action.UNCHANGED, driver.repair(pairLb()).action());
    }

    @Test
    void aKilledKeepalivedWhosePidFileNamesAReusedPidIsRestartedAfterTheStaleVipAndPidFilesGo() throws Exception {
        driver.apply(Optional.empty(), pairLb());
        Path dir = files(0).dir();
        long parent = sim.pidIn(dir.resolve("keepalived.pid")).orElseThrow();
        long child = sim.pidIn(dir.resolve("vrrp.pid")).orElseThrow();
        sim.host.processes.remove(parent);
        sim.host.processes.remove(child);
        // the dead parent's pid now belongs to another program (keepalived would say "daemon is already running")
        sim.host.processes.put(parent, List.of("sleep", "1000"));
        assertEquals("instance 0: keepalived is not running", driver.probe(List.of(POOL)).get(POOL));
        sim.clearRecords();
        ApplyResult r = driver.repair(pairLb());
        assertEquals(ApplyResult.Action.RELOADED, r.action(), r.toString());
        assertEquals("instance 0: reloaded (keepalived started); instance 1: unchanged", r.detail());
        List<String> lines = lines();
        int vipRemoved = lines.indexOf(staleAddresses(0));
        assertTrue(vipRemoved >= 0 && lines.get(vipRemoved + 1).contains("keepalived --vrrp"), "the stale VIP goes first: " + lines);
        assertTrue(sim.host.processes.containsKey(parent), "the other program is not touched");
        assertEquals(Map.of(), driver.probe(List.of(POOL)));
        sim.host.processes.remove(parent);
    }
}

package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.testkit.CommandPattern;
import org.lbaas.testkit.Reply;

/** Failure branches, signals, observation and reconcile details, against the simulated host. */
class HaproxyNsDriverTest {

    static final UUID POOL = HaproxyNsDriverExpectTest.POOL;

    @TempDir
    Path temp;

    Sim sim;
    HaproxyNsDriver driver;

    @BeforeEach
    void setUp() {
        sim = new Sim(temp.resolve("state"));
        driver = sim.driver();
    }

    private InstanceFiles files() {
        return driver.files(driver.instance(POOL));
    }

    private void assertNothingLeft() {
        assertEquals(Set.of(), sim.host.namespaces, "namespaces");
        assertEquals(Set.of(), sim.host.devices, "devices");
        assertEquals(Map.of(), sim.host.processes, "processes");
        assertFalse(Files.exists(files().dir()), "state directory");
    }

    private List<String> joined() {
        return sim.shell.commands().stream().map(CommandPattern::joinedArgv).toList();
    }

    // ---------------------------------------------------------------- deploy failures

    /**
     * Call numbers of a deploy: 1 root batch, 2 namespace batch, 3 arping, 4 start (which is also
     * the configuration check: {@code haproxy -D -dW}; there is no separate {@code haproxy -c}).
     */
    @ParameterizedTest(name = "deploy call #{0} fails")
    @ValueSource(ints = {1, 2, 4})
    void aFailingDeployStepLeavesNothingBehind(int failingCall) {
        sim.shell.failNthCall(failingCall, Reply.exit(2).withStderr("scripted failure"));
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertTrue(e.operatorMessage().contains("scripted failure"), e.operatorMessage());
        assertFalse(e.tenantMessage().contains("/"), "no paths for tenants: " + e.tenantMessage());
        assertNothingLeft();
        List<String> after = joined().subList(failingCall, joined().size());
        assertEquals(List.of("ip -force -batch -"), after);
        Command undo = sim.shell.commands().get(sim.shell.callCount() - 1);
        assertEquals("link del tap9c8b7a6f-5e\nnetns del qlbaas-" + POOL + "\n", undo.stdinText(), "reverse order of creation");
    }

    @Test
    void aConfigurationHaproxyRejectsAtDeployIsReportedWithItsMessageAndLeavesNothing() {
        sim.shell.whenArgvStartsWith("nsenter").thenExit(1)
                .thenStderr("[ALERT]    (1) : config : Some warnings were found and 'zero-warning' is set. Aborting.");
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertFalse(e.retryable());
        assertTrue(e.operatorMessage().contains("zero-warning"), "HAProxy's message: " + e.operatorMessage());
        List<String> all = joined();
        assertTrue(all.stream().noneMatch(c -> c.startsWith("haproxy -dW -c")), "no separate check: " + all);
        assertTrue(all.stream().anyMatch(c -> c.contains(" haproxy -D -dW -f ")), "the start checks with -dW: " + all);
        assertNothingLeft();
    }

    @Test
    void aFailingOvsPortLeavesNeitherNamespaceNorPortBehind() {
        sim.extraSettings.put("interface_driver", "ovs");
        sim.extraSettings.put("bridge", "br-int");
        HaproxyNsDriver ovs = sim.driver();
        sim.shell.whenArgvStartsWith("ip", "-n").thenExit(2).thenStderr("RTNETLINK answers: File exists");
        DriverException e = assertThrows(DriverException.class, () -> ovs.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertTrue(e.operatorMessage().contains("File exists"), e.operatorMessage());
        List<String> all = joined();
        assertEquals(List.of("ip -force -batch -", "ovs-vsctl -- --if-exists del-port br-int ns-9c8b7a6f-5e"),
                all.subList(all.size() - 2, all.size()), "namespace deleted, then the OVS port removed");
        assertNothingLeft();
    }

    @Test
    void aNamespaceThatCannotBeDeletedIsARetryableFailure() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        sim.shell.whenArgvStartsWith("ip", "-force", "-batch").thenExit(1).thenStderr("Cannot remove namespace file: Device or resource busy");
        DriverException e = assertThrows(DriverException.class, () -> driver.remove(POOL));
        assertTrue(e.retryable());
        assertTrue(e.operatorMessage().contains("still there"), e.operatorMessage());
    }

    @Test
    void aDisabledPoolKeepsItsCountersStill() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        sim.runtime.stat = stat(100, 200, 1, 5);
        driver.observe(POOL);
        sim.runtime.stat = "# pxname,svname,scur,stot,bin,bout,status,weight,\n";
        Observation o = driver.observe(POOL).orElseThrow();
        assertEquals(new PoolStats(100, 200, 0, 5), o.stats());
        assertFalse(o.countersReset());
    }

    @Test
    void aFailedGratuitousArpDoesNotFailTheDeploy() {
        sim.shell.failNthCall(3);
        assertEquals(ApplyResult.Action.DEPLOYED, driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()).action());
        assertTrue(joined().get(2).contains("arping -U"));
    }

    @Test
    void anHaproxyThatNeverAnswersIsStoppedAndEverythingUndone() {
        sim.socketAnswers = false;
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertTrue(e.retryable());
        assertTrue(e.operatorMessage().contains("not ready"), e.operatorMessage());
        assertNothingLeft();
        List<String> all = joined();
        assertEquals("kill -USR1 4001", all.get(all.size() - 2));
        assertEquals("ip -force -batch -", all.get(all.size() - 1));
    }

    @Test
    void aMissingHaproxyBinaryIsNotRetryable() {
        // the deploy's first HAProxy run is its start, inside the namespace (call 4): ip reports the failed exec
        sim.shell.failNthCall(4, Reply.exit(255).withStderr("exec of \"haproxy\" failed: No such file or directory"));
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertFalse(e.retryable());
        assertTrue(e.operatorMessage().contains("No such file"), e.operatorMessage());
        assertNothingLeft();
    }

    @Test
    void anIpThatCannotBeStartedIsNotRetryable() {
        sim.shell.failNthCall(1, Reply.startFailure());
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertFalse(e.retryable());
        assertNothingLeft();
    }

    @Test
    void aTimedOutCommandIsRetryable() {
        sim.shell.failNthCall(2, Reply.timeout());
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb()));
        assertTrue(e.retryable());
        assertNothingLeft();
    }

    // ---------------------------------------------------------------- reload failures

    @Test
    void aRejectedConfigurationChangesNothingAndReportsHaproxysMessage() throws Exception {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        String running = Files.readString(files().config());
        sim.clearRecords();
        sim.shell.whenArgvStartsWith("haproxy", "-dW", "-c").thenExit(1)
                .thenStderr("[ALERT]    (1) : config : parsing [haproxy.cfg.new:30] : unknown keyword 'bogus'");
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.of(lb), Lbs.method(lb, LbMethod.SOURCE_IP)));
        assertFalse(e.retryable());
        assertTrue(e.operatorMessage().contains("unknown keyword 'bogus'"), e.operatorMessage());
        assertEquals("the configuration change was rejected", e.tenantMessage());
        assertEquals(List.of("haproxy -dW -c -f " + files().candidateConfig()), joined(), "no reload after a failed check");
        assertEquals(running, Files.readString(files().config()));
        assertFalse(Files.exists(files().candidateConfig()));
        assertEquals(Optional.of(pid), sim.pidIn(files().pidFile()));
        assertTrue(sim.host.processes.containsKey(pid));
    }

    @Test
    void aFailedReloadRestoresTheLastGoodConfiguration() throws Exception {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        String running = Files.readString(files().config());
        sim.shell.whenArgvMatches("haproxy -D .* -sf ").thenExit(1).thenStderr("[ALERT] Starting frontend: cannot bind socket");
        DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.of(lb), Lbs.method(lb, LbMethod.SOURCE_IP)));
        assertFalse(e.retryable());
        assertTrue(e.operatorMessage().contains("cannot bind socket"), e.operatorMessage());
        assertEquals(running, Files.readString(files().config()));
        assertTrue(sim.host.processes.containsKey(pid), "the old process keeps serving");
        // the same change retried later (after the cause is fixed) goes through
        sim.shell.whenArgvMatches("haproxy -D .* -sf ").thenAnswer(c -> Reply.success());
    }

    // ---------------------------------------------------------------- stop and remove

    @Test
    void removeEscalatesToSigtermOnlyAfterTheGraceAndSigkillOnlyAsTheLastResort() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        sim.ignoring.put(pid, Set.of("-USR1", "-TERM"));
        sim.clearRecords();
        driver.remove(POOL);
        assertEquals(List.of("kill -USR1 " + pid, "kill -TERM " + pid, "kill -KILL " + pid, "ip -force -batch -"), joined());
        assertNothingLeft();
    }

    @Test
    void removeSendsSigtermWhenTheSoftStopDoesNotEndTheProcess() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        sim.ignoring.put(pid, Set.of("-USR1"));
        sim.clearRecords();
        driver.remove(POOL);
        assertEquals(List.of("kill -USR1 " + pid, "kill -TERM " + pid, "ip -force -batch -"), joined());
        sim.shell.assertCommands().hasNoCommandMatching("-9|-KILL");
    }

    @Test
    void removeOfNothingRunsNothingAndIsIdempotent() {
        driver.remove(POOL);
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        driver.remove(POOL);
        sim.clearRecords();
        driver.remove(POOL);
        driver.remove(POOL);
        sim.shell.assertCommands().isEmpty();
        assertNothingLeft();
    }

    @Test
    void removeWorksWhenHaproxyIsAlreadyDead() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        sim.host.processes.clear();
        sim.clearRecords();
        driver.remove(POOL);
        assertEquals(List.of("ip -force -batch -"), joined());
        assertNothingLeft();
    }

    @Test
    void removeNeverSignalsAProcessThatIsNotOurHaproxy() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        // the pid was reused by something else
        sim.host.processes.put(pid, List.of("/usr/bin/sleep", "1000"));
        sim.clearRecords();
        driver.remove(POOL);
        sim.shell.assertCommands().hasNoCommandMatching("^kill");
        assertTrue(sim.host.processes.containsKey(pid));
    }

    @Test
    void aVipThatIsAdminDownIsNeverDeployed() {
        LoadBalancer down = Lbs.vip(HaproxyNsDriverExpectTest.lb(), v -> v.adminStateUp(false));
        ApplyResult r = driver.apply(Optional.empty(), down);
        assertEquals(ApplyResult.Action.UNDEPLOYED, r.action());
        sim.shell.assertCommands().isEmpty();
        LoadBalancer noVip = HaproxyNsDriverExpectTest.lb().withVip(Optional.empty());
        assertEquals(ApplyResult.Action.UNDEPLOYED, driver.apply(Optional.empty(), noVip).action());
        sim.shell.assertCommands().isEmpty();
    }

    // ---------------------------------------------------------------- repair

    @Test
    void applyRestartsACrashedHaproxyWithoutReplumbing() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        sim.host.processes.remove(pid);
        sim.clearRecords();
        ApplyResult r = driver.apply(Optional.of(lb), lb);
        assertEquals(ApplyResult.Action.DEPLOYED, r.action());
        sim.shell.assertCommands().hasNoCommandMatching("-batch");
        assertNotEquals(Optional.of(pid), sim.pidIn(files().pidFile()));
    }

    @Test
    void aMissingNamespaceIsRebuiltFromScratch() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        sim.host.namespaces.clear();
        sim.host.devices.clear();
        sim.clearRecords();
        assertEquals(ApplyResult.Action.DEPLOYED, driver.apply(Optional.of(lb), lb).action());
        sim.shell.assertCommands().containsSubsequence(
                CommandPattern.argvStartsWith("kill", "-USR1"),
                CommandPattern.argvEquals("ip", "-batch", "-").and(CommandPattern.stdinContains("netns add")),
                CommandPattern.argvStartsWith("nsenter", "--net=/run/netns/qlbaas-" + POOL, "--", "haproxy"));
    }

    @Test
    void reconcileRestartsAnHaproxyWhoseSocketDoesNotAnswer() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        // the socket of the running process does not answer once (a hung process), the new one does
        sim.runtime.answers.put("show info", c -> {
            sim.runtime.answers.remove("show info");
            return "\n";
        });
        var report = sim.driver().reconcile(List.of(lb));
        assertEquals(Set.of(POOL), report.repaired());
        assertFalse(sim.host.processes.containsKey(pid));
    }

    @Test
    void reconcileRemovesAnOrphanProcessWhoseNamespaceAndDirectoryAreGone() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        sim.host.namespaces.clear();
        sim.host.devices.clear();
        long pid = sim.pidIn(files().pidFile()).orElseThrow();
        try {
            com.google.common.io.MoreFiles.deleteRecursively(files().dir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        sim.clearRecords();
        var report = sim.driver().reconcile(List.of());
        assertEquals(Set.of(POOL), report.removed());
        assertEquals(List.of("kill -USR1 " + pid), joined());
        assertNothingLeft();
    }

    @Test
    void reconcileOnlyTouchesItsOwnOrdinal() {
        sim.extraSettings.put("instance_ordinal", "1");
        HaproxyNsDriver second = sim.driver();
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        second.apply(Optional.empty(), lb);
        assertTrue(sim.host.namespaces.contains("qlbaas-" + POOL + "-1"));
        assertTrue(sim.host.devices.contains("t1p9c8b7a6f-5e"));
        sim.clearRecords();
        var report = driver.reconcile(List.of());
        assertEquals(Set.of(), report.removed());
        sim.shell.assertCommands().isEmpty();
        second.remove(POOL);
        assertEquals(Set.of(), sim.host.namespaces);
    }

    // ---------------------------------------------------------------- observe

    static String stat(long bin, long bout, long scur, long stot, String... servers) {
        StringBuilder sb = new StringBuilder("# pxname,svname,qcur,scur,stot,bin,bout,status,weight,\n");
        for (String s : servers) {
            sb.append(POOL).append(',').append(s).append('\n');
        }
        sb.append(POOL).append(",BACKEND,0,").append(scur).append(',').append(stot).append(',').append(bin).append(',')
                .append(bout).append(",UP,2,\n\n");
        return sb.toString();
    }

    @Test
    void observeReadsPoolStatsAndMemberHealth() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        sim.runtime.stat = stat(100, 200, 3, 40,
                HaproxyNsDriverExpectTest.M1 + ",0,1,20,50,100,UP,1,",
                HaproxyNsDriverExpectTest.M2 + ",0,2,20,50,100,DOWN 1/2,1,",
                HaproxyNsDriverExpectTest.M3 + ",0,0,0,0,0,MAINT,1,",
                "not-a-member,0,0,0,0,0,UP,1,");
        Observation o = driver.observe(POOL).orElseThrow();
        assertEquals(new PoolStats(100, 200, 3, 40), o.stats());
        assertEquals(Map.of(HaproxyNsDriverExpectTest.M1, MemberHealth.UP, HaproxyNsDriverExpectTest.M2, MemberHealth.DOWN,
                HaproxyNsDriverExpectTest.M3, MemberHealth.MAINT), o.memberHealth());
        assertFalse(o.countersReset());
        assertEquals(List.of("show stat -1 6 -1"), sim.runtime.commands.subList(sim.runtime.commands.size() - 1, sim.runtime.commands.size()));
    }

    @Test
    void countersStayCumulativeAcrossAReload() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        sim.runtime.stat = stat(1000, 5000, 2, 10);
        assertEquals(new PoolStats(1000, 5000, 2, 10), driver.observe(POOL).orElseThrow().stats());
        assertEquals(ApplyResult.Action.RELOADED, driver.apply(Optional.of(lb), Lbs.method(lb, LbMethod.LEAST_CONNECTIONS)).action());
        sim.runtime.stat = stat(30, 70, 1, 1);
        Observation o = driver.observe(POOL).orElseThrow();
        assertEquals(new PoolStats(1030, 5070, 1, 11), o.stats());
        assertFalse(o.countersReset());
        // a new driver (JVM restart) reads the carried counters from the state directory
        assertEquals(new PoolStats(1030, 5070, 1, 11), sim.driver().observe(POOL).orElseThrow().stats());
    }

    @Test
    void countersSurviveACrashSeenByThisDriver() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        driver.apply(Optional.empty(), lb);
        sim.runtime.stat = stat(1000, 5000, 2, 10);
        driver.observe(POOL);
        sim.host.processes.clear();
        assertEquals(Optional.empty(), driver.observe(POOL));
        driver.apply(Optional.of(lb), lb);
        sim.runtime.stat = stat(1, 2, 0, 1);
        Observation o = driver.observe(POOL).orElseThrow();
        assertEquals(new PoolStats(1001, 5002, 0, 11), o.stats());
        assertFalse(o.countersReset());
    }

    @Test
    void aDropInCountersIsReportedAsAReset() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        sim.runtime.stat = stat(1000, 5000, 2, 10);
        driver.observe(POOL);
        sim.runtime.stat = stat(10, 50, 0, 1);
        assertTrue(driver.observe(POOL).orElseThrow().countersReset());
    }

    @Test
    void anUnreadableSocketIsARetryableError() {
        driver.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        sim.runtime.answers.put("show stat", c -> "Unknown command.\n");
        DriverException e = assertThrows(DriverException.class, () -> driver.observe(POOL));
        assertTrue(e.retryable());
    }

    @Test
    void observeAllReadsManyInstancesWithBoundedThreads() {
        List<UUID> pools = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID pool = new UUID(0x5000L + i, 0x8000_0000_0000_0000L | i);
            LoadBalancer lb = Lbs.lb(pool, new UUID(0x6000L + i, 0x8000_0000_0000_0000L | i), "10.0.0.0/24", "10.0.0.1",
                    "10.0.0." + (20 + i), Protocol.TCP);
            driver.apply(Optional.empty(), lb);
            pools.add(pool);
        }
        pools.add(UUID.randomUUID());
        sim.runtime.stat = "# pxname,svname,scur,stot,bin,bout,status,weight,\nx,BACKEND,1,2,3,4,UP,1,\n";
        Map<UUID, Observation> all = driver.observeAll(pools);
        assertEquals(6, all.size());
        assertTrue(all.values().stream().allMatch(o -> o.stats().equals(new PoolStats(3, 4, 1, 2))));
        long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("lbaas-haproxy-observe-")).count();
        assertTrue(threads <= driver.settings().observeParallelism(), "threads: " + threads);
        driver.close();
        assertThrows(IllegalStateException.class, () -> driver.observe(POOL));
    }

    @Test
    void capabilitiesAreDeclaredHonestly() {
        var caps = driver.capabilities();
        assertFalse(caps.monitorTypes().contains(org.lbaas.model.MonitorType.PING), "PING needs external checks; see the notes");
        assertEquals(9000, caps.maxConnectionLimit());
        assertTrue(caps.ipv6());
        HaproxyNsDriver auto = new HaproxyNsDriver(HaproxySettings.parse(Map.of("state_dir", sim.stateDir.toString())),
                sim.shell, (l, f) -> "", org.lbaas.driver.haproxy.internal.iface.InterfaceDriver.noop(),
                sim.host, sim.runtime);
        // (20000 - 64 - 3 x 1 thread - 1000 servers - 2 listeners) / 2 - 16 for the stats socket
        assertEquals(9449, auto.capabilities().maxConnectionLimit());
    }
}

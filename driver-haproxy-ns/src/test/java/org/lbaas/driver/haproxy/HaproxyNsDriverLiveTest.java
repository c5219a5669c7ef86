package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;

/**
 * The driver against real HAProxy processes in real namespaces with real HTTP traffic from a
 * client namespace (see {@link LiveEnv}). Needs root, {@code ip}, {@code haproxy} and {@code curl}.
 */
class HaproxyNsDriverLiveTest extends LiveEnvTest {

    private static ApplyResult timed(String what, java.util.function.Supplier<ApplyResult> call) {
        long t0 = System.nanoTime();
        ApplyResult r = call.get();
        System.out.printf("MEASURED %s: %s in %.1f ms%n", what, r.action(), (System.nanoTime() - t0) / 1e6);
        return r;
    }

    /**
     * Asserts that HAProxy runs in the instance's network namespace but in this process's mount
     * namespace: started with {@code nsenter --net}, not {@code ip netns exec} (which would give it
     * a private mount namespace holding a copy of every {@code /run/netns} mount).
     */
    private void assertInNamespaceWithHostMounts(LoadBalancer lb, long pid) throws Exception {
        Path nsFile = Path.of("/run/netns", env.driver.namespace(env.driver.instance(lb.id())));
        assertEquals("net:[" + Files.getAttribute(nsFile, "unix:ino") + "]",
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString(), "network namespace of " + pid);
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")),
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")), "mount namespace of " + pid);
        // the process's own command line is HAProxy's (what reconcile's adoption reads), not nsenter's
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        assertEquals("haproxy", Path.of(cmdline.substring(0, cmdline.indexOf('\0'))).getFileName().toString(), cmdline);
    }

    @Test
    void roundRobinSpreadsRequestsEvenlyAndAnUnchangedApplyDoesNothing() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b", "c");
        ApplyResult r = timed("deploy (create to serving)", () -> env.driver.apply(Optional.empty(), lb));
        assertEquals(ApplyResult.Action.DEPLOYED, r.action(), r.toString());
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), LiveEnv.byBackend(env.requests(lb, 30)));
        long pid = pid(lb);
        assertEquals(ApplyResult.Action.UNCHANGED, timed("unchanged apply", () -> env.driver.apply(Optional.of(lb), lb)).action());
        assertEquals(pid, pid(lb));
        InstanceFiles files = env.driver.files(env.driver.instance(lb.id()));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(files.socket())));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())));
        // HAProxy runs unprivileged, as the dedicated 'haproxy' account where the host has one (nobody otherwise)
        String uid = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(l -> l.startsWith("haproxy:"))
                .map(l -> l.split(":")[2]).findFirst().orElse("65534");
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertTrue(status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals(uid)), "uid " + uid + ": " + status);
        assertInNamespaceWithHostMounts(lb, pid);
    }

    @Test
    void weightsShiftTheRatioAndAWeightChangeIsAppliedInPlace() throws Exception {
        LoadBalancer lb0 = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        Member a = lb0.members().get(0);
        Member b = lb0.members().get(1);
        LoadBalancer lb = Lbs.replaceMember(lb0, a.toBuilder().weight(3).build());
        env.driver.apply(Optional.empty(), lb);
        assertEquals(Map.of("a", 30, "b", 10), sorted(LiveEnv.byBackend(env.requests(lb, 40))));
        long pid = pid(lb);
        LoadBalancer shifted = Lbs.replaceMember(Lbs.replaceMember(lb, a.toBuilder().weight(1).build()), b.toBuilder().weight(3).build());
        ApplyResult r = timed("weight change", () -> env.driver.apply(Optional.of(lb), shifted));
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, r.action(), r.toString());
        assertEquals(pid, pid(lb), "a runtime change must not restart HAProxy");
        // HAProxy's weighted round robin converges to the new ratio 1:3 (not exactly in the first window)
        Map<String, Integer> after = LiveEnv.byBackend(env.requests(lb, 80));
        assertEquals(80, after.getOrDefault("a", 0) + after.getOrDefault("b", 0), after.toString());
        assertTrue(after.getOrDefault("b", 0) >= 52 && after.getOrDefault("b", 0) <= 68, "expected about 60 of 80 on b: " + after);
        // the file was kept in step: the same desired state is now UNCHANGED
        assertEquals(ApplyResult.Action.UNCHANGED, env.driver.apply(Optional.of(shifted), shifted).action());
    }

    private static Map<String, Integer> sorted(Map<String, Integer> m) {
        return new java.util.TreeMap<>(m);
    }

    @Test
    void aDisabledMemberGetsNoTrafficAndReadsMaint() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b", "c");
        env.driver.apply(Optional.empty(), lb);
        Member c = lb.members().get(2);
        LoadBalancer disabled = Lbs.replaceMember(lb, c.toBuilder().adminStateUp(false).build());
        ApplyResult r = timed("disable member", () -> env.driver.apply(Optional.of(lb), disabled));
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, r.action(), r.toString());
        Map<String, Integer> counts = LiveEnv.byBackend(env.requests(lb, 30));
        assertEquals(Map.of("a", 15, "b", 15), sorted(counts));
        Observation o = env.driver.observe(lb.id()).orElseThrow();
        assertEquals(MemberHealth.MAINT, o.memberHealth().get(c.id()));
        assertEquals(MemberHealth.NO_MONITOR, o.memberHealth().get(lb.members().get(0).id()));
        ApplyResult back = env.driver.apply(Optional.of(disabled), lb);
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, back.action());
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), sorted(LiveEnv.byBackend(env.requests(lb, 30))));
    }

    @Test
    void anHttpMonitorTakesAFailingMemberOutAndBringsItBack() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b", "c")
                .withHealthMonitors(List.of(Lbs.httpMonitor(UUID.randomUUID(), 1, 1, 2, "/health")));
        env.driver.apply(Optional.empty(), lb);
        UUID bId = lb.members().get(1).id();
        await("all members UP", Duration.ofSeconds(10), () -> env.driver.observe(lb.id()).orElseThrow().memberHealth().values()
                .stream().allMatch(h -> h == MemberHealth.UP));
        env.backendControl("b", "/control/fail");
        long t0 = System.nanoTime();
        // delay 1 s x max_retries 2, plus slack
        await("b DOWN", Duration.ofSeconds(2 + 3), () -> env.driver.observe(lb.id()).orElseThrow().memberHealth().get(bId) == MemberHealth.DOWN);
        System.out.printf("MEASURED member DOWN after %.1f ms (delay 1 s, max_retries 2)%n", (System.nanoTime() - t0) / 1e6);
        Map<String, Integer> counts = LiveEnv.byBackend(env.requests(lb, 20));
        assertEquals(Map.of("a", 10, "c", 10), sorted(counts));
        env.backendControl("b", "/control/recover");
        await("b UP again", Duration.ofSeconds(2 + 3), () -> env.driver.observe(lb.id()).orElseThrow().memberHealth().get(bId) == MemberHealth.UP);
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), sorted(LiveEnv.byBackend(env.requests(lb, 30))));
    }

    @Test
    void statisticsGrowWithTrafficAndSurviveAReload() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        env.driver.apply(Optional.empty(), lb);
        PoolStats s0 = env.driver.observe(lb.id()).orElseThrow().stats();
        env.requests(lb, 25);
        // curl with URL globbing sends all requests over one keep-alive connection
        PoolStats s1 = env.driver.observe(lb.id()).orElseThrow().stats();
        assertTrue(s1.bytesIn() > s0.bytesIn() && s1.bytesOut() > s0.bytesOut(), s0 + " -> " + s1);
        assertTrue(s1.totalConnections() >= s0.totalConnections() + 1, s0 + " -> " + s1);
        for (int i = 0; i < 5; i++) {
            env.requests(lb, 1);
        }
        PoolStats s2 = env.driver.observe(lb.id()).orElseThrow().stats();
        // in HTTP mode the backend's stot counts requests (streams), each counted when it ends
        assertTrue(s2.totalConnections() >= s1.totalConnections() + 5, s1 + " -> " + s2);
        assertTrue(s2.totalConnections() <= 30, s1 + " -> " + s2);
        LoadBalancer leastconn = Lbs.method(lb, LbMethod.LEAST_CONNECTIONS);
        ApplyResult r = timed("reload (lb_method change)", () -> env.driver.apply(Optional.of(lb), leastconn));
        assertEquals(ApplyResult.Action.RELOADED, r.action());
        assertInNamespaceWithHostMounts(lb, pid(lb));
        Observation after = env.driver.observe(lb.id()).orElseThrow();
        assertFalse(after.countersReset());
        assertTrue(after.stats().totalConnections() >= s2.totalConnections(), s2 + " -> " + after.stats());
        assertTrue(after.stats().bytesIn() >= s2.bytesIn(), s2 + " -> " + after.stats());
        env.requests(lb, 3);
        env.requests(lb, 3);
        PoolStats s3 = env.driver.observe(lb.id()).orElseThrow().stats();
        assertTrue(s3.totalConnections() >= after.stats().totalConnections() + 5, after.stats() + " -> " + s3);
        assertTrue(s3.bytesOut() > after.stats().bytesOut(), after.stats() + " -> " + s3);
    }

    @Test
    void hundredMemberChangesUnderContinuousLoadLoseNoRequest() throws Exception {
        LoadBalancer base = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        env.driver.apply(Optional.empty(), base);
        Member c = Lbs.member(base, UUID.randomUUID(), env.topology.host("c").ipv4().getHostAddress(), 8080);
        List<ApplyResult.Action> actions = new ArrayList<>();
        long runtimeNanos = 0;
        LoadBalancer current = base;
        LiveEnv.Load load = env.load(base, 2, 20);
        try (load) {
            Thread.sleep(300);
            for (int i = 0; i < 100; i++) {
                LoadBalancer next = switch (i % 4) {
                    case 0 -> Lbs.withMember(current, c);
                    case 1 -> Lbs.replaceMember(current, current.member(base.members().get(0).id()).orElseThrow().toBuilder().weight(1 + i % 7).build());
                    case 2 -> Lbs.replaceMember(current, current.member(c.id()).orElseThrow().toBuilder().adminStateUp(false).build());
                    default -> Lbs.withoutMember(current, c.id());
                };
                LoadBalancer prev = current;
                long t0 = System.nanoTime();
                actions.add(env.driver.apply(Optional.of(prev), next).action());
                runtimeNanos += System.nanoTime() - t0;
                current = next;
                Thread.sleep(40);
            }
            Thread.sleep(300);
        }
        System.out.printf("MEASURED 100 member changes: mean %.2f ms per change; %d requests sent during them, %d failed%n",
                runtimeNanos / 1e6 / 100, load.sent(), load.failures().size());
        assertTrue(actions.stream().allMatch(a -> a == ApplyResult.Action.CHANGED_IN_PLACE), actions.toString());
        assertTrue(load.sent() >= 200, "the client sent only " + load.sent() + " requests");
        assertEquals(List.of(), load.failures());
    }

    @Test
    void reloadsUnderContinuousLoadLoseNoRequest() throws Exception {
        LoadBalancer rr = env.withBackends(env.lb(Protocol.HTTP), "a", "b", "c");
        env.driver.apply(Optional.empty(), rr);
        LoadBalancer lc = Lbs.method(rr, LbMethod.LEAST_CONNECTIONS);
        long total = 0;
        LiveEnv.Load load = env.load(rr, 1, 50);
        try (load) {
            Thread.sleep(300);
            for (int i = 0; i < 10; i++) {
                LoadBalancer from = i % 2 == 0 ? rr : lc;
                LoadBalancer to = i % 2 == 0 ? lc : rr;
                long t0 = System.nanoTime();
                assertEquals(ApplyResult.Action.RELOADED, env.driver.apply(Optional.of(from), to).action());
                total += System.nanoTime() - t0;
                Thread.sleep(200);
            }
        }
        System.out.printf("MEASURED 10 reloads: mean %.1f ms per reload; %d requests during them, %d failed%n",
                total / 1e6 / 10, load.sent(), load.failures().size());
        assertTrue(load.sent() >= 100, "the client sent only " + load.sent());
        assertEquals(List.of(), load.failures());
    }

    @Test
    void aConfigurationHaproxyRejectsLeavesTheRunningInstanceServing() throws Exception {
        HaproxySettings s = env.driver.settings();
        AtomicBoolean broken = new AtomicBoolean();
        MinimalConfigRenderer real = new MinimalConfigRenderer(s);
        HaproxyNsDriver driver = new HaproxyNsDriver(s, ShellExecutor.system(),
                (lb, files) -> real.render(lb, files) + (broken.get() ? "    no-such-keyword here\n" : ""),
                HaproxyNsDriverProvider.interfaceDriver(s), HostView.system(),
                org.lbaas.driver.haproxy.internal.runtime.RuntimeClient.unixSocket());
        try {
            LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
            driver.apply(Optional.empty(), lb);
            long pid = pid(lb);
            String good = Files.readString(driver.files(driver.instance(lb.id())).config());
            broken.set(true);
            DriverException e = assertThrows(DriverException.class, () -> driver.apply(Optional.of(lb), Lbs.method(lb, LbMethod.LEAST_CONNECTIONS)));
            assertFalse(e.retryable());
            assertTrue(e.operatorMessage().contains("no-such-keyword"), e.operatorMessage());
            assertFalse(e.tenantMessage().contains("/"), e.tenantMessage());
            assertEquals(pid, pid(lb));
            assertEquals(good, Files.readString(driver.files(driver.instance(lb.id())).config()));
            assertEquals(Map.of("a", 5, "b", 5), sorted(LiveEnv.byBackend(env.requests(lb, 10))));
        } finally {
            driver.close();
        }
    }

    @Test
    void aKilledHaproxyIsRepairedByReconcile() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        env.driver.apply(Optional.empty(), lb);
        long pid = pid(lb);
        env.requests(lb, 4);
        PoolStats before = env.driver.observe(lb.id()).orElseThrow().stats();
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        await("HAProxy gone", Duration.ofSeconds(5), () -> HostView.system().process(pid).isEmpty());
        assertEquals(Optional.empty(), env.driver.observe(lb.id()));
        long t0 = System.nanoTime();
        ReconcileReport report = env.driver.reconcile(List.of(lb));
        System.out.printf("MEASURED reconcile restart of a killed HAProxy: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(java.util.Set.of(lb.id()), report.repaired(), report.toString());
        assertNotEquals(pid, pid(lb));
        assertEquals(Map.of("a", 5, "b", 5), sorted(LiveEnv.byBackend(env.requests(lb, 10))));
        PoolStats after = env.driver.observe(lb.id()).orElseThrow().stats();
        assertTrue(after.totalConnections() > before.totalConnections(), "counters carried over the crash: " + before + " -> " + after);
    }

    @Test
    void aFreshDriverAdoptsARunningInstanceWithoutRestartingIt() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        LoadBalancer gone = env.withBackends(env.lb(Protocol.TCP), "c");
        env.driver.apply(Optional.empty(), lb);
        env.driver.apply(Optional.empty(), gone);
        long pid = pid(lb);
        HaproxyNsDriver fresh = env.newDriver();
        ReconcileReport report = fresh.reconcile(List.of(lb));
        assertEquals(java.util.Set.of(lb.id()), report.adopted(), report.toString());
        assertEquals(java.util.Set.of(gone.id()), report.removed(), report.toString());
        assertEquals(pid, pid(lb));
        assertFalse(HostView.system().namespaceExists(env.driver.namespace(env.driver.instance(gone.id()))));
        assertEquals(Map.of("a", 5, "b", 5), sorted(LiveEnv.byBackend(env.requests(lb, 10))));
        assertEquals(ApplyResult.Action.UNCHANGED, fresh.apply(Optional.empty(), lb).action());
    }

    @Test
    void undeployLeavesNothingBehindAndIsIdempotent() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a");
        env.driver.apply(Optional.empty(), lb);
        long pid = pid(lb);
        String ns = env.driver.namespace(env.driver.instance(lb.id()));
        String tap = "tap" + lb.vip().orElseThrow().portId().toString().substring(0, 11);
        assertTrue(HostView.system().deviceExists(tap));
        LoadBalancer down = Lbs.vip(lb, v -> v.adminStateUp(false));
        long t0 = System.nanoTime();
        assertEquals(ApplyResult.Action.UNDEPLOYED, env.driver.apply(Optional.of(lb), down).action());
        System.out.printf("MEASURED undeploy: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertTrue(HostView.system().process(pid).isEmpty());
        assertFalse(HostView.system().namespaceExists(ns));
        assertFalse(HostView.system().deviceExists(tap));
        assertFalse(Files.exists(env.stateDir.resolve(lb.id().toString())));
        assertEquals(List.of(), env.leftovers());
        env.driver.remove(lb.id());
        assertEquals(ApplyResult.Action.UNDEPLOYED, env.driver.apply(Optional.of(down), down).action());
        assertEquals(Optional.empty(), env.driver.observe(lb.id()));
    }
}

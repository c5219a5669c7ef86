package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/**
 * Changes applied to a pair while one instance is BACKUP reach both instances: a member added
 * through the runtime API (both sockets list it, and after a failover the former standby spreads
 * traffic over it) and an {@code lb_method} change by reload (both files and processes change, and
 * after a failover the other instance hashes by source); then undeploy leaves nothing of either
 * instance.
 */
class ActiveStandbyChangesLiveTest extends PairLiveTest {

    private static Map<String, Integer> spread(List<LiveEnv.Hit> hits) {
        return new TreeMap<>(LiveEnv.byBackend(hits));
    }

    /** Kills the active HAProxy, waits until the VIP answers from the other instance and repairs the dead one. */
    private int failOverAndRepair(LoadBalancer lb, String what) throws Exception {
        int active = activeOrdinal(lb);
        long t0 = System.nanoTime();
        kill("-KILL", haproxyPid(lb, active));
        double ms = untilServed(lb, t0);
        System.out.printf("MEASURED %s: active HAProxy SIGKILL to first served request: %.0f ms%n", what, ms);
        assertTrue(ms < 1000, "failover took " + ms + " ms");
        assertEquals(1 - active, activeOrdinal(lb));
        return 1 - active;
    }

    private void repair(LoadBalancer lb, int active) throws Exception {
        ApplyResult repaired = ha.repair(lb);
        assertEquals(ApplyResult.Action.DEPLOYED, repaired.action(), repaired.toString());
        awaitHealthy(lb, Duration.ofSeconds(5));
        assertEquals(active, activeOrdinal(lb), "the repaired instance must not take the VIP back");
    }

    @Test
    void aMemberChangeAndAReloadDuringBackupReachBothInstancesAndUndeployLeavesNothing() throws Exception {
        LoadBalancer lb = deploy(withInstanceAddresses(env.withBackends(env.lb(Protocol.HTTP), "a", "b")));
        assertEquals(Map.of("a", 15, "b", 15), spread(env.requests(lb, 30)));
        int active = activeOrdinal(lb);
        int standby = 1 - active;
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, standby));

        // a member added while one instance is BACKUP: the runtime API of both
        LoadBalancer withC = env.withBackends(lb, "c");
        String c = withC.members().get(2).id().toString();
        long[] pidsBefore = {haproxyPid(lb, 0), haproxyPid(lb, 1)};
        ApplyResult added = ha.apply(Optional.of(lb), withC);
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, added.action(), added.toString());
        assertEquals("instance 0: changed_in_place (1 runtime API command(s)); instance 1: changed_in_place (1 runtime API command(s))",
                added.detail().replaceAll("\\(\\d+ runtime", "(1 runtime"));
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            assertEquals(pidsBefore[ordinal], haproxyPid(lb, ordinal), "no reload of instance " + ordinal);
            String state = socket(lb, ordinal, "show servers state " + lb.id());
            assertTrue(state.contains(" " + c + " "), "instance " + ordinal + "'s running HAProxy has member c: " + state);
            assertTrue(Files.readString(files(lb, ordinal).config()).contains("server " + c + " "), "instance " + ordinal + "'s file");
        }
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, standby), "the change did not move the VIP");

        int nowActive = failOverAndRepair(withC, "member added during BACKUP");
        assertEquals(standby, nowActive);
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), spread(env.requests(withC, 30)), "the former standby serves member c");
        repair(withC, nowActive);

        // a reload while the other instance (just repaired) is BACKUP
        LoadBalancer hashed = Lbs.method(withC, LbMethod.SOURCE_IP);
        pidsBefore = new long[] {haproxyPid(lb, 0), haproxyPid(lb, 1)};
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, active));
        ApplyResult reloaded = ha.apply(Optional.of(withC), hashed);
        assertEquals(ApplyResult.Action.RELOADED, reloaded.action(), reloaded.toString());
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            assertNotEquals(pidsBefore[ordinal], haproxyPid(lb, ordinal), "instance " + ordinal + " reloaded");
            assertTrue(Files.readString(files(lb, ordinal).config()).contains("balance source"), "instance " + ordinal + "'s file");
        }
        awaitHealthy(lb, Duration.ofSeconds(5));
        assertEquals(nowActive, activeOrdinal(lb), "a reload does not move the VIP");
        assertEquals(30, env.requests(hashed, 30).stream().filter(h -> h.status() == 200).count());

        int last = failOverAndRepair(hashed, "reload during BACKUP");
        assertEquals(active, last);
        Map<String, Integer> one = spread(env.requests(hashed, 30));
        assertEquals(1, one.size(), "the instance reloaded while BACKUP hashes by source: one member for one client: " + one);
        assertEquals(Set.of(30), Set.copyOf(one.values()));
        repair(hashed, last);

        ReconcileReport adopted = ha.reconcile(List.of(hashed));
        assertEquals(Set.of(hashed.id()), adopted.adopted(), "after both changes and repairs both instances match: " + adopted);

        // undeploy leaves nothing of either instance
        List<String> before = remainsOf(hashed);
        assertEquals(8, before.stream().filter(r -> !r.startsWith("process ")).count(),
                "before: two namespaces, four host devices, two state directories: " + before);
        assertTrue(before.stream().filter(r -> r.startsWith("process ")).count() >= 6,
                "before: HAProxy, keepalived parent and VRRP child of each instance: " + before);
        ApplyResult removed = ha.apply(Optional.of(hashed), hashed.withVip(Optional.empty()));
        assertEquals(ApplyResult.Action.UNDEPLOYED, removed.action(), removed.toString());
        assertEquals(List.of(), remainsOf(hashed));
        assertEquals(List.of(), env.leftovers());
        assertTrue(HostView.system().deviceExists(haBridge), "the HA bridge stays for other pairs");
        assertEquals(Optional.empty(), ha.observe(hashed.id()));
        assertEquals(Map.of(hashed.id(), "instance 0: instance " + hashed.id() + " is not deployed (no state in " + env.stateDir
                + "); instance 1: instance " + hashed.id() + "-1 is not deployed (no state in " + env.stateDir + ")"),
                ha.probe(List.of(hashed.id())));
    }
}

package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/** probe() and repair() against a real HAProxy that is SIGKILLed, and a namespace deleted under it. */
class ProbeRepairLiveTest extends LiveEnvTest {

    private boolean serves(LoadBalancer lb) {
        return env.requests(lb, 1).get(0).status() == 200;
    }

    @Test
    void aSigkilledHaproxyIsProbedAndRepairedAndTrafficComesBack() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        LoadBalancer other = env.withBackends(env.lb(Protocol.HTTP), "c");
        env.driver.apply(Optional.empty(), lb);
        env.driver.apply(Optional.empty(), other);
        long otherPid = pid(other);
        assertTrue(serves(lb));
        assertEquals(Map.of(), env.driver.probe(List.of(lb.id(), other.id())));

        long pid = pid(lb);
        long killed = System.nanoTime();
        assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor());
        Map<UUID, String> reported = Map.of();
        for (int i = 0; i < 100 && reported.isEmpty(); i++) {
            reported = env.driver.probe(List.of(lb.id(), other.id()));
            if (reported.isEmpty()) {
                Thread.sleep(10);
            }
        }
        long probed = System.nanoTime();
        assertEquals(Map.of(lb.id(), "haproxy pid " + pid + " of namespace " + env.driver.namespace(env.driver.instance(lb.id()))
                + " exited"), reported);
        long repairStart = System.nanoTime();
        ApplyResult r = env.driver.repair(lb);
        long repaired = System.nanoTime();
        assertEquals(ApplyResult.Action.DEPLOYED, r.action(), r.toString());
        int tries = 0;
        while (!serves(lb)) {
            assertTrue(++tries < 50, "traffic did not come back");
            Thread.sleep(20);
        }
        long back = System.nanoTime();
        System.out.printf("MEASURED SIGKILL to probe report: %.1f ms, repair: %.1f ms, SIGKILL to first successful request after "
                + "repair: %.1f ms%n", (probed - killed) / 1e6, (repaired - repairStart) / 1e6, (back - killed) / 1e6);
        assertEquals(Map.of(), env.driver.probe(List.of(lb.id(), other.id())));
        assertEquals(otherPid, pid(other), "the healthy instance was not touched");

        // probing costs little (no command runs): measured after a warm-up
        for (int i = 0; i < 2000; i++) {
            env.driver.probe(List.of(lb.id()));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            env.driver.probe(List.of(lb.id()));
        }
        System.out.printf("MEASURED probe of one healthy instance: %.1f us%n", (System.nanoTime() - t0) / 1e3 / 1000);
    }

    @Test
    void aDeletedNamespaceIsProbedNotObservedAsRunningAndRepaired() throws Exception {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a");
        env.driver.apply(Optional.empty(), lb);
        String ns = env.driver.namespace(env.driver.instance(lb.id()));
        assertTrue(env.driver.observe(lb.id()).isPresent());
        assertEquals(0, new ProcessBuilder("ip", "netns", "del", ns).start().waitFor());
        assertEquals(Map.of(lb.id(), "namespace " + ns + " is gone"), env.driver.probe(List.of(lb.id())));
        assertEquals(Optional.empty(), env.driver.observe(lb.id()), "an HAProxy in a deleted namespace is not 'running'");
        long t0 = System.nanoTime();
        ApplyResult r = env.driver.repair(lb);
        System.out.printf("MEASURED repair of a deleted namespace: %s in %.1f ms%n", r.action(), (System.nanoTime() - t0) / 1e6);
        assertEquals(ApplyResult.Action.DEPLOYED, r.action());
        assertEquals(Map.of(), env.driver.probe(List.of(lb.id())));
        assertTrue(serves(lb));
    }
}

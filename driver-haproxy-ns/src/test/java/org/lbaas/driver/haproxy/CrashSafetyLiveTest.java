package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/**
 * {@link CrashSafetyTest} on the real host: a driver dies at each command of a real deploy and of
 * a real remove (before the command runs, or after it ran), and a new driver on the same state
 * directory converges: the load balancer serves HTTP, or nothing is left.
 */
class CrashSafetyLiveTest extends LiveEnvTest {

    /** A driver of the environment's settings whose commands go through {@code shell}. */
    private HaproxyNsDriver driver(ShellExecutor shell) {
        Map<String, String> s = new HashMap<>(env.settings);
        return new HaproxyNsDriverProvider().create(new DriverConfig(s, shell, Clock.systemUTC()));
    }

    /** Counts the commands an operation runs on the real host. */
    private static final class Counting implements ShellExecutor {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public CommandResult execute(Command command) {
            calls.incrementAndGet();
            return ShellExecutor.system().execute(command);
        }
    }

    private boolean serves(LoadBalancer lb) {
        return env.requests(lb, 2).stream().allMatch(h -> h.status() == 200);
    }

    @Test
    void aDeployOrRemoveKilledAtAnyCommandConvergesUnderANewDriver() {
        Counting counting = new Counting();
        LoadBalancer probe = env.withBackends(env.lb(Protocol.HTTP), "a");
        try (HaproxyNsDriver d = driver(counting)) {
            d.apply(Optional.empty(), probe);
            int deployCommands = counting.calls.getAndSet(0);
            d.remove(probe.id());
            int removeCommands = counting.calls.get();
            assertTrue(deployCommands >= 3 && removeCommands >= 1, deployCommands + " / " + removeCommands);
            System.out.printf("MEASURED crash points: %d deploy commands, %d remove commands%n", deployCommands, removeCommands);
            for (int n = 1; n <= deployCommands; n++) {
                for (boolean after : new boolean[] {false, true}) {
                    LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
                    HaproxyNsDriver dying = driver(new CrashSafetyTest.Killing(ShellExecutor.system(), n, after));
                    assertThrows(CrashSafetyTest.Killed.class, () -> dying.apply(Optional.empty(), lb));
                    dying.close();
                    try (HaproxyNsDriver fresh = driver(ShellExecutor.system())) {
                        ReconcileReport r = fresh.reconcile(List.of(lb));
                        assertTrue(r.succeeded(), "deploy killed at " + n + "/" + after + ": " + r);
                        assertEquals(Map.of(), fresh.probe(List.of(lb.id())));
                        assertTrue(serves(lb), "deploy killed at " + n + "/" + after + " then reconciled serves");
                        fresh.remove(lb.id());
                    }
                    assertEquals(List.of(), env.leftovers(), "deploy killed at " + n + "/" + after);
                }
            }
            for (int n = 1; n <= removeCommands; n++) {
                for (boolean after : new boolean[] {false, true}) {
                    LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "c");
                    d.apply(Optional.empty(), lb);
                    HaproxyNsDriver dying = driver(new CrashSafetyTest.Killing(ShellExecutor.system(), n, after));
                    assertThrows(CrashSafetyTest.Killed.class, () -> dying.remove(lb.id()));
                    dying.close();
                    try (HaproxyNsDriver fresh = driver(ShellExecutor.system())) {
                        ReconcileReport r = fresh.reconcile(List.of());
                        assertTrue(r.succeeded(), "remove killed at " + n + "/" + after + ": " + r);
                        assertEquals(Set.of(), r.foreign());
                    }
                    assertEquals(List.of(), env.leftovers(), "remove killed at " + n + "/" + after);
                }
            }
        }
    }
}

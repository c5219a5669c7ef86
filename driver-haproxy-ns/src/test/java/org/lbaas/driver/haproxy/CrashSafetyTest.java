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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;

/**
 * A driver killed at any command of a deploy or a remove (the process dies: nothing after the
 * kill runs, not even the driver's own rollback) leaves the host so that a new driver on the same
 * state directory converges: one load balancer serving, nothing orphaned.
 */
class CrashSafetyTest {

    static final java.util.UUID POOL = HaproxyNsDriverExpectTest.POOL;

    @TempDir
    Path temp;

    /** The JVM died: an Error, so no {@code catch (RuntimeException)} in the driver runs its rollback. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed(int call) {
            super("killed at command " + call);
        }
    }

    /** Dies at command {@code n}: before it runs, or just after it ran (its effects happened, its result was never seen). */
    record Killing(ShellExecutor delegate, int n, boolean afterRunning, AtomicInteger calls) implements ShellExecutor {
        Killing(ShellExecutor delegate, int n, boolean afterRunning) {
            this(delegate, n, afterRunning, new AtomicInteger());
        }

        @Override
        public CommandResult execute(Command command) {
            int call = calls.incrementAndGet();
            if (call > n) {
                throw new Killed(call);
            }
            if (call == n && !afterRunning) {
                throw new Killed(call);
            }
            CommandResult r = delegate.execute(command);
            if (call == n) {
                throw new Killed(call);
            }
            return r;
        }
    }

    static int commandsOf(boolean remove) {
        try {
            Path dir = Files.createTempDirectory("count");
            Sim sim = new Sim(dir.resolve("state"));
            HaproxyNsDriver d = sim.driver();
            d.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
            int deploy = sim.shell.callCount();
            sim.clearRecords();
            d.remove(POOL);
            int removal = sim.shell.callCount();
            com.google.common.io.MoreFiles.deleteRecursively(dir);
            return remove ? removal : deploy;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Arguments> deploySteps() {
        int n = commandsOf(false);
        assertTrue(n >= 4, "a deploy runs at least 4 commands: " + n);
        return IntStream.rangeClosed(1, n).boxed().flatMap(i -> Stream.of(Arguments.of(i, false), Arguments.of(i, true)));
    }

    static Stream<Arguments> removeSteps() {
        int n = commandsOf(true);
        assertTrue(n >= 2, "a remove runs at least 2 commands: " + n);
        return IntStream.rangeClosed(1, n).boxed().flatMap(i -> Stream.of(Arguments.of(i, false), Arguments.of(i, true)));
    }

    private static void assertServesExactlyOne(Sim sim, HaproxyNsDriver d) {
        InstanceFiles files = d.files(d.instance(POOL));
        assertEquals(Set.of("qlbaas-" + POOL), sim.host.namespaces, "one namespace");
        assertEquals(Set.of("tap9c8b7a6f-5e"), sim.host.devices, "one device");
        assertEquals(1, sim.host.processes.size(), "one HAProxy: " + sim.host.processes);
        long pid = sim.host.processes.keySet().iterator().next();
        assertEquals(Optional.of(pid), sim.pidIn(files.pidFile()));
        assertEquals(Map.of(), d.probe(List.of(POOL)));
        assertTrue(d.observe(POOL).isPresent());
    }

    private static void assertNothingLeft(Sim sim, HaproxyNsDriver d) throws Exception {
        assertEquals(Set.of(), sim.host.namespaces, "namespaces");
        assertEquals(Set.of(), sim.host.devices, "devices");
        assertEquals(Map.of(), sim.host.processes, "processes");
        assertFalse(Files.exists(d.files(d.instance(POOL)).dir()), "state directory");
        try (Stream<Path> left = Files.list(sim.stateDir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @ParameterizedTest(name = "deploy killed at command {0} (after running it: {1})")
    @MethodSource("deploySteps")
    void aDeployKilledAtAnyCommandConvergesUnderANewDriver(int n, boolean afterRunning) throws Exception {
        Sim sim = new Sim(temp.resolve("state"));
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        HaproxyNsDriver dying = sim.driver(new Killing(sim.shell, n, afterRunning));
        assertThrows(Killed.class, () -> dying.apply(Optional.empty(), lb));
        // dying is discarded; a new process starts over the same state directory
        HaproxyNsDriver fresh = sim.driver();
        ReconcileReport r = fresh.reconcile(List.of(lb));
        assertTrue(r.succeeded(), "reconcile: " + r);
        assertEquals(Set.of(), r.foreign(), "nothing of ours mistaken for foreign");
        assertServesExactlyOne(sim, fresh);
        fresh.reconcile(List.of());
        assertNothingLeft(sim, fresh);
    }

    @ParameterizedTest(name = "deploy killed at command {0} (after running it: {1}), then apply")
    @MethodSource("deploySteps")
    void aDeployKilledAtAnyCommandConvergesWithAnApplyToo(int n, boolean afterRunning) throws Exception {
        Sim sim = new Sim(temp.resolve("state"));
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        assertThrows(Killed.class, () -> sim.driver(new Killing(sim.shell, n, afterRunning)).apply(Optional.empty(), lb));
        HaproxyNsDriver fresh = sim.driver();
        fresh.apply(Optional.empty(), lb);
        assertServesExactlyOne(sim, fresh);
        fresh.remove(POOL);
        assertNothingLeft(sim, fresh);
    }

    @ParameterizedTest(name = "remove killed at command {0} (after running it: {1})")
    @MethodSource("removeSteps")
    void aRemoveKilledAtAnyCommandLeavesNothingAfterANewDriversReconcileOrRemove(int n, boolean afterRunning) throws Exception {
        for (boolean viaReconcile : new boolean[] {true, false}) {
            Sim sim = new Sim(temp.resolve("state-" + viaReconcile));
            LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
            sim.driver().apply(Optional.empty(), lb);
            HaproxyNsDriver dying = sim.driver(new Killing(sim.shell, n, afterRunning));
            assertThrows(Killed.class, () -> dying.remove(POOL));
            HaproxyNsDriver fresh = sim.driver();
            if (viaReconcile) {
                ReconcileReport r = fresh.reconcile(List.of());
                assertTrue(r.succeeded(), "reconcile: " + r);
                assertEquals(Set.of(), r.foreign());
            } else {
                fresh.remove(POOL);
            }
            assertNothingLeft(sim, fresh);
        }
    }

    @ParameterizedTest(name = "remove killed at command {0} (after running it: {1}), then deployed again")
    @MethodSource("removeSteps")
    void aRemoveKilledAtAnyCommandCanBeRedeployed(int n, boolean afterRunning) {
        Sim sim = new Sim(temp.resolve("state"));
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        sim.driver().apply(Optional.empty(), lb);
        assertThrows(Killed.class, () -> sim.driver(new Killing(sim.shell, n, afterRunning)).remove(POOL));
        HaproxyNsDriver fresh = sim.driver();
        ReconcileReport r = fresh.reconcile(List.of(lb));
        assertTrue(r.succeeded(), "reconcile: " + r);
        assertServesExactlyOne(sim, fresh);
    }
}

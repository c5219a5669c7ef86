package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;

/**
 * Self-healing through a real service with short intervals. Nothing sleeps for a fixed time to
 * make something happen: each test waits, with a deadline, for a number of probe rounds or
 * repairs, and asserts on what the driver saw.
 */
class SelfHealingServiceTest {

    static final Duration INTERVAL = Duration.ofMillis(10);
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(20);

    /**
     * The service's fake driver plus a data plane that can die: {@link #dead} ids are reported by
     * {@code probe} until repaired; {@code repair} revives them (or fails while {@link #repairFails});
     * any overlap of two calls for one load balancer (apply, remove, repair) is recorded.
     */
    static final class DyingDriver implements LoadBalancerDriver {
        final FakeDriver plane = new FakeDriver();
        final Map<UUID, String> dead = new ConcurrentHashMap<>();
        final Set<UUID> keepsDying = ConcurrentHashMap.newKeySet();
        final AtomicInteger probes = new AtomicInteger();
        final List<LoadBalancer> repairs = Collections.synchronizedList(new ArrayList<>());
        final List<Long> repairNanos = Collections.synchronizedList(new ArrayList<>());
        final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
        final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        volatile RuntimeException probeFailure;
        volatile boolean repairFails;
        /** When set, apply and remove wait for it (at most 10 s). */
        volatile CountDownLatch gate;
        final AtomicInteger gated = new AtomicInteger();
        volatile long callMillis;
        /** When set, repair waits for it, ignoring interrupts (at most 10 s): a driver stuck in a repair. */
        volatile CountDownLatch repairGate;

        @Override
        public Capabilities capabilities() {
            return plane.capabilities();
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            enter(desired.id());
            try {
                pass();
                return plane.apply(previous, desired);
            } finally {
                exit(desired.id());
            }
        }

        @Override
        public void remove(UUID poolId) {
            enter(poolId);
            try {
                pass();
                plane.remove(poolId);
            } finally {
                exit(poolId);
            }
        }

        @Override
        public Optional<Observation> observe(UUID poolId) {
            return plane.observe(poolId);
        }

        @Override
        public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
            return plane.reconcile(desired);
        }

        @Override
        public Map<UUID, String> probe(Collection<UUID> poolIds) {
            probes.incrementAndGet();
            RuntimeException failure = probeFailure;
            if (failure != null) {
                throw failure;
            }
            Map<UUID, String> out = new LinkedHashMap<>();
            for (UUID id : poolIds) {
                String why = dead.get(id);
                if (why != null) {
                    out.put(id, why);
                }
            }
            return out;
        }

        @Override
        public ApplyResult repair(LoadBalancer desired) {
            UUID id = desired.id();
            enter(id);
            try {
                repairNanos.add(System.nanoTime());
                repairs.add(desired);
                nap();
                stuck();
                if (repairFails) {
                    throw new DriverException("the load balancer could not be started", "haproxy: cannot bind socket", true);
                }
                plane.applied.put(id, desired);
                if (!keepsDying.contains(id)) {
                    dead.remove(id);
                }
                return new ApplyResult(ApplyResult.Action.DEPLOYED, "restarted");
            } finally {
                exit(id);
            }
        }

        @Override
        public void close() {
        }

        int repairsOf(UUID id) {
            synchronized (repairs) {
                return (int) repairs.stream().filter(lb -> lb.id().equals(id)).count();
            }
        }

        private void pass() {
            nap();
            CountDownLatch g = gate;
            if (g != null) {
                gated.incrementAndGet();
                try {
                    g.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    gated.decrementAndGet();
                }
            }
        }

        private void stuck() {
            CountDownLatch g = repairGate;
            if (g == null) {
                return;
            }
            boolean interrupted = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (g.getCount() > 0 && System.nanoTime() < until) {
                try {
                    g.await(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void nap() {
            long ms = callMillis;
            if (ms > 0) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void enter(UUID id) {
            if (inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.add("two calls at once for load balancer " + id);
            }
        }

        private void exit(UUID id) {
            inFlight.get(id).decrementAndGet();
        }
    }

    final DyingDriver driver = new DyingDriver();
    final List<StatusChange> changes = Collections.synchronizedList(new ArrayList<>());
    LoadBalancerService service;

    @AfterEach
    void close() {
        CountDownLatch g = driver.gate;
        if (g != null) {
            g.countDown();
        }
        if (service != null) {
            service.close();
        }
        assertEquals(List.of(), driver.overlaps, "calls for one load balancer must never overlap");
    }

    LoadBalancerService start(Duration interval, Duration maxBackoff) {
        service = Fixtures.builder(driver).selfHealing(interval).selfHealingMaxBackoff(maxBackoff).listener(changes::add)
                .build();
        return service;
    }

    /** Pool, member and VIP: a deployed load balancer. */
    UUID deployed() {
        UUID id = done(service.createPool(pool(Protocol.HTTP))).id();
        done(service.createMember(MemberCreate.of(TENANT, id, "192.0.2.10", 80)));
        done(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, id)));
        assertEquals(Status.ACTIVE, service.getPool(id).pool().status());
        return id;
    }

    static void await(String what, BooleanSupplier condition) {
        Fixtures.eventually(what, Duration.ofNanos(PATIENCE_NANOS), condition);
    }

    /** Waits until the driver was probed {@code rounds} more times. */
    void probeRounds(int rounds) {
        int target = driver.probes.get() + rounds;
        await(rounds + " more probe rounds", () -> driver.probes.get() >= target);
    }

    /** The live self-healing threads (other test classes may leave services open: compare sets). */
    static Set<Thread> healingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("lbaas-self-healing") && t.isAlive()).collect(Collectors.toSet());
    }

    final Set<Thread> threadsBefore = healingThreads();

    /** The self-healing threads this test's service started and that still live. */
    Set<Thread> ours() {
        Set<Thread> now = new HashSet<>(healingThreads());
        now.removeAll(threadsBefore);
        return now;
    }

    @Test
    @DisplayName("a load balancer whose data plane died is repaired once, with its desired state, and stays ACTIVE")
    void repairedExactlyOnce() {
        start(INTERVAL, Duration.ofSeconds(1));
        UUID a = deployed();
        UUID b = deployed();
        probeRounds(2);
        assertEquals(0, driver.repairs.size(), "nothing is repaired while everything is served");
        int changesBefore = changes.size();
        driver.dead.put(a, "haproxy pid 4242 exited");
        await("the repair", () -> driver.repairsOf(a) == 1);
        probeRounds(10);
        assertEquals(1, driver.repairsOf(a), "repaired exactly once");
        assertEquals(0, driver.repairsOf(b));
        assertEquals(service.loadBalancer(a), driver.repairs.get(0), "repaired with the desired state");
        assertEquals(Status.ACTIVE, service.getPool(a).pool().status());
        assertEquals(Status.ACTIVE, service.listVips().get(0).status());
        assertEquals(changesBefore, changes.size(), "a successful repair changes no status: " + changes);
        // the next change is told the repaired state as its previous one
        done(service.updatePool(a, PoolUpdate.empty().withName("after")));
        assertEquals(List.of(), driver.plane.staleInputs);
    }

    @Test
    @DisplayName("one that keeps dying is repaired with growing gaps up to the cap, not every round")
    void keepsDyingBacksOff() {
        start(INTERVAL, Duration.ofMillis(80));
        UUID a = deployed();
        driver.keepsDying.add(a);
        driver.dead.put(a, "haproxy pid 1 exited");
        long first = System.nanoTime();
        await("7 repairs", () -> driver.repairsOf(a) >= 7);
        long elapsed = System.nanoTime() - first;
        int rounds = driver.probes.get();
        List<Long> times;
        synchronized (driver.repairNanos) {
            times = List.copyOf(driver.repairNanos);
        }
        long[] minimumMillis = {10, 20, 40, 80, 80, 80};
        for (int i = 0; i < minimumMillis.length; i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(times.get(i + 1) - times.get(i));
            assertTrue(gap >= minimumMillis[i], "gap " + (i + 1) + " was " + gap + " ms, the back-off asks at least "
                    + minimumMillis[i] + " ms; all repair times: " + times);
        }
        // without back-off every 10 ms round would repair; with it, 7 repairs need at least 310 ms
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(310), "7 repairs within " + elapsed / 1_000_000 + " ms");
        assertTrue(driver.repairsOf(a) < rounds, driver.repairsOf(a) + " repairs in " + rounds + " probe rounds");
        assertEquals(Status.ACTIVE, service.getPool(a).pool().status());
    }

    @Test
    @DisplayName("a failed repair sets the pool to ERROR with a description; the next successful one sets it ACTIVE again")
    void failureThenRecovery() {
        start(INTERVAL, Duration.ofMillis(40));
        UUID a = deployed();
        driver.repairFails = true;
        driver.dead.put(a, "haproxy pid 9 exited");
        await("the pool in ERROR", () -> service.getPool(a).pool().status() == Status.ERROR);
        String description = service.getPool(a).pool().statusDescription();
        assertTrue(description.contains("could not be started"), description);
        assertFalse(description.contains("haproxy"), "the tenant does not see the operator's message: " + description);
        int attempts = driver.repairsOf(a);
        await("another attempt", () -> driver.repairsOf(a) > attempts + 1);
        driver.repairFails = false;
        await("the pool ACTIVE again", () -> service.getPool(a).pool().status() == Status.ACTIVE);
        assertEquals("", service.getPool(a).pool().statusDescription());
        await("the listener heard ERROR and ACTIVE", () -> {
            synchronized (changes) {
                return changes.stream().anyMatch(c -> c.id().equals(a.toString()) && c.current().equals(Optional.of(Status.ERROR)))
                        && changes.stream().anyMatch(c -> c.id().equals(a.toString())
                        && c.previous().equals(Optional.of(Status.ERROR)) && c.current().equals(Optional.of(Status.ACTIVE)));
            }
        });
        int after = driver.repairsOf(a);
        probeRounds(10);
        assertEquals(after, driver.repairsOf(a), "no repair once it is served again");
    }

    @Test
    @DisplayName("a repair beyond the driver deadline sets the pool to ERROR; when the driver returns with success it is ACTIVE again")
    void repairPastTheDeadline() {
        service = Fixtures.builder(driver).driverDeadline(Duration.ofMillis(300)).selfHealing(INTERVAL)
                .selfHealingMaxBackoff(Duration.ofSeconds(5)).listener(changes::add).build();
        UUID a = deployed();
        driver.repairGate = new CountDownLatch(1);
        driver.dead.put(a, "haproxy pid 3 exited");
        await("the pool in ERROR at the deadline", () -> service.getPool(a).pool().status() == Status.ERROR);
        assertTrue(service.getPool(a).pool().statusDescription().contains("did not repair it within 300 ms"),
                service.getPool(a).pool().statusDescription());
        assertEquals(1, driver.repairsOf(a), "one repair, still running");
        driver.repairGate.countDown();
        await("the pool ACTIVE once the late repair returned", () -> service.getPool(a).pool().status() == Status.ACTIVE);
        probeRounds(5);
        assertEquals(1, driver.repairsOf(a), "served and ACTIVE again: nothing more to repair");
        // the service is not stuck: the next change is applied, told the repaired state as its previous one
        assertEquals(Status.ACTIVE, done(service.updatePool(a, PoolUpdate.empty().withName("later"))).pool().status());
        assertEquals(List.of(), driver.plane.staleInputs);
    }

    @Test
    @DisplayName("a repair never overlaps an apply of the same load balancer")
    void neverBesideAnApply() {
        start(Duration.ofMillis(5), Duration.ofMillis(5));
        UUID a = deployed();
        driver.callMillis = 3;
        driver.keepsDying.add(a);
        driver.dead.put(a, "dies all the time");
        int repairsBefore = driver.repairsOf(a);
        for (int i = 0; i < 40; i++) {
            done(service.updatePool(a, PoolUpdate.empty().withName("n" + i)));
        }
        await("repairs between the applies", () -> driver.repairsOf(a) > repairsBefore + 3);
        assertEquals(List.of(), driver.overlaps);
        assertEquals(List.of(), driver.plane.staleInputs);
        assertEquals(Status.ACTIVE, service.getPool(a).pool().status());
    }

    @Test
    @DisplayName("a load balancer being updated is not repaired until the update is applied, then with the new state")
    void notRepairedWithStaleState() {
        start(INTERVAL, Duration.ofSeconds(1));
        UUID a = deployed();
        deployed(); // settled, so probe rounds go on while a is busy
        driver.gate = new CountDownLatch(1);
        var update = service.updatePool(a, PoolUpdate.empty().withName("v2"));
        await("the update in the driver", () -> driver.gated.get() == 1);
        driver.dead.put(a, "died during the update");
        probeRounds(5);
        assertEquals(0, driver.repairsOf(a), "no repair while an apply runs or is pending");
        driver.gate.countDown();
        assertEquals("v2", done(update).pool().name());
        await("the repair", () -> driver.repairsOf(a) == 1);
        assertEquals("v2", driver.repairs.get(0).pool().name(), "repaired with the state of the moment, not the older one");
        assertEquals(service.loadBalancer(a), driver.repairs.get(0));
    }

    @Test
    @DisplayName("a load balancer being undeployed or deleted is never repaired")
    void notRepairedWhileDeleted() {
        start(INTERVAL, Duration.ofSeconds(1));
        UUID a = deployed();
        UUID vip = service.getPool(a).vipId().orElseThrow();
        deployed(); // settled, so probe rounds go on while a is busy
        driver.gate = new CountDownLatch(1);
        var undeploy = service.deleteVip(vip);
        await("the undeploy in the driver", () -> driver.gated.get() == 1);
        driver.dead.put(a, "died during the delete");
        probeRounds(5);
        driver.gate.countDown();
        done(undeploy);
        var delete = service.deletePool(a);
        done(delete);
        probeRounds(5);
        assertEquals(0, driver.repairsOf(a));
        assertThrows(NotFoundException.class, () -> service.getPool(a));
    }

    @Test
    @DisplayName("a probe that throws does not stop self-healing")
    void probeThrowing() {
        start(INTERVAL, Duration.ofSeconds(1));
        UUID a = deployed();
        driver.probeFailure = new IllegalStateException("driver bug in probe");
        probeRounds(5);
        driver.probeFailure = new DriverException("unavailable", "cannot read /proc", true);
        probeRounds(5);
        driver.probeFailure = null;
        driver.dead.put(a, "haproxy pid 5 exited");
        await("the repair after the probe recovered", () -> driver.repairsOf(a) == 1);
        assertEquals(1, ours().size(), "the self-healing thread lives on");
    }

    @Test
    @DisplayName("Duration.ZERO turns it off: no thread, no probe")
    void disabled() throws InterruptedException {
        service = Fixtures.builder(driver).selfHealing(Duration.ZERO).build();
        UUID a = deployed();
        driver.dead.put(a, "dead");
        assertEquals(Set.of(), ours(), "no self-healing thread when it is off");
        Thread.sleep(100);
        assertEquals(0, driver.probes.get());
        assertEquals(0, driver.repairs.size());
    }

    @Test
    @DisplayName("close() stops it: no probe after close")
    void closeStops() throws InterruptedException {
        start(INTERVAL, Duration.ofSeconds(1));
        deployed();
        probeRounds(3);
        Set<Thread> running = ours();
        assertEquals(1, running.size(), "one named daemon thread: " + running);
        assertTrue(running.iterator().next().isDaemon());
        service.close();
        int probes = driver.probes.get();
        assertEquals(Set.of(), ours(), "the self-healing thread ended with close()");
        Thread.sleep(100);
        assertEquals(probes, driver.probes.get(), "probed after close");
    }

    @Test
    @DisplayName("the builder refuses a negative interval and a non-positive maximum back-off, naming the value")
    void builderChecks() {
        var b = LoadBalancerService.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.selfHealing(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("selfHealing") && e.getMessage().contains("PT-1S"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.selfHealingMaxBackoff(Duration.ZERO));
        assertTrue(e.getMessage().contains("selfHealingMaxBackoff") && e.getMessage().contains("PT0S"), e.getMessage());
    }
}

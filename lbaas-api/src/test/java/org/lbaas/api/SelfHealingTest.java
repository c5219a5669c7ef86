package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Status;

/**
 * {@link SelfHealing} alone, on a manual clock: the test calls {@link SelfHealing#tick()} itself,
 * so back-off gaps are exact and nothing depends on timing.
 */
class SelfHealingTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final UUID A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    static final UUID B = UUID.fromString("00000000-0000-4000-8000-00000000000b");

    long now = 123 * SECOND;
    final Map<UUID, Status> candidates = new LinkedHashMap<>();
    final Map<UUID, String> dead = new LinkedHashMap<>();
    final List<Collection<UUID>> probes = new ArrayList<>();
    final List<Long> repairTimes = new ArrayList<>();
    final List<UUID> repaired = new ArrayList<>();
    RuntimeException probeFailure;
    Function<UUID, SelfHealing.Repair> outcome = id -> new SelfHealing.Repair(SelfHealing.Repair.Result.REPAIRED, "RESTARTED", 1);

    final LoadBalancerDriver driver = new LoadBalancerDriver() {
        @Override
        public Capabilities capabilities() {
            return Capabilities.everything(10, 10, 10);
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            throw new AssertionError("self-healing applies through its host, never directly");
        }

        @Override
        public void remove(UUID poolId) {
            throw new AssertionError("never called");
        }

        @Override
        public Optional<Observation> observe(UUID poolId) {
            return Optional.empty();
        }

        @Override
        public Map<UUID, String> probe(Collection<UUID> poolIds) {
            probes.add(List.copyOf(poolIds));
            if (probeFailure != null) {
                throw probeFailure;
            }
            Map<UUID, String> out = new LinkedHashMap<>();
            for (UUID id : poolIds) {
                if (dead.containsKey(id)) {
                    out.put(id, dead.get(id));
                }
            }
            return out;
        }

        @Override
        public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
            throw new AssertionError("never called");
        }

        @Override
        public void close() {
        }
    };

    final SelfHealing.Host host = new SelfHealing.Host() {
        @Override
        public Map<UUID, Status> settledDeployed() {
            return Map.copyOf(candidates);
        }

        @Override
        public CompletionStage<SelfHealing.Repair> repair(UUID poolId, String reason) {
            repairTimes.add(now);
            repaired.add(poolId);
            SelfHealing.Repair r = outcome.apply(poolId);
            if (r.result() == SelfHealing.Repair.Result.REPAIRED) {
                dead.remove(poolId);
            }
            return CompletableFuture.completedFuture(r);
        }
    };

    final SelfHealing healing = new SelfHealing(driver, host, Duration.ofSeconds(1), Duration.ofSeconds(8), () -> now);

    /** Ticks once a second for {@code seconds} seconds, calling {@code each} before every tick. */
    void run(int seconds, Runnable each) {
        for (int i = 0; i < seconds; i++) {
            each.run();
            healing.tick();
            now += SECOND;
        }
    }

    static List<Long> gapsInSeconds(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add((times.get(i) - times.get(i - 1)) / SECOND);
        }
        return gaps;
    }

    @Test
    @DisplayName("a load balancer reported dead is repaired at once, and only once while it stays served")
    void repairedOnce() {
        candidates.put(A, Status.ACTIVE);
        candidates.put(B, Status.ACTIVE);
        dead.put(A, "haproxy pid 4242 exited");
        run(30, () -> { });
        assertEquals(List.of(A), repaired);
        assertEquals(30, probes.size(), "one probe per interval");
        assertTrue(probes.stream().allMatch(p -> p.size() == 2), "every probe covers both load balancers: " + probes);
    }

    @Test
    @DisplayName("one that keeps dying is repaired with gaps of 1, 2, 4, 8 s, then every 8 s (the cap)")
    void backoffGrowsToTheCap() {
        candidates.put(A, Status.ACTIVE);
        run(60, () -> dead.put(A, "haproxy pid 1 exited"));
        assertEquals(List.of(1L, 2L, 4L, 8L, 8L, 8L, 8L, 8L, 8L), gapsInSeconds(repairTimes));
        assertEquals(10, repaired.size(), "repairs in 60 s of a load balancer that dies every second");
    }

    @Test
    @DisplayName("failed repairs back off the same way and are retried although the pool is now in ERROR")
    void failedRepairsBackOff() {
        candidates.put(A, Status.ACTIVE);
        dead.put(A, "haproxy pid 1 exited");
        outcome = id -> new SelfHealing.Repair(SelfHealing.Repair.Result.FAILED, "haproxy -c failed", 3);
        // after the first failed repair the service marks the pool ERROR
        run(20, () -> {
            if (!repaired.isEmpty()) {
                candidates.put(A, Status.ERROR);
            }
        });
        assertEquals(List.of(1L, 2L, 4L, 8L), gapsInSeconds(repairTimes));
        outcome = id -> new SelfHealing.Repair(SelfHealing.Repair.Result.REPAIRED, "RESTARTED", 3);
        int before = repaired.size();
        run(20, () -> {
            if (repaired.size() > before) {
                candidates.put(A, Status.ACTIVE);
            }
        });
        assertEquals(before + 1, repaired.size(), "one successful repair after the failures, then nothing");
    }

    @Test
    @DisplayName("a pool in ERROR that self-healing did not put there is neither probed nor repaired")
    void foreignErrorLeftAlone() {
        candidates.put(A, Status.ERROR);
        candidates.put(B, Status.ACTIVE);
        dead.put(A, "haproxy pid 1 exited");
        run(5, () -> { });
        assertEquals(List.of(), repaired);
        assertTrue(probes.stream().noneMatch(p -> p.contains(A)), "probed: " + probes);
    }

    @Test
    @DisplayName("after staying served for the maximum back-off, the next death is repaired at once again")
    void forgivenAfterStayingHealthy() {
        candidates.put(A, Status.ACTIVE);
        run(16, () -> dead.put(A, "died"));
        List<Long> gaps = gapsInSeconds(repairTimes);
        assertEquals(List.of(1L, 2L, 4L, 8L), gaps);
        run(10, () -> { });
        int before = repaired.size();
        dead.put(A, "died again");
        long died = now;
        healing.tick();
        assertEquals(before + 1, repaired.size());
        assertEquals(died, repairTimes.get(repairTimes.size() - 1), "repaired in the same round it was reported");
    }

    @Test
    @DisplayName("a probe that throws is retried next interval, and what it then reports is repaired")
    void probeThrows() {
        candidates.put(A, Status.ACTIVE);
        dead.put(A, "died");
        probeFailure = new DriverException("unavailable", "cannot list processes: permission denied", true);
        run(3, () -> { });
        probeFailure = new IllegalStateException("a driver bug");
        run(2, () -> { });
        assertEquals(5, probes.size());
        assertEquals(List.of(), repaired);
        probeFailure = null;
        run(1, () -> { });
        assertEquals(List.of(A), repaired);
    }

    @Test
    @DisplayName("a repair skipped because the load balancer changed does not count as a back-off step")
    void skippedDoesNotCount() {
        candidates.put(A, Status.ACTIVE);
        outcome = id -> SelfHealing.Repair.skipped("it changed");
        run(3, () -> dead.put(A, "died"));
        assertEquals(3, repaired.size(), "tried again every round");
        outcome = id -> new SelfHealing.Repair(SelfHealing.Repair.Result.REPAIRED, "RESTARTED", 1);
        run(4, () -> dead.put(A, "died"));
        // skipped at 0, 1, 2 s; repaired at 3 s (at once), 4 s (1 s later), 6 s (2 s later)
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L), gapsInSeconds(repairTimes),
                "the first real repair starts the back-off at one interval");
    }

    @Test
    @DisplayName("1000 load balancers cost one probe call per interval; only the reported ones are repaired")
    void thousandLoadBalancersOneProbe() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            UUID id = new UUID(7, i);
            ids.add(id);
            candidates.put(id, Status.ACTIVE);
        }
        dead.put(ids.get(17), "gone");
        dead.put(ids.get(999), "gone");
        run(3, () -> { });
        assertEquals(3, probes.size());
        assertEquals(Set.copyOf(ids), Set.copyOf(probes.get(0)));
        assertEquals(Set.of(ids.get(17), ids.get(999)), Set.copyOf(repaired));
        assertEquals(2, repaired.size());
    }

    @Test
    @DisplayName("the back-off doubles from the interval and stops at the cap without overflowing")
    void backoffArithmetic() {
        assertEquals(SECOND, healing.backoffNanos(1));
        assertEquals(2 * SECOND, healing.backoffNanos(2));
        assertEquals(4 * SECOND, healing.backoffNanos(3));
        assertEquals(8 * SECOND, healing.backoffNanos(4));
        assertEquals(8 * SECOND, healing.backoffNanos(5));
        assertEquals(8 * SECOND, healing.backoffNanos(Integer.MAX_VALUE));
    }
}

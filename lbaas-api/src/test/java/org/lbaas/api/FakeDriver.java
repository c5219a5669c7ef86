package org.lbaas.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.PoolStats;

/**
 * An in-memory driver for the service's tests: remembers the last load balancer it was told for
 * each pool, can be made to fail or block, and records any overlap of calls for one load balancer
 * (which the service must never cause).
 */
final class FakeDriver implements LoadBalancerDriver {

    final Capabilities capabilities;
    final Map<UUID, LoadBalancer> applied = new ConcurrentHashMap<>();
    final Map<UUID, Observation> observations = new ConcurrentHashMap<>();
    final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    final List<String> staleInputs = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger applies = new AtomicInteger();
    final AtomicInteger removes = new AtomicInteger();
    final List<Collection<LoadBalancer>> reconciles = Collections.synchronizedList(new ArrayList<>());
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** Returns an exception to throw for a desired load balancer, or null to succeed. */
    volatile Function<LoadBalancer, RuntimeException> failure = lb -> null;
    /** When set, apply waits for it (at most 10 s). */
    volatile CountDownLatch gate;
    /** Applies that are blocked on {@link #gate}. */
    final AtomicInteger waiting = new AtomicInteger();

    FakeDriver() {
        this(Capabilities.everything(1_000, 10, 1_000_000));
    }

    FakeDriver(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        UUID id = desired.id();
        enter(id);
        try {
            applies.incrementAndGet();
            LoadBalancer known = applied.get(id);
            if (previous.isPresent() && known != null && !previous.get().equals(known)) {
                staleInputs.add("apply of " + id + " was told a previous state that is not the last one applied");
            }
            pass();
            RuntimeException fail = failure.apply(desired);
            if (fail != null) {
                throw fail;
            }
            boolean was = known != null && known.isDeployable();
            applied.put(id, desired);
            if (desired.isDeployable()) {
                return ApplyResult.of(was ? ApplyResult.Action.RELOADED : ApplyResult.Action.DEPLOYED);
            }
            return ApplyResult.of(was ? ApplyResult.Action.UNDEPLOYED : ApplyResult.Action.UNCHANGED);
        } finally {
            exit(id);
        }
    }

    @Override
    public void remove(UUID poolId) {
        enter(poolId);
        try {
            removes.incrementAndGet();
            pass();
            RuntimeException fail = failure.apply(null);
            if (fail != null) {
                throw fail;
            }
            applied.remove(poolId);
        } finally {
            exit(poolId);
        }
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        enter(poolId);
        try {
            LoadBalancer lb = applied.get(poolId);
            if (lb == null || !lb.isDeployable()) {
                return Optional.empty();
            }
            return Optional.of(observations.getOrDefault(poolId, new Observation(PoolStats.ZERO, Map.of(), false)));
        } finally {
            exit(poolId);
        }
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        reconciles.add(List.copyOf(desired));
        Set<UUID> keep = new HashSet<>();
        Set<UUID> adopted = new HashSet<>();
        Set<UUID> repaired = new HashSet<>();
        for (LoadBalancer lb : desired) {
            keep.add(lb.id());
            if (lb.equals(applied.get(lb.id()))) {
                adopted.add(lb.id());
            } else {
                repaired.add(lb.id());
                applied.put(lb.id(), lb);
            }
        }
        Set<UUID> removed = new HashSet<>(applied.keySet());
        removed.removeAll(keep);
        applied.keySet().removeAll(removed);
        return new ReconcileReport(adopted, repaired, removed, Map.of());
    }

    @Override
    public void close() {
    }

    private void pass() {
        CountDownLatch g = gate;
        if (g != null) {
            waiting.incrementAndGet();
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
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

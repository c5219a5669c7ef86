package org.lbaas.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-healing: notices that a deployed load balancer is no longer served (its data plane died)
 * and repairs it without an operator.
 *
 * <p><b>Probe.</b> Every interval, one {@link LoadBalancerDriver#probe} call covers every load
 * balancer the {@link Host} calls settled and deployed (deployable, nothing pending, no driver work
 * queued or running). The probe runs on this class's own daemon thread; when it throws, the failure
 * is logged (once per distinct message) and the next interval probes again.
 *
 * <p><b>Repair.</b> For each load balancer reported, the {@link Host} runs
 * {@link LoadBalancerDriver#repair} on that load balancer's runner (never beside an apply or remove
 * of it, with the desired state as it is when the repair starts, within the driver deadline). A
 * failed repair marks the pool {@code ERROR}; a successful one leaves it, or brings it back,
 * {@code ACTIVE}. Only pools in {@code ERROR} that self-healing itself put there are repaired again;
 * others are left to the tenant's retry.
 *
 * <p><b>Back-off.</b> The first repair of a load balancer runs at once. After the n-th repair since
 * it was last healthy, the next one waits {@code interval * 2^(n-1)}, capped at the maximum back-off
 * (1 s, 2 s, 4 s ... 60 s by default). A load balancer that then stays served for the maximum
 * back-off is forgiven: its next death is repaired at once again. Each failed repair is logged once
 * (WARN, the reason and when the next attempt comes, no stack trace); a successful one at INFO with
 * what was repaired and why.
 */
final class SelfHealing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    /** What self-healing needs from the service. */
    interface Host {

        /**
         * Returns the load balancers that may be probed: deployed, nothing pending, no driver work
         * queued or running for them, and no object in {@code ERROR} but (perhaps) the pool.
         *
         * @return pool status by pool id
         */
        Map<UUID, Status> settledDeployed();

        /**
         * Repairs a load balancer on its runner with the service's driver deadline; never throws.
         *
         * @param poolId the load balancer
         * @param reason why it is repaired, for the log
         * @return completes with what came of it
         */
        CompletionStage<Repair> repair(UUID poolId, String reason);
    }

    /**
     * What came of one repair.
     *
     * @param result repaired, failed, or not attempted because the load balancer changed meanwhile
     * @param detail what the driver did, or why it failed or was skipped (for the operator)
     * @param millis how long the driver took
     */
    record Repair(Result result, String detail, long millis) {

        /** The kinds of outcome. */
        enum Result { REPAIRED, FAILED, SKIPPED }

        Repair {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(detail, "detail");
        }

        static Repair skipped(String why) {
            return new Repair(Result.SKIPPED, why, 0);
        }
    }

    /** What self-healing remembers of one load balancer it repaired. */
    private static final class Track {
        /** Repairs since it was last forgiven. */
        int repairs;
        /** No repair before this time (nanos). */
        long notBefore;
        /** When it was last repaired successfully (nanos). */
        long repairedAt;
        boolean inFlight;
        /** The last repair failed, so the service marked the pool ERROR. */
        boolean failed;
        String reason = "";
    }

    private final LoadBalancerDriver driver;
    private final Host host;
    private final long intervalNanos;
    private final long maxBackoffNanos;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService thread;

    /** Guards every field below. */
    private final Object lock = new Object();
    private final Map<UUID, Track> tracks = new HashMap<>();
    private boolean closed;
    private String lastProbeFailure = "";
    private int probeFailures;

    SelfHealing(LoadBalancerDriver driver, Host host, Duration interval, Duration maxBackoff, LongSupplier nanoTime) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.host = Objects.requireNonNull(host, "host");
        this.intervalNanos = interval.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (intervalNanos <= 0 || maxBackoffNanos <= 0) {
            throw new IllegalArgumentException("self-healing interval and maximum back-off must be positive: " + interval
                    + ", " + maxBackoff);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lbaas-self-healing");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts probing every interval on the daemon thread {@code lbaas-self-healing}. */
    void start() {
        thread.scheduleWithFixedDelay(this::tickSafely, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        LOG.info("self-healing: probing deployed load balancers every {} ms (back-off up to {} ms)",
                TimeUnit.NANOSECONDS.toMillis(intervalNanos), TimeUnit.NANOSECONDS.toMillis(maxBackoffNanos));
    }

    /** Stops probing; a probe in progress is interrupted, and none starts after this returns. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("self-healing: a driver probe did not return within 2 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The back-off after the n-th repair (n at least 1): interval * 2^(n-1), capped. */
    long backoffNanos(int repairs) {
        int shift = Math.min(Math.max(repairs - 1, 0), 40);
        long grown = intervalNanos > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : intervalNanos << shift;
        return Math.min(grown, maxBackoffNanos);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException | Error e) {
            // Never let the scheduled task die: a thrown exception would cancel every later probe.
            LOG.error("self-healing: unexpected failure, probing again in {} ms", TimeUnit.NANOSECONDS.toMillis(intervalNanos), e);
        }
    }

    /** One round: probe everything settled and deployed, repair what is reported and due. */
    void tick() {
        Map<UUID, Status> candidates = host.settledDeployed();
        List<UUID> ids = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            tracks.entrySet().removeIf(e -> !e.getValue().inFlight && !candidates.containsKey(e.getKey()));
            for (Map.Entry<UUID, Status> c : candidates.entrySet()) {
                Track t = tracks.get(c.getKey());
                boolean ours = t != null && t.failed;
                if ((c.getValue() != Status.ERROR || ours) && (t == null || !t.inFlight)) {
                    ids.add(c.getKey());
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Map<UUID, String> dead;
        try {
            dead = Objects.requireNonNull(driver.probe(List.copyOf(ids)), "probe result");
        } catch (RuntimeException e) {
            probeFailed(e);
            return;
        }
        List<UUID> due = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (probeFailures > 0) {
                LOG.info("self-healing: the driver's probe works again after {} failed rounds", probeFailures);
                probeFailures = 0;
                lastProbeFailure = "";
            }
            long now = nanoTime.getAsLong();
            for (UUID id : ids) {
                Track t = tracks.get(id);
                String reason = dead.get(id);
                if (reason == null) {
                    if (t == null) {
                        continue;
                    }
                    if (!t.failed || candidates.get(id) != Status.ERROR) {
                        if (t.failed) {
                            // no longer in ERROR: a repair that returned after its deadline set it right
                            t.failed = false;
                            t.repairedAt = now;
                        }
                        if (now - t.repairedAt >= maxBackoffNanos) {
                            LOG.debug("self-healing: load balancer {} served for {} ms since its last repair: forgiven", id,
                                    TimeUnit.NANOSECONDS.toMillis(now - t.repairedAt));
                            tracks.remove(id);
                        }
                        continue;
                    }
                    // served again, but its pool is in ERROR from a failed repair: only a repair sets it right
                    reason = t.reason;
                }
                if (t == null) {
                    t = new Track();
                    t.notBefore = now;
                    tracks.put(id, t);
                    LOG.warn("self-healing: load balancer {} is not served ({}): repairing it", id, reason);
                }
                t.reason = reason;
                if (now - t.notBefore < 0) {
                    LOG.debug("self-healing: load balancer {} is still not served ({}); next repair in {} ms", id, reason,
                            TimeUnit.NANOSECONDS.toMillis(t.notBefore - now));
                    continue;
                }
                t.inFlight = true;
                t.repairs++;
                due.add(id);
                reasons.add(reason);
            }
        }
        for (int i = 0; i < due.size(); i++) {
            UUID id = due.get(i);
            String reason = reasons.get(i);
            CompletionStage<Repair> stage;
            try {
                stage = host.repair(id, reason);
            } catch (RuntimeException e) {
                repaired(id, reason, new Repair(Repair.Result.FAILED, "could not be scheduled: " + e, 0));
                continue;
            }
            stage.whenComplete((r, e) -> repaired(id, reason,
                    r != null ? r : new Repair(Repair.Result.FAILED, "the repair failed unexpectedly: " + e, 0)));
        }
    }

    /** Books the outcome of a repair and logs it once. */
    private void repaired(UUID id, String reason, Repair r) {
        synchronized (lock) {
            Track t = tracks.get(id);
            if (t == null) {
                return;
            }
            t.inFlight = false;
            long now = nanoTime.getAsLong();
            switch (r.result()) {
                case REPAIRED -> {
                    t.failed = false;
                    t.repairedAt = now;
                    t.notBefore = now + backoffNanos(t.repairs);
                    LOG.info("self-healing: repaired load balancer {} in {} ms (it was not served: {}): {}{}", id, r.millis(),
                            reason, r.detail(), t.repairs > 1 ? "; repair " + t.repairs + " since it was last healthy" : "");
                }
                case FAILED -> {
                    t.failed = true;
                    long wait = backoffNanos(t.repairs);
                    t.notBefore = now + wait;
                    LOG.warn("self-healing: load balancer {} could not be repaired (attempt {}; it was not served: {}): {};"
                            + " next attempt in {} ms", id, t.repairs, reason, r.detail(), TimeUnit.NANOSECONDS.toMillis(wait));
                }
                case SKIPPED -> {
                    t.repairs--;
                    if (t.repairs == 0 && !t.failed) {
                        tracks.remove(id);
                    }
                    LOG.debug("self-healing: repair of load balancer {} not attempted: {}", id, r.detail());
                }
                default -> throw new AssertionError(r.result());
            }
        }
    }

    private void probeFailed(RuntimeException e) {
        String message = e instanceof DriverException de ? de.operatorMessage() : e.toString();
        synchronized (lock) {
            if (closed) {
                return;
            }
            probeFailures++;
            if (message.equals(lastProbeFailure)) {
                LOG.debug("self-healing: the driver's probe failed again ({} rounds): {}", probeFailures, message);
                return;
            }
            lastProbeFailure = message;
        }
        LOG.warn("self-healing: the driver's probe failed, trying again in {} ms: {}",
                TimeUnit.NANOSECONDS.toMillis(intervalNanos), message);
    }
}

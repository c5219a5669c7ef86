package org.lbaas.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Status;
import org.lbaas.model.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver runner: calls the driver for each load balancer, one call at a time per load balancer,
 * each within the deadline, and records what the calls came to through the {@link ChangeEngine}.
 *
 * <p>Each load balancer has a small state machine ({@link LbRuntime}), not a thread: at most one
 * runner task per load balancer runs at a time on the shared executor, so driver calls for one load
 * balancer are serial and calls for different ones parallel. An {@link Attempt} covers every change
 * up to a version; it has a deadline timer started when it is created. When the timer fires first,
 * the attempt's objects go to ERROR, and if the driver call is still running, the load balancer is
 * "hung": later changes get a new attempt with its own deadline, which runs when the call returns or
 * fails with ERROR when it does not. Observations (statistics, member health) and repairs take the
 * same one-call permit ({@link LbRuntime#calls}), so they never overlap an apply or remove.
 *
 * <p>The runtimes are guarded by the state's lock ({@link ServiceState#lock}), except their locks.
 */
final class DriverRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final ServiceState state;
    private final ChangeEngine engine;
    private final LoadBalancerDriver driver;
    private final Duration deadline;
    private final ServiceMetrics metrics;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    private final ScheduledExecutorService timer;
    /** Guarded by the state's lock. */
    private final Map<UUID, LbRuntime> runtimes = new HashMap<>();

    DriverRunner(ServiceState state, ChangeEngine engine, LoadBalancerDriver driver, Duration deadline,
                 ExecutorService executor, boolean ownExecutor, ScheduledExecutorService timer, ServiceMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
        this.engine = engine;
        this.driver = driver;
        this.deadline = deadline;
        this.executor = executor;
        this.ownExecutor = ownExecutor;
        this.timer = timer;
    }

    /** The driver-facing state of one load balancer; guarded by the state's lock except the locks. */
    static final class LbRuntime {
        final UUID id;
        /** Held while a change to this load balancer is made and written. */
        final ReentrantLock writeLock = new ReentrantLock();
        /** One driver call for this load balancer at a time (apply, remove, observe, repair). */
        final Semaphore calls = new Semaphore(1);
        long requested;
        Attempt open;
        boolean busy;
        boolean hung;
        Optional<LoadBalancer> lastApplied = Optional.empty();

        LbRuntime(UUID id) {
            this.id = id;
        }
    }

    /** One driver call covering every change up to {@link #version}, with its deadline. */
    private static final class Attempt {
        long version;
        boolean started;
        boolean inCall;
        boolean finished;
        boolean timedOut;
        Thread thread;
        ScheduledFuture<?> timer;

        Attempt(long version) {
            this.version = version;
        }
    }

    private enum Op { APPLY, REMOVE, INVALID }

    /** What a driver call came to. */
    private record Outcome(boolean ok, String tenantMessage) {
    }

    // ------------------------------------------------------------------------------------------
    // Runtimes (under the state's lock)

    /** Returns a load balancer's write lock, creating its runtime when it has none. */
    ReentrantLock writeLock(UUID id) {
        return runtimes.computeIfAbsent(id, LbRuntime::new).writeLock;
    }

    /** Returns a load balancer's runtime, or empty when it has none. */
    Optional<LbRuntime> runtime(UUID id) {
        return Optional.ofNullable(runtimes.get(id));
    }

    /** Drops the runtime of a load balancer that does not exist, when nothing uses it. */
    void forgetIfUnused(UUID id) {
        LbRuntime rt = runtimes.get(id);
        if (rt != null && state.loadBalancer(id).isEmpty() && !rt.busy && !rt.writeLock.isLocked()
                && !rt.writeLock.hasQueuedThreads()) {
            runtimes.remove(id);
        }
    }

    /** Starts tracking a loaded load balancer. */
    void register(UUID id) {
        runtimes.put(id, new LbRuntime(id));
    }

    /** Records what the driver runs for a load balancer (reconciled at start-up, or repaired). */
    void applied(UUID id, LoadBalancer desired) {
        runtimes.get(id).lastApplied = Optional.of(desired);
    }

    /**
     * Whether a load balancer's runner is idle: no driver work queued, running or hung. Under the
     * state's lock.
     */
    boolean idle(UUID id) {
        LbRuntime rt = runtimes.get(id);
        return rt != null && !rt.busy && rt.open == null && !rt.hung;
    }

    /** Cancels every deadline timer, for a closing service; under the state's lock. */
    void cancelDeadlines() {
        for (LbRuntime rt : runtimes.values()) {
            if (rt.open != null && rt.open.timer != null) {
                rt.open.timer.cancel(false);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Applying changes

    /**
     * Asks for the driver to apply a load balancer up to {@code v}; under the state's lock. When no
     * runner task is active for it, adds it to {@code start}: the caller starts those with
     * {@link #start(List)} once it holds no lock (so an executor that runs tasks in the calling
     * thread cannot run a driver call under a lock).
     */
    void kick(UUID id, long v, List<LbRuntime> start) {
        LbRuntime rt = runtimes.get(id);
        if (rt == null || state.closed()) {
            return;
        }
        rt.requested = Math.max(rt.requested, v);
        if (rt.open == null) {
            rt.open = newAttempt(rt);
        } else if (!rt.open.started) {
            rt.open.version = rt.requested;
        }
        if (!rt.busy) {
            rt.busy = true;
            start.add(rt);
        }
    }

    /**
     * Asks for the driver to apply a load balancer again only when a call for it is queued or
     * running now (it may carry a state older than the one just taken in from a shared store);
     * under the state's lock.
     */
    void kickIfBusy(UUID id, long v, List<LbRuntime> start) {
        LbRuntime rt = runtimes.get(id);
        if (rt != null && (rt.busy || rt.open != null)) {
            kick(id, v, start);
        }
    }

    /** Starts the runner tasks {@link #kick} collected; without a lock held. */
    void start(List<LbRuntime> runners) {
        for (LbRuntime rt : runners) {
            try {
                executor.execute(() -> run(rt));
            } catch (RejectedExecutionException e) {
                synchronized (state.lock) {
                    rt.busy = false;
                }
                LOG.warn("cannot schedule driver work for load balancer {}: {}", rt.id, e.toString());
            }
        }
    }

    private Attempt newAttempt(LbRuntime rt) {
        Attempt att = new Attempt(rt.requested);
        try {
            att.timer = timer.schedule(() -> timedOut(rt, att), deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("service closing: no deadline for load balancer {}", rt.id);
        }
        return att;
    }

    /** The runner task of one load balancer: performs attempts until none is open. */
    private void run(LbRuntime rt) {
        while (true) {
            Attempt att;
            synchronized (state.lock) {
                att = rt.open;
                if (att == null || att.started || state.closed()) {
                    rt.busy = false;
                    return;
                }
                att.started = true;
            }
            rt.calls.acquireUninterruptibly();
            Op op;
            Optional<LoadBalancer> previous;
            LoadBalancer desired = null;
            String invalid = "";
            Outcome outcome;
            try {
                synchronized (state.lock) {
                    Optional<TrackedLoadBalancer> lb = state.loadBalancer(rt.id);
                    if (att.timedOut || lb.isEmpty()) {
                        rt.hung = false;
                        if (!att.timedOut) {
                            att.finished = true;
                            cancel(att);
                            rt.open = null;
                        }
                        continue;
                    }
                    att.version = rt.requested;
                    previous = rt.lastApplied;
                    if (lb.get().pool().status() == Status.PENDING_DELETE) {
                        op = Op.REMOVE;
                    } else {
                        try {
                            desired = state.desired(lb.get());
                            op = Op.APPLY;
                        } catch (ValidationException e) {
                            op = Op.INVALID;
                            invalid = e.getMessage();
                        }
                    }
                    att.thread = Thread.currentThread();
                    att.inCall = op != Op.INVALID;
                }
                outcome = call(rt.id, op, previous, desired, invalid);
                synchronized (state.lock) {
                    att.inCall = false;
                    att.thread = null;
                }
                Thread.interrupted();
            } finally {
                rt.calls.release();
            }
            finishAttempt(rt, att, op, desired, outcome);
        }
    }

    private Outcome call(UUID id, Op op, Optional<LoadBalancer> previous, LoadBalancer desired, String invalid) {
        long start = System.nanoTime();
        try {
            switch (op) {
                case APPLY -> {
                    ApplyResult r = driver.apply(previous, desired);
                    LOG.debug("driver applied load balancer {} in {} ms: {} {}", id, millis(start),
                            r == null ? "(no result)" : r.action(), r == null ? "" : r.detail());
                }
                case REMOVE -> {
                    driver.remove(id);
                    LOG.debug("driver removed load balancer {} in {} ms", id, millis(start));
                }
                case INVALID -> {
                    LOG.error("load balancer {} is invalid and cannot be applied: {}", id, invalid);
                    return new Outcome(false, "the load balancer is invalid: " + invalid);
                }
                default -> throw new AssertionError(op);
            }
            return new Outcome(true, "");
        } catch (DriverException e) {
            LOG.warn("driver failed on load balancer {} after {} ms (retryable: {}): {}", id, millis(start),
                    e.retryable(), e.operatorMessage(), e);
            return new Outcome(false, e.tenantMessage());
        } catch (Exception | Error e) {
            // Exception, not only RuntimeException: a driver may throw a checked exception sneakily.
            LOG.error("driver failed unexpectedly on load balancer {} after {} ms", id, millis(start), e);
            return new Outcome(false, "the driver failed unexpectedly");
        }
    }

    private void finishAttempt(LbRuntime rt, Attempt att, Op op, LoadBalancer desired, Outcome outcome) {
        engine.internal(rt.writeLock, () -> {
            if (outcome.ok() && op == Op.APPLY) {
                rt.lastApplied = Optional.of(desired);
            }
            if (att.timedOut) {
                rt.hung = false;
                LOG.warn("driver returned for load balancer {} after its deadline had passed ({}); its objects stay in "
                        + "ERROR until retried", rt.id, outcome.ok() ? "succeeded" : "failed");
                return null;
            }
            att.finished = true;
            cancel(att);
            rt.open = null;
            ChangeEngine.Tx tx = engine.begin();
            engine.resolve(tx, rt.id, att.version, outcome.ok(), outcome.tenantMessage());
            boolean exists = state.loadBalancer(rt.id).isPresent();
            if (exists && rt.requested > att.version) {
                rt.open = newAttempt(rt);
            }
            if (!exists) {
                runtimes.remove(rt.id, rt);
            }
            return tx;
        });
    }

    /** The deadline of an attempt passed before the driver returned. */
    private void timedOut(LbRuntime rt, Attempt att) {
        engine.internal(rt.writeLock, () -> {
            if (att.finished || att.timedOut || state.closed()) {
                return null;
            }
            att.timedOut = true;
            if (rt.open == att) {
                rt.open = null;
            }
            String why;
            ServiceMetrics.DeadlineReason reason;
            if (att.inCall) {
                why = "driver did not finish within " + text(deadline);
                reason = ServiceMetrics.DeadlineReason.IN_CALL;
            } else if (att.started) {
                why = "driver did not finish an earlier call for this load balancer within " + text(deadline);
                reason = ServiceMetrics.DeadlineReason.EARLIER_CALL;
            } else if (rt.hung) {
                why = "driver is still busy with an earlier call for this load balancer that exceeded the deadline of "
                        + text(deadline);
                reason = ServiceMetrics.DeadlineReason.HUNG;
            } else {
                why = "no driver thread became free within " + text(deadline);
                reason = ServiceMetrics.DeadlineReason.NO_THREAD;
            }
            metrics.deadlineExceeded(reason);
            if (att.started) {
                rt.hung = true;
            }
            if (att.inCall && att.thread != null) {
                att.thread.interrupt();
            }
            LOG.warn("load balancer {}: {}", rt.id, why);
            ChangeEngine.Tx tx = engine.begin();
            engine.resolve(tx, rt.id, att.version, false, why);
            if (state.loadBalancer(rt.id).isPresent() && rt.requested > att.version) {
                rt.open = newAttempt(rt);
            }
            return tx;
        });
    }

    private static void cancel(Attempt att) {
        if (att.timer != null) {
            att.timer.cancel(false);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Observing

    /**
     * Asks the driver for a load balancer's statistics and member health, holding its one-call
     * permit, within the deadline (waiting for the permit included).
     */
    Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        LbRuntime rt;
        synchronized (state.lock) {
            state.ensureOpen();
            state.lbOrThrow(poolId);
            rt = runtimes.computeIfAbsent(poolId, LbRuntime::new);
        }
        long until = System.nanoTime() + deadline.toNanos();
        try {
            if (!rt.calls.tryAcquire(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new DriverException("statistics are not available right now, try again later",
                        "the driver was busy with load balancer " + poolId + " for more than " + text(deadline), true);
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        AtomicInteger claim = new AtomicInteger();
        CompletableFuture<Optional<Observation>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (!claim.compareAndSet(0, 1)) {
                    return;
                }
                try {
                    result.complete(Objects.requireNonNull(driver.observe(poolId), "observation"));
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                } finally {
                    Thread.interrupted();
                    rt.calls.release();
                }
            });
        } catch (RejectedExecutionException e) {
            rt.calls.release();
            throw new IllegalStateException("the service is closed", e);
        }
        try {
            return result.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (claim.compareAndSet(0, 2)) {
                rt.calls.release();
            }
            throw new DriverException("statistics are not available right now, try again later",
                    "the driver did not return statistics of load balancer " + poolId + " within " + text(deadline), true, e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DriverException de) {
                throw de;
            }
            throw new DriverException("statistics are not available", "the driver failed to observe load balancer "
                    + poolId + ": " + cause, false, cause);
        }
    }

    private static DriverException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new DriverException("statistics are not available right now, try again later",
                "interrupted while waiting for the driver", true, e);
    }

    // ------------------------------------------------------------------------------------------
    // Shared with repairs and the service

    LoadBalancerDriver driver() {
        return driver;
    }

    Duration deadline() {
        return deadline;
    }

    /** Runs a task on a driver thread; throws {@link RejectedExecutionException} when closing. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** Schedules a task after the deadline; throws {@link RejectedExecutionException} when closing. */
    ScheduledFuture<?> afterDeadline(Runnable task) {
        return timer.schedule(task, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops the deadline timer. */
    void stopTimer() {
        timer.shutdownNow();
    }

    /** Stops the service's own driver threads (not a caller's executor), giving calls 2 s to finish. */
    void stopExecutor() {
        if (!ownExecutor) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static String text(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    static long millis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}

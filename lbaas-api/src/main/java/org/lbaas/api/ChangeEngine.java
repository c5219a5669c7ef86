package org.lbaas.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Text;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change engine: makes a change to the {@link ServiceState} as one transaction, writes the
 * documents it touched to the {@link Repository} (restoring memory when that fails), publishes its
 * status events and hands the changed load balancers to the {@link DriverRunner}.
 *
 * <p>A tenant's change ({@link #change}) first determines which documents it touches (load
 * balancers by pool id, health monitors by id), takes their write locks in a fixed order (monitors,
 * then pools, each by id; so several pools are never locked in conflicting orders), then re-checks,
 * validates and changes memory under the state's lock, writes the touched documents (new owner
 * before old owner when an object moves) and only then starts the driver work. A failed write
 * restores memory. Holding the write locks across the write keeps memory and disk in step per
 * document. The service's own changes (a driver's outcome, a deadline, a repair) go through
 * {@link #internal}: never refused, written quietly.
 *
 * <p>A change answers a {@link Pending} whose stage completes once its objects are settled (no
 * longer pending); waiters are kept per object and settled by the change that settles the object.
 */
final class ChangeEngine {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final ServiceState state;
    private final Repository repository;
    private final Clock clock;
    private final StatusListener listener;
    private final ServiceMetrics metrics;
    private final ExecutorService notifier;
    private DriverRunner runner;

    /** Guarded by the state's lock. */
    private final Map<UUID, ReentrantLock> monitorLocks = new HashMap<>();
    /** Guarded by the state's lock. */
    private final Map<ObjectKey, List<Waiter<?>>> waiters = new HashMap<>();

    ChangeEngine(ServiceState state, Repository repository, Clock clock, StatusListener listener, ExecutorService notifier) {
        this(state, repository, clock, listener, notifier, ServiceMetrics.NONE);
    }

    ChangeEngine(ServiceState state, Repository repository, Clock clock, StatusListener listener, ExecutorService notifier,
                 ServiceMetrics metrics) {
        this.metrics = metrics;
        this.state = state;
        this.repository = repository;
        this.clock = clock;
        this.listener = listener;
        this.notifier = notifier;
    }

    /** Connects the runner the engine hands changed load balancers to; once, before the first change. */
    void attach(DriverRunner value) {
        this.runner = value;
    }

    /** What a change touches: health monitor documents and load balancer documents. */
    record Plan(List<UUID> monitorIds, List<UUID> lbIds) {
        static Plan of(List<UUID> monitorIds, List<UUID> lbIds) {
            return new Plan(List.copyOf(monitorIds), List.copyOf(lbIds));
        }
    }

    /** One change in progress: what to undo, write, announce, apply and complete. */
    static final class Tx {
        final long version;
        final Map<UUID, Optional<TrackedLoadBalancer>> undoLbs = new LinkedHashMap<>();
        final Map<UUID, Optional<HealthMonitor>> undoMonitors = new LinkedHashMap<>();
        final Set<UUID> lbDocs = new LinkedHashSet<>();
        final Set<UUID> monitorDocs = new LinkedHashSet<>();
        final Map<ObjectKey, Optional<ServiceState.ObjectStatus>> before = new LinkedHashMap<>();
        final List<StatusChange> events = new ArrayList<>();
        final Set<UUID> applies = new LinkedHashSet<>();
        final List<Waiter<?>> registered = new ArrayList<>();
        final List<Runnable> completions = new ArrayList<>();

        Tx(long version) {
            this.version = version;
        }
    }

    /** Completes a future once its objects no longer wait for the driver. */
    private static final class Waiter<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();
        final List<ObjectKey> keys;
        final Supplier<T> value;
        boolean done;

        Waiter(List<ObjectKey> keys, Supplier<T> value) {
            this.keys = List.copyOf(keys);
            this.value = value;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Tenant changes

    /** Runs a change of one existing load balancer; see {@link #change}. */
    <T> T changePool(UUID poolId, Function<Tx, T> body) {
        return change(() -> Plan.of(List.of(), List.of(state.existingPool(poolId))), body);
    }

    /**
     * Runs a change: plans it, locks what it touches in a fixed order, checks and applies it in
     * memory, writes it, then starts the driver work and completes whatever it settled. The planner
     * and the body run under the state's lock; the planner runs again once the write locks are held,
     * and the change is planned anew when its plan changed meanwhile.
     */
    <T> T change(Supplier<Plan> planner, Function<Tx, T> body) {
        while (true) {
            Plan plan;
            List<ReentrantLock> locks = new ArrayList<>();
            synchronized (state.lock) {
                state.ensureOpen();
                plan = planner.get();
                plan.monitorIds().stream().sorted().distinct()
                        .forEach(id -> locks.add(monitorLocks.computeIfAbsent(id, k -> new ReentrantLock())));
                plan.lbIds().stream().sorted().distinct().forEach(id -> locks.add(runner.writeLock(id)));
            }
            int held = 0;
            Tx tx = null;
            List<DriverRunner.LbRuntime> start = new ArrayList<>();
            T result = null;
            try {
                for (ReentrantLock l : locks) {
                    l.lock();
                    held++;
                }
                synchronized (state.lock) {
                    state.ensureOpen();
                    if (planner.get().equals(plan)) {
                        tx = begin();
                        try {
                            result = body.apply(tx);
                        } catch (RuntimeException e) {
                            rollback(tx);
                            throw e;
                        }
                        finish(tx);
                    }
                }
                if (tx != null) {
                    try {
                        persist(tx);
                    } catch (StorageException e) {
                        synchronized (state.lock) {
                            rollback(tx);
                        }
                        restore(tx);
                        throw e;
                    }
                    publish(tx);
                    synchronized (state.lock) {
                        for (UUID id : tx.applies) {
                            runner.kick(id, tx.version, start);
                        }
                    }
                }
            } finally {
                for (int i = held - 1; i >= 0; i--) {
                    locks.get(i).unlock();
                }
                synchronized (state.lock) {
                    forgetUnused(plan);
                }
            }
            if (tx != null) {
                runner.start(start);
                complete(tx);
                return result;
            }
        }
    }

    /** Drops lock holders created for objects that do not exist (a create that was refused). */
    private void forgetUnused(Plan plan) {
        plan.lbIds().forEach(runner::forgetIfUnused);
        for (UUID id : plan.monitorIds()) {
            ReentrantLock l = monitorLocks.get(id);
            if (l != null && state.monitor(id).isEmpty() && !l.isLocked() && !l.hasQueuedThreads()) {
                monitorLocks.remove(id);
            }
        }
    }

    /**
     * Answers a change: the object as it is now, and a stage completed with {@code later} once
     * every key is settled (at once when they already are).
     */
    <T> Pending<T> pending(Tx tx, T now, List<ObjectKey> keys, Supplier<T> later) {
        Waiter<T> w = new Waiter<>(keys, later);
        tx.registered.add(w);
        for (ObjectKey k : w.keys) {
            waiters.computeIfAbsent(k, x -> new ArrayList<>()).add(w);
        }
        settle(tx, w);
        return new Pending<>(now, w.future.minimalCompletionStage());
    }

    /** Answers a change that needs no driver: the object now, and a stage completed with {@code later}. */
    static <T> Pending<T> answered(T now, T later) {
        return new Pending<>(now, CompletableFuture.completedStage(later));
    }

    // ------------------------------------------------------------------------------------------
    // Within a change (under the state's lock)

    /** Starts a change; under the state's lock. */
    Tx begin() {
        return new Tx(state.nextVersion());
    }

    /** Stores a changed load balancer in the transaction and schedules a driver call for it. */
    void stage(Tx tx, UUID id, TrackedLoadBalancer next) {
        putLb(tx, id, Optional.of(next));
        tx.applies.add(id);
    }

    /** Replaces (or removes) a load balancer within a change, without a driver call. */
    void putLb(Tx tx, UUID id, Optional<TrackedLoadBalancer> next) {
        Optional<TrackedLoadBalancer> prev = state.loadBalancer(id);
        tx.undoLbs.putIfAbsent(id, prev);
        for (ObjectKey k : ServiceState.keysOf(prev)) {
            tx.before.computeIfAbsent(k, state::find);
        }
        for (ObjectKey k : ServiceState.keysOf(next)) {
            tx.before.computeIfAbsent(k, state::find);
        }
        state.replace(id, next);
        tx.lbDocs.add(id);
    }

    void putMonitor(Tx tx, UUID id, Optional<HealthMonitor> next) {
        tx.undoMonitors.putIfAbsent(id, state.monitor(id));
        state.replaceMonitor(id, next);
        tx.monitorDocs.add(id);
    }

    /** Ends the in-memory part of a change: computes its status events and settles waiters. */
    void finish(Tx tx) {
        for (Map.Entry<ObjectKey, Optional<ServiceState.ObjectStatus>> e : tx.before.entrySet()) {
            ObjectKey k = e.getKey();
            Optional<ServiceState.ObjectStatus> was = e.getValue();
            Optional<ServiceState.ObjectStatus> now = state.find(k);
            Optional<Status> s0 = was.map(ServiceState.ObjectStatus::status);
            Optional<Status> s1 = now.map(ServiceState.ObjectStatus::status);
            boolean describedAnew = now.isPresent() && was.isPresent()
                    && !now.get().description().equals(was.get().description());
            if (!s0.equals(s1) || describedAnew) {
                UUID lbId = now.or(() -> was).map(ServiceState.ObjectStatus::lbId).orElseThrow();
                tx.events.add(new StatusChange(k.kind(), k.display(), lbId, s0, s1,
                        now.map(ServiceState.ObjectStatus::description).orElse(""), clock.instant()));
            }
        }
        for (ObjectKey k : tx.before.keySet()) {
            List<Waiter<?>> list = waiters.get(k);
            if (list != null) {
                for (Waiter<?> w : List.copyOf(list)) {
                    settle(tx, w);
                }
            }
        }
    }

    /** Restores memory after a change was refused or could not be written. */
    private void rollback(Tx tx) {
        List<Map.Entry<UUID, Optional<TrackedLoadBalancer>>> undo = new ArrayList<>(tx.undoLbs.entrySet());
        for (int i = undo.size() - 1; i >= 0; i--) {
            state.replace(undo.get(i).getKey(), undo.get(i).getValue());
        }
        tx.undoMonitors.forEach(state::replaceMonitor);
        for (Waiter<?> w : tx.registered) {
            w.done = true;
            forget(w);
        }
        tx.completions.clear();
    }

    /** If a waiter's objects are settled, computes its value now and completes it after the change. */
    private <T> void settle(Tx tx, Waiter<T> w) {
        if (w.done || !w.keys.stream().allMatch(state::settled)) {
            return;
        }
        w.done = true;
        forget(w);
        try {
            T v = w.value.get();
            tx.completions.add(() -> w.future.complete(v));
        } catch (RuntimeException e) {
            tx.completions.add(() -> w.future.completeExceptionally(e));
        }
    }

    private void forget(Waiter<?> w) {
        for (ObjectKey k : w.keys) {
            List<Waiter<?>> list = waiters.get(k);
            if (list != null) {
                list.remove(w);
                if (list.isEmpty()) {
                    waiters.remove(k);
                }
            }
        }
    }

    /**
     * Settles a load balancer after a driver call that covered every change up to {@code upTo}:
     * on success objects become ACTIVE or DISABLED (deleted objects go away, and ERROR objects that
     * were part of the applied state recover); on failure the covered objects go to ERROR.
     */
    void resolve(Tx tx, UUID id, long upTo, boolean ok, String message) {
        Optional<TrackedLoadBalancer> found = state.loadBalancer(id);
        if (found.isEmpty()) {
            return;
        }
        TrackedLoadBalancer lb = found.get();
        String why = ok ? "" : Text.statusDescription(message);
        if (ok && lb.pool().status() == Status.PENDING_DELETE && lb.pendingUpTo(id, upTo)) {
            putLb(tx, id, Optional.empty());
            return;
        }
        TrackedLoadBalancer next = lb;
        Pool pool = lb.pool();
        if (lb.pendingUpTo(id, upTo) || (ok && pool.status() == Status.ERROR)) {
            next = next.withPool(pool.withStatus(ok ? done(pool.adminStateUp()) : Status.ERROR, why)).settled(id);
        }
        if (lb.vip().isPresent()) {
            Vip vip = lb.vip().get();
            if (lb.pendingUpTo(vip.id(), upTo) || (ok && vip.status() == Status.ERROR)) {
                if (ok && vip.status() == Status.PENDING_DELETE) {
                    next = next.withVip(Optional.empty(), Optional.empty()).settled(vip.id());
                } else {
                    next = next.withVip(Optional.of(vip.withStatus(ok ? done(vip.adminStateUp()) : Status.ERROR, why)),
                            lb.vipSubnet()).settled(vip.id());
                }
            }
        }
        for (Member m : lb.members().values()) {
            if (lb.pendingUpTo(m.id(), upTo) || (ok && m.status() == Status.ERROR)) {
                if (ok && m.status() == Status.PENDING_DELETE) {
                    next = next.withoutMember(m.id());
                } else {
                    next = next.withMember(m.withStatus(ok ? done(m.adminStateUp()) : Status.ERROR, why)).settled(m.id());
                }
            }
        }
        for (PoolMonitorAssociation a : lb.associations().values()) {
            if (lb.pendingUpTo(a.monitorId(), upTo) || (ok && a.status() == Status.ERROR)) {
                if (ok && a.status() == Status.PENDING_DELETE) {
                    next = next.withoutAssociation(a.monitorId());
                } else {
                    boolean up = state.monitor(a.monitorId()).map(HealthMonitor::adminStateUp).orElse(true);
                    next = next.withAssociation(a.withStatus(ok ? done(up) : Status.ERROR, why)).settled(a.monitorId());
                }
            }
        }
        if (!next.equals(lb)) {
            putLb(tx, id, Optional.of(next.withRevision(tx.version)));
        }
    }

    private static Status done(boolean adminUp) {
        return adminUp ? Status.ACTIVE : Status.DISABLED;
    }

    // ------------------------------------------------------------------------------------------
    // The service's own changes

    /**
     * Makes a change the service decides on its own: holding a load balancer's write lock, runs
     * {@code body} under the state's lock; the body calls {@link #begin()} when it changes
     * something and returns that transaction (or null when it changes nothing). The change is then
     * finished, written (a failed write is logged: statuses are recomputed after a restart),
     * published and its waiters completed.
     */
    void internal(ReentrantLock writeLock, Supplier<Tx> body) {
        Tx tx;
        writeLock.lock();
        try {
            synchronized (state.lock) {
                tx = body.get();
                if (tx != null) {
                    finish(tx);
                }
            }
            if (tx != null) {
                persistQuietly(tx);
                publish(tx);
            }
        } finally {
            writeLock.unlock();
        }
        if (tx != null) {
            complete(tx);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Persistence and publication (without the state's lock)

    /** After a rollback, writes back the documents of a change, so that disk matches memory again. */
    private void restore(Tx tx) {
        try {
            persist(tx);
        } catch (StorageException e) {
            LOG.error("after a failed write, the previous state could not be written back either: {}", e.getMessage());
        }
    }

    private void persist(Tx tx) {
        for (UUID id : tx.monitorDocs) {
            Optional<HealthMonitor> m;
            synchronized (state.lock) {
                m = state.monitor(id);
            }
            if (m.isPresent()) {
                repository.save(m.get());
            } else {
                repository.deleteHealthMonitor(id);
            }
        }
        for (UUID id : tx.lbDocs) {
            write(id);
        }
    }

    /** Writes a load balancer's document as memory has it now (deletes it when it is gone). */
    void write(UUID id) {
        Optional<StoredLoadBalancer> s;
        synchronized (state.lock) {
            s = state.loadBalancer(id).map(TrackedLoadBalancer::stored);
        }
        if (s.isPresent()) {
            repository.save(s.get());
        } else {
            repository.deleteLoadBalancer(id);
        }
    }

    private void persistQuietly(Tx tx) {
        try {
            persist(tx);
        } catch (StorageException e) {
            LOG.error("status changes could not be stored (they are recomputed after a restart): {}", e.getMessage(), e);
        }
    }

    /** Logs a change's status events and hands them to the listener, in order. */
    private void publish(Tx tx) {
        for (StatusChange c : tx.events) {
            metrics.statusChanged(c);
            if (c.current().isEmpty()) {
                LOG.info("{} {} (load balancer {}): {} -> deleted", c.kind().wireName(), c.id(), c.loadBalancerId(),
                        c.previous().map(Status::name).orElse("new"));
            } else {
                LOG.info("{} {} (load balancer {}): {} -> {}{}", c.kind().wireName(), c.id(), c.loadBalancerId(),
                        c.previous().map(Status::name).orElse("new"), c.current().get(),
                        c.statusDescription().isEmpty() ? "" : " (" + c.statusDescription() + ")");
            }
        }
        if (listener == StatusListener.NONE || tx.events.isEmpty()) {
            return;
        }
        List<StatusChange> batch = List.copyOf(tx.events);
        try {
            notifier.execute(() -> {
                for (StatusChange c : batch) {
                    try {
                        listener.statusChanged(c);
                    } catch (RuntimeException e) {
                        LOG.warn("a status listener failed on {}", c, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("service closed: {} status changes not delivered", batch.size());
        }
    }

    private static void complete(Tx tx) {
        tx.completions.forEach(Runnable::run);
    }

    /**
     * Takes every waiter that is not done yet out of the engine, for a closing service; under the
     * state's lock. Returns what fails them, to be run once no lock is held.
     */
    List<Runnable> abandonWaiters() {
        List<Runnable> abandoned = new ArrayList<>();
        for (List<Waiter<?>> list : waiters.values()) {
            for (Waiter<?> w : list) {
                if (!w.done) {
                    w.done = true;
                    abandoned.add(() -> w.future.completeExceptionally(
                            new IllegalStateException("the service was closed before the driver finished")));
                }
            }
        }
        waiters.clear();
        return abandoned;
    }
}

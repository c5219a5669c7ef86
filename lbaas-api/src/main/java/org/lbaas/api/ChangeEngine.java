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
 * <p>Over a {@linkplain Repository.Shared shared} store a write may lose against another writer
 * ({@link StoreConflictException}): a tenant's change is then undone, the documents it touches are
 * reloaded ({@link RemoteChanges}) and it is made again on what the other writer stored, at most
 * {@value #CONFLICT_ATTEMPTS} times, then refused with a {@link ConflictException}. The service's
 * own changes that lose reload their documents and drop their result: the other writer's change
 * is newer.
 *
 * <p>A change answers a {@link Pending} whose stage completes once its objects are settled (no
 * longer pending); waiters are kept per object and settled by the change that settles the object.
 */
final class ChangeEngine {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);
    /** How often a tenant's change is made before a lost write is a {@link ConflictException}. */
    static final int CONFLICT_ATTEMPTS = 25;

    private final ServiceState state;
    private final Repository repository;
    private final Clock clock;
    private final StatusListener listener;
    private final ServiceMetrics metrics;
    private final ExecutorService notifier;
    private DriverRunner runner;
    private RemoteChanges remote;

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

    /** Connects the reloading of a shared store's documents; once, before the first change. */
    void attach(RemoteChanges value) {
        this.remote = value;
    }

    /** Returns a health monitor's write lock, creating it when missing; under the state's lock. */
    ReentrantLock monitorLock(UUID id) {
        return monitorLocks.computeIfAbsent(id, k -> new ReentrantLock());
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
        /** The documents written so far, in order: load balancers (true) and monitors (false) by id. */
        final Map<UUID, Boolean> written = new LinkedHashMap<>();

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
        for (int attempt = 1; ; attempt++) {
            StoreConflictException lost = null;
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
                    } catch (StoreConflictException e) {
                        if (remote == null) {
                            throw e;
                        }
                        synchronized (state.lock) {
                            rollback(tx);
                        }
                        restoreWritten(tx);
                        lost = e;
                    } catch (StorageException e) {
                        synchronized (state.lock) {
                            rollback(tx);
                        }
                        restore(tx);
                        throw e;
                    }
                    if (lost == null) {
                        publish(tx);
                        synchronized (state.lock) {
                            for (UUID id : tx.applies) {
                                runner.kick(id, tx.version, start);
                            }
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
            if (lost != null) {
                retryAfter(lost, plan, attempt);
            } else if (tx != null) {
                runner.start(start);
                complete(tx);
                return result;
            }
        }
    }

    /**
     * After a tenant's change lost its write: reloads what it touches and what holds its claim, or
     * refuses it when it lost too often.
     */
    private void retryAfter(StoreConflictException lost, Plan plan, int attempt) {
        LOG.debug("change lost its write (attempt {}): {}", attempt, lost.getMessage());
        if (attempt >= CONFLICT_ATTEMPTS) {
            throw new ConflictException(lost.kind(), lost.id(), lost.kind().wireName() + " " + lost.id()
                    + " was changed concurrently by another controller " + attempt + " times while this change was "
                    + "made; nothing was changed, try again (last: " + lost.getMessage() + ")");
        }
        plan.monitorIds().forEach(remote::reloadHealthMonitor);
        plan.lbIds().forEach(remote::reloadLoadBalancer);
        lost.holder().ifPresent(remote::reloadLoadBalancer);
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 2 + Math.min(attempt, 10) * 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException(lost.kind(), lost.id(), "interrupted while retrying a change that another "
                    + "controller changed concurrently: " + lost.getMessage());
        }
    }

    /** After a lost write: writes back, as memory has them again, the documents written before it. */
    private void restoreWritten(Tx tx) {
        for (Map.Entry<UUID, Boolean> doc : new ArrayList<>(tx.written.entrySet())) {
            try {
                if (doc.getValue()) {
                    write(doc.getKey());
                } else {
                    writeMonitor(doc.getKey());
                }
            } catch (StorageException e) {
                LOG.error("after a lost write, {} {} could not be written back: {}", doc.getValue() ? "pool" : "health monitor",
                        doc.getKey(), e.getMessage());
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
        internal(writeLock, body, true);
    }

    /**
     * Takes in documents another writer stored, like {@link #internal} but without writing them:
     * holding the document's write lock, the body (under the state's lock) replaces memory by what
     * the store holds; status events are published and waiters completed as for a local change.
     */
    void adopt(ReentrantLock writeLock, Supplier<Tx> body) {
        internal(writeLock, body, false);
    }

    private void internal(ReentrantLock writeLock, Supplier<Tx> body, boolean write) {
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
                if (write) {
                    persistQuietly(tx);
                }
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
            writeMonitor(id);
            tx.written.put(id, false);
        }
        for (UUID id : tx.lbDocs) {
            write(id);
            tx.written.put(id, true);
        }
    }

    private void writeMonitor(UUID id) {
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
        } catch (StoreConflictException e) {
            if (remote == null) {
                LOG.error("status changes could not be stored: {}", e.getMessage(), e);
                return;
            }
            // Another controller's change is newer: take it in; it drives the data plane now.
            LOG.debug("the service's own change lost its write, reloading: {}", e.getMessage());
            tx.lbDocs.forEach(remote::reloadLater);
            tx.monitorDocs.forEach(remote::reloadMonitorLater);
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

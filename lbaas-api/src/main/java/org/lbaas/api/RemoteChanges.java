package org.lbaas.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.lbaas.model.HealthMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the other writers of a {@linkplain Repository.Shared shared} store: when another
 * controller stored or deleted a document, reloads it and takes it into the {@link ServiceState},
 * so that reads on this service show every controller's changes, statuses included.
 *
 * <p>A document is reloaded holding its write lock (a load balancer's {@link DriverRunner} lock, a
 * monitor's lock of the {@link ChangeEngine}), as a local change writes it, so what is read is
 * never older than what this service wrote, and it is taken in through
 * {@link ChangeEngine#adopt}: status events are published and waiters complete as for a local
 * change. The other controller drives the data plane for its change; this service's runner is
 * only asked to apply again when it is in the middle of a call for that load balancer (its call
 * may carry the older state). Objects the document shows pending are marked pending here too, so
 * that this service's next driver call for the load balancer settles them.
 *
 * <p>Notifications are queued, one per document at a time, to one daemon thread; a tenant's
 * change that lost its write reloads in its own thread ({@link #reloadLoadBalancer}).
 */
final class RemoteChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final ServiceState state;
    private final ChangeEngine engine;
    private final DriverRunner runner;
    private final Repository.Shared store;
    private final ExecutorService worker;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile Repository.Watch watch;

    RemoteChanges(ServiceState state, ChangeEngine engine, DriverRunner runner, Repository.Shared store,
                  ExecutorService worker) {
        this.state = state;
        this.engine = engine;
        this.runner = runner;
        this.store = store;
        this.worker = worker;
    }

    /** Starts following the store; after the service loaded it. */
    void start() {
        watch = store.watch(this::changed);
    }

    private void changed(ObjectKind kind, UUID id) {
        if (kind == ObjectKind.HEALTH_MONITOR) {
            reloadMonitorLater(id);
        } else {
            reloadLater(id);
        }
    }

    /** Queues a reload of a load balancer's document (once, however often it is asked for meanwhile). */
    void reloadLater(UUID poolId) {
        later("pool/" + poolId, () -> reloadLoadBalancer(poolId));
    }

    /** Queues a reload of a health monitor's document. */
    void reloadMonitorLater(UUID monitorId) {
        later("monitor/" + monitorId, () -> reloadHealthMonitor(monitorId));
    }

    private void later(String key, Runnable reload) {
        if (!queued.add(key)) {
            return;
        }
        try {
            worker.execute(() -> {
                queued.remove(key);
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.warn("could not take in another controller's change of {}: {}", key, e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(key);
            LOG.debug("service closing: {} not reloaded", key);
        }
    }

    /** Reloads a load balancer's document and takes it in, holding its write lock. */
    void reloadLoadBalancer(UUID poolId) {
        ReentrantLock lock;
        synchronized (state.lock) {
            if (state.closed()) {
                return;
            }
            lock = runner.writeLock(poolId);
        }
        List<DriverRunner.LbRuntime> start = new ArrayList<>();
        lock.lock();
        try {
            Optional<StoredLoadBalancer> doc = store.reloadLoadBalancer(poolId);
            engine.adopt(lock, () -> {
                Optional<TrackedLoadBalancer> now = state.loadBalancer(poolId);
                if (doc.isEmpty()) {
                    if (now.isEmpty()) {
                        return null;
                    }
                    ChangeEngine.Tx tx = engine.begin();
                    engine.putLb(tx, poolId, Optional.empty());
                    LOG.info("pool {} was deleted by another controller", poolId);
                    return tx;
                }
                if (now.isPresent() && now.get().stored().equals(doc.get())) {
                    return null;
                }
                state.raiseVersion(doc.get().revision());
                ChangeEngine.Tx tx = engine.begin();
                // pending since this service's own change when it made one that is still pending, else since tx
                engine.putLb(tx, poolId, Optional.of(ServiceState.pendingAsStored(TrackedLoadBalancer.of(doc.get()),
                        now.map(TrackedLoadBalancer::pending).orElse(Map.of()), tx.version)));
                runner.kickIfBusy(poolId, tx.version, start);
                LOG.debug("pool {}: took in revision {} stored by another controller", poolId, doc.get().revision());
                return tx;
            });
        } finally {
            lock.unlock();
            synchronized (state.lock) {
                runner.forgetIfUnused(poolId);
            }
        }
        runner.start(start);
    }

    /** Reloads a health monitor's document and takes it in, holding its lock. */
    void reloadHealthMonitor(UUID monitorId) {
        ReentrantLock lock;
        synchronized (state.lock) {
            if (state.closed()) {
                return;
            }
            lock = engine.monitorLock(monitorId);
        }
        lock.lock();
        try {
            Optional<HealthMonitor> doc = store.reloadHealthMonitor(monitorId);
            engine.adopt(lock, () -> {
                if (state.monitor(monitorId).equals(doc)) {
                    return null;
                }
                ChangeEngine.Tx tx = engine.begin();
                engine.putMonitor(tx, monitorId, doc);
                return tx;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Stops following the store and the reload thread. */
    @Override
    public void close() {
        Repository.Watch w = watch;
        if (w != null) {
            w.close();
        }
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

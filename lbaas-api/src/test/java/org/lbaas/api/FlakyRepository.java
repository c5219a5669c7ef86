package org.lbaas.api;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.model.HealthMonitor;

/** An in-memory repository whose saves fail with "disk full" while {@link #failing} is set; counts save attempts. */
final class FlakyRepository implements Repository {

    final Repository inner = Repository.inMemory();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger saves = new AtomicInteger();

    @Override
    public Contents load() {
        return inner.load();
    }

    @Override
    public void save(StoredLoadBalancer lb) {
        attempt(ObjectKind.POOL, lb.id());
        inner.save(lb);
    }

    @Override
    public void deleteLoadBalancer(UUID poolId) {
        inner.deleteLoadBalancer(poolId);
    }

    @Override
    public void save(HealthMonitor monitor) {
        attempt(ObjectKind.HEALTH_MONITOR, monitor.id());
        inner.save(monitor);
    }

    @Override
    public void deleteHealthMonitor(UUID monitorId) {
        inner.deleteHealthMonitor(monitorId);
    }

    private void attempt(ObjectKind kind, UUID id) {
        saves.incrementAndGet();
        if (failing.get()) {
            throw new StorageException(kind, id.toString(), "disk full", null);
        }
    }
}

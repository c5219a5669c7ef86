package org.lbaas.api;

import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.lbaas.model.HealthMonitor;

/** {@link Repository#inMemory()}: maps in memory, nothing durable. */
final class InMemoryRepository implements Repository {

    private final Map<UUID, StoredLoadBalancer> loadBalancers = new ConcurrentHashMap<>();
    private final Map<UUID, HealthMonitor> monitors = new ConcurrentHashMap<>();

    @Override
    public Contents load() {
        return new Contents(new ArrayList<>(loadBalancers.values()), new ArrayList<>(monitors.values()));
    }

    @Override
    public void save(StoredLoadBalancer loadBalancer) {
        loadBalancers.put(loadBalancer.id(), loadBalancer);
    }

    @Override
    public void deleteLoadBalancer(UUID poolId) {
        loadBalancers.remove(Objects.requireNonNull(poolId, "poolId"));
    }

    @Override
    public void save(HealthMonitor monitor) {
        monitors.put(monitor.id(), monitor);
    }

    @Override
    public void deleteHealthMonitor(UUID monitorId) {
        monitors.remove(Objects.requireNonNull(monitorId, "monitorId"));
    }
}

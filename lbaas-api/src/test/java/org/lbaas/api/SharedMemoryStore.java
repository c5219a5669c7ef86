package org.lbaas.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.Vip;

/**
 * A store several services write, in memory, for the service's own tests of {@link Repository.Shared}:
 * documents with versions, one {@link View} (a repository) per service, each write a
 * compare-and-set on the version its view last saw, a VIP address claimed by at most one
 * document, and every view told of the others' writes.
 */
final class SharedMemoryStore {

    private record Doc<T>(T value, int version) {
    }

    private final Map<UUID, Doc<StoredLoadBalancer>> lbs = new HashMap<>();
    private final Map<UUID, Doc<HealthMonitor>> monitors = new HashMap<>();
    private final List<View> views = new CopyOnWriteArrayList<>();
    /** How many writes lost their compare-and-set or claim. */
    int conflicts;

    View view() {
        View v = new View();
        views.add(v);
        return v;
    }

    synchronized Optional<StoredLoadBalancer> loadBalancer(UUID id) {
        return Optional.ofNullable(lbs.get(id)).map(Doc::value);
    }

    synchronized List<StoredLoadBalancer> loadBalancers() {
        return lbs.values().stream().map(Doc::value).toList();
    }

    /** One service's repository over the store. */
    final class View implements Repository, Repository.Shared {

        private final Map<UUID, Integer> known = new ConcurrentHashMap<>();
        private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Contents load() {
            synchronized (SharedMemoryStore.this) {
                lbs.forEach((id, d) -> known.put(id, d.version()));
                monitors.forEach((id, d) -> known.put(id, d.version()));
                return new Contents(loadBalancers(), monitors.values().stream().map(Doc::value).toList());
            }
        }

        @Override
        public void save(StoredLoadBalancer lb) {
            synchronized (SharedMemoryStore.this) {
                check(ObjectKind.POOL, lb.id(), lbs.get(lb.id()));
                if (lb.vip().isPresent()) {
                    Vip vip = lb.vip().get();
                    for (Doc<StoredLoadBalancer> other : lbs.values()) {
                        Optional<Vip> ov = other.value().vip();
                        if (!other.value().id().equals(lb.id()) && ov.isPresent() && !ov.get().id().equals(vip.id())
                                && ov.get().subnetId().equals(vip.subnetId()) && ov.get().address().equals(vip.address())) {
                            conflicts++;
                            throw new StoreConflictException(ObjectKind.POOL, lb.id().toString(), "address "
                                    + vip.address().getHostAddress() + " is claimed by pool " + other.value().id(),
                                    Optional.of(other.value().id()));
                        }
                    }
                }
                int v = Optional.ofNullable(lbs.get(lb.id())).map(d -> d.version() + 1).orElse(0);
                lbs.put(lb.id(), new Doc<>(lb, v));
                stored(ObjectKind.POOL, lb.id(), v);
            }
        }

        @Override
        public void deleteLoadBalancer(UUID poolId) {
            synchronized (SharedMemoryStore.this) {
                if (lbs.containsKey(poolId)) {
                    check(ObjectKind.POOL, poolId, lbs.get(poolId));
                    lbs.remove(poolId);
                    stored(ObjectKind.POOL, poolId, Integer.MAX_VALUE);
                }
                known.remove(poolId);
            }
        }

        @Override
        public void save(HealthMonitor monitor) {
            synchronized (SharedMemoryStore.this) {
                check(ObjectKind.HEALTH_MONITOR, monitor.id(), monitors.get(monitor.id()));
                int v = Optional.ofNullable(monitors.get(monitor.id())).map(d -> d.version() + 1).orElse(0);
                monitors.put(monitor.id(), new Doc<>(monitor, v));
                stored(ObjectKind.HEALTH_MONITOR, monitor.id(), v);
            }
        }

        @Override
        public void deleteHealthMonitor(UUID monitorId) {
            synchronized (SharedMemoryStore.this) {
                if (monitors.containsKey(monitorId)) {
                    check(ObjectKind.HEALTH_MONITOR, monitorId, monitors.get(monitorId));
                    monitors.remove(monitorId);
                    stored(ObjectKind.HEALTH_MONITOR, monitorId, Integer.MAX_VALUE);
                }
                known.remove(monitorId);
            }
        }

        private void check(ObjectKind kind, UUID id, Doc<?> now) {
            Integer mine = known.get(id);
            if (!Objects.equals(mine, now == null ? null : now.version())) {
                conflicts++;
                throw new StoreConflictException(kind, id.toString(), kind.wireName() + " " + id + " changed: expected "
                        + mine + ", found " + (now == null ? null : now.version()), Optional.empty());
            }
        }

        /** Records this view's write and tells the other views. */
        private void stored(ObjectKind kind, UUID id, int version) {
            if (version == Integer.MAX_VALUE) {
                known.remove(id);
            } else {
                known.put(id, version);
            }
            for (View other : views) {
                if (other != this) {
                    Integer seen = other.known.get(id);
                    if (seen == null || version > seen) {
                        new ArrayList<>(other.listeners).forEach(l -> l.changed(kind, id));
                    }
                }
            }
        }

        @Override
        public Optional<Shared> shared() {
            return Optional.of(this);
        }

        @Override
        public Watch watch(ChangeListener listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override
        public Optional<StoredLoadBalancer> reloadLoadBalancer(UUID poolId) {
            synchronized (SharedMemoryStore.this) {
                return reload(poolId, lbs.get(poolId));
            }
        }

        @Override
        public Optional<HealthMonitor> reloadHealthMonitor(UUID monitorId) {
            synchronized (SharedMemoryStore.this) {
                return reload(monitorId, monitors.get(monitorId));
            }
        }

        private <T> Optional<T> reload(UUID id, Doc<T> d) {
            if (d == null) {
                known.remove(id);
                return Optional.empty();
            }
            known.put(id, d.version());
            return Optional.of(d.value());
        }
    }
}

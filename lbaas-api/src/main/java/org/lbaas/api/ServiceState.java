package org.lbaas.api;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The service's objects in memory: every load balancer ({@link TrackedLoadBalancer}) and health
 * monitor, the indexes that find an object's load balancer, and the change counter.
 *
 * <p>One monitor, {@link #lock}, guards this state and the driver-facing state of the
 * {@link DriverRunner} and the waiters of the {@link ChangeEngine}, which change together with it.
 * It is only ever held for short, non-blocking work (checks, map updates). Every method here
 * but {@link #read} expects the caller to hold it.
 */
final class ServiceState {

    /** The service's one lock; see the class comment. */
    final Object lock = new Object();

    private long version;
    private boolean closed;
    private final Map<UUID, TrackedLoadBalancer> lbs = new LinkedHashMap<>();
    private final Map<UUID, HealthMonitor> monitors = new LinkedHashMap<>();
    private final Map<UUID, UUID> memberPool = new HashMap<>();
    private final Map<UUID, UUID> vipPool = new HashMap<>();
    private final Map<UUID, Set<UUID>> monitorPools = new HashMap<>();
    /** Subnet id to VIP address to the pool whose VIP has it. */
    private final Map<UUID, Map<InetAddress, UUID>> vipAddressPool = new HashMap<>();
    /** Subnet id to instance address to the pool whose VIP holds it. */
    private final Map<UUID, Map<InetAddress, UUID>> instanceAddressPool = new HashMap<>();
    private final Map<UUID, UUID> portPool = new HashMap<>();

    /** An object's status and status description, and the id of its load balancer. */
    record ObjectStatus(Status status, String description, UUID lbId) {
    }

    // ------------------------------------------------------------------------------------------
    // Counter and lifecycle

    /** Returns the number of the next change. */
    long nextVersion() {
        return ++version;
    }

    /** Returns the number of the last change. */
    long version() {
        return version;
    }

    /** Makes the counter at least {@code value} (a loaded revision). */
    void raiseVersion(long value) {
        version = Math.max(version, value);
    }

    boolean closed() {
        return closed;
    }

    /** Marks the service closed; returns false when it already was. */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the lbaas service is closed");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Changing

    /** Replaces (or removes) a load balancer and its entries in the indexes. */
    void replace(UUID id, Optional<TrackedLoadBalancer> next) {
        Optional.ofNullable(lbs.get(id)).ifPresent(this::unindex);
        if (next.isPresent()) {
            lbs.put(id, next.get());
            index(next.get());
        } else {
            lbs.remove(id);
        }
    }

    /** Replaces (or removes) a health monitor. */
    void replaceMonitor(UUID id, Optional<HealthMonitor> next) {
        if (next.isPresent()) {
            monitors.put(id, next.get());
        } else {
            monitors.remove(id);
        }
    }

    private void index(TrackedLoadBalancer lb) {
        UUID id = lb.id();
        lb.members().keySet().forEach(m -> memberPool.put(m, id));
        lb.vip().ifPresent(v -> {
            vipPool.put(v.id(), id);
            vipAddressPool.computeIfAbsent(v.subnetId(), k -> new HashMap<>()).put(v.address(), id);
            lb.instanceAddresses().forEach(a -> instanceAddressPool.computeIfAbsent(v.subnetId(), k -> new HashMap<>())
                    .put(a, id));
            portPool.put(v.portId(), id);
        });
        lb.associations().keySet().forEach(m -> monitorPools.computeIfAbsent(m, k -> new TreeSet<>()).add(id));
    }

    /** Removes a load balancer's index entries, leaving entries that already point to another pool (a move). */
    private void unindex(TrackedLoadBalancer lb) {
        UUID id = lb.id();
        lb.members().keySet().forEach(m -> memberPool.remove(m, id));
        lb.vip().ifPresent(v -> {
            vipPool.remove(v.id(), id);
            unindexAddress(vipAddressPool, v.subnetId(), v.address(), id);
            lb.instanceAddresses().forEach(a -> unindexAddress(instanceAddressPool, v.subnetId(), a, id));
            portPool.remove(v.portId(), id);
        });
        lb.associations().keySet().forEach(m -> {
            Set<UUID> pools = monitorPools.get(m);
            if (pools != null) {
                pools.remove(id);
                if (pools.isEmpty()) {
                    monitorPools.remove(m);
                }
            }
        });
    }

    private static void unindexAddress(Map<UUID, Map<InetAddress, UUID>> index, UUID subnetId, InetAddress address,
                                       UUID id) {
        Map<InetAddress, UUID> addresses = index.get(subnetId);
        if (addresses != null) {
            addresses.remove(address, id);
            if (addresses.isEmpty()) {
                index.remove(subnetId);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /** Computes a value under the lock (for a caller that does not hold it). */
    <T> T read(Supplier<T> reader) {
        synchronized (lock) {
            return reader.get();
        }
    }

    Optional<TrackedLoadBalancer> loadBalancer(UUID poolId) {
        return Optional.ofNullable(lbs.get(poolId));
    }

    /** Returns every load balancer, in creation order (a view). */
    Collection<TrackedLoadBalancer> loadBalancers() {
        return Collections.unmodifiableCollection(lbs.values());
    }

    Optional<HealthMonitor> monitor(UUID monitorId) {
        return Optional.ofNullable(monitors.get(monitorId));
    }

    /** Returns every health monitor, in creation order (a view). */
    Collection<HealthMonitor> monitors() {
        return Collections.unmodifiableCollection(monitors.values());
    }

    Optional<UUID> poolOfMember(UUID memberId) {
        return Optional.ofNullable(memberPool.get(memberId));
    }

    Optional<UUID> poolOfVip(UUID vipId) {
        return Optional.ofNullable(vipPool.get(vipId));
    }

    /** Returns the ids of the pools a monitor is associated with, in id order (a copy). */
    List<UUID> poolsOfMonitor(UUID monitorId) {
        return List.copyOf(monitorPools.getOrDefault(monitorId, Set.of()));
    }

    /** Returns the addresses of the VIPs on a subnet (a view). */
    Set<InetAddress> vipAddresses(UUID subnetId) {
        return Collections.unmodifiableSet(vipAddressPool.getOrDefault(subnetId, Map.of()).keySet());
    }

    /**
     * Returns the addresses taken on a subnet: every VIP's and every instance address (a copy). A
     * new VIP or instance address is never one of them.
     */
    Set<InetAddress> takenAddresses(UUID subnetId) {
        Set<InetAddress> taken = new HashSet<>(vipAddressPool.getOrDefault(subnetId, Map.of()).keySet());
        taken.addAll(instanceAddressPool.getOrDefault(subnetId, Map.of()).keySet());
        return taken;
    }

    /** Returns the addresses of every member (of any pool) that lie inside a subnet. */
    Set<InetAddress> memberAddressesIn(Subnet subnet) {
        Set<InetAddress> in = new HashSet<>();
        for (TrackedLoadBalancer lb : lbs.values()) {
            lb.members().values().stream().map(Member::address).filter(subnet.cidr()::contains).forEach(in::add);
        }
        return in;
    }

    /** Returns the VIP that has an address on a subnet. */
    Optional<Vip> vipWithAddress(UUID subnetId, InetAddress address) {
        return Optional.ofNullable(vipAddressPool.getOrDefault(subnetId, Map.of()).get(address))
                .map(lbs::get).flatMap(TrackedLoadBalancer::vip);
    }

    /** Returns the load balancer whose VIP holds an address of a subnet as an instance address. */
    Optional<TrackedLoadBalancer> holderOfInstanceAddress(UUID subnetId, InetAddress address) {
        return Optional.ofNullable(instanceAddressPool.getOrDefault(subnetId, Map.of()).get(address)).map(lbs::get);
    }

    /** Returns the VIP that has a port. */
    Optional<Vip> vipWithPort(UUID portId) {
        return Optional.ofNullable(portPool.get(portId)).map(lbs::get).flatMap(TrackedLoadBalancer::vip);
    }

    UUID existingPool(UUID poolId) {
        lbOrThrow(poolId);
        return poolId;
    }

    TrackedLoadBalancer lbOrThrow(UUID poolId) {
        return loadBalancer(poolId).orElseThrow(() -> new NotFoundException(ObjectKind.POOL, poolId.toString()));
    }

    HealthMonitor monitorOrThrow(UUID monitorId) {
        return monitor(monitorId).orElseThrow(() -> new NotFoundException(ObjectKind.HEALTH_MONITOR, monitorId.toString()));
    }

    Optional<Member> findMember(UUID memberId) {
        return poolOfMember(memberId).map(lbs::get).map(lb -> lb.members().get(memberId));
    }

    Member memberOrThrow(UUID memberId) {
        return findMember(memberId).orElseThrow(() -> new NotFoundException(ObjectKind.MEMBER, memberId.toString()));
    }

    Optional<Vip> findVip(UUID vipId) {
        return poolOfVip(vipId).map(lbs::get).flatMap(TrackedLoadBalancer::vip).filter(v -> v.id().equals(vipId));
    }

    Vip vipOrThrow(UUID vipId) {
        return findVip(vipId).orElseThrow(() -> new NotFoundException(ObjectKind.VIP, vipId.toString()));
    }

    Optional<PoolMonitorAssociation> findAssociation(UUID poolId, UUID monitorId) {
        return loadBalancer(poolId).map(lb -> lb.associations().get(monitorId));
    }

    /** Returns an object's status, or empty when it does not exist. */
    Optional<ObjectStatus> find(ObjectKey k) {
        UUID lbId = switch (k.kind()) {
            case POOL, ASSOCIATION -> k.id();
            case MEMBER -> memberPool.get(k.id());
            case VIP -> vipPool.get(k.id());
            default -> null;
        };
        return Optional.ofNullable(lbId).map(lbs::get).flatMap(lb -> statusIn(lb, k));
    }

    /** Returns whether an object no longer waits for the driver (or is gone). */
    boolean settled(ObjectKey k) {
        return find(k).map(f -> !f.status().isPending()).orElse(true);
    }

    /** Returns an object's status within a load balancer, or empty when it has no such object. */
    static Optional<ObjectStatus> statusIn(TrackedLoadBalancer lb, ObjectKey k) {
        UUID lbId = lb.id();
        return switch (k.kind()) {
            case POOL -> Optional.of(new ObjectStatus(lb.pool().status(), lb.pool().statusDescription(), lbId));
            case MEMBER -> Optional.ofNullable(lb.members().get(k.id()))
                    .map(m -> new ObjectStatus(m.status(), m.statusDescription(), lbId));
            case VIP -> lb.vip().filter(v -> v.id().equals(k.id()))
                    .map(v -> new ObjectStatus(v.status(), v.statusDescription(), lbId));
            case ASSOCIATION -> Optional.ofNullable(lb.associations().get(k.other()))
                    .map(a -> new ObjectStatus(a.status(), a.statusDescription(), lbId));
            default -> Optional.empty();
        };
    }

    /** Returns the keys of every object of a load balancer: the pool, VIP, members and associations. */
    static List<ObjectKey> keysOf(Optional<TrackedLoadBalancer> maybe) {
        if (maybe.isEmpty()) {
            return List.of();
        }
        TrackedLoadBalancer lb = maybe.get();
        List<ObjectKey> keys = new ArrayList<>();
        keys.add(ObjectKey.pool(lb.id()));
        lb.vip().ifPresent(v -> keys.add(ObjectKey.vip(v.id())));
        lb.members().keySet().forEach(m -> keys.add(ObjectKey.member(m)));
        lb.associations().keySet().forEach(m -> keys.add(ObjectKey.association(lb.id(), m)));
        return keys;
    }

    /**
     * Marks pending, in a load balancer read from the store, every object whose stored status is
     * pending: since the change {@code earlier} names for it (this service's own change that is
     * still pending), else since {@code version}.
     *
     * @param loaded the load balancer as read, nothing marked pending
     * @param earlier object id to the change it has been pending since here; empty at start-up
     * @param version the change to mark the others with
     * @return the load balancer with its pending objects marked
     */
    static TrackedLoadBalancer pendingAsStored(TrackedLoadBalancer loaded, Map<UUID, Long> earlier, long version) {
        TrackedLoadBalancer out = loaded;
        for (ObjectKey k : keysOf(Optional.of(loaded))) {
            if (statusIn(loaded, k).map(s -> s.status().isPending()).orElse(false)) {
                out = out.pendingSince(k.pendingId(), earlier.getOrDefault(k.pendingId(), version));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Views

    PoolView view(TrackedLoadBalancer lb) {
        return new PoolView(lb.pool(), List.copyOf(lb.members().keySet()), List.copyOf(lb.associations().keySet()),
                List.copyOf(lb.associations().values()), lb.vip().map(Vip::id));
    }

    HealthMonitorView monitorView(HealthMonitor m) {
        List<PoolMonitorAssociation> pools = new ArrayList<>();
        for (UUID poolId : monitorPools.getOrDefault(m.id(), Set.of())) {
            findAssociation(poolId, m.id()).ifPresent(pools::add);
        }
        return new HealthMonitorView(m, pools);
    }

    /**
     * Returns the load balancer as the driver is to be told it: objects being deleted are left out,
     * and the instance addresses go with the VIP (none while it is being deleted).
     *
     * @throws org.lbaas.model.ValidationException when the result breaks the model's rules
     */
    LoadBalancer desired(TrackedLoadBalancer lb) {
        Optional<Vip> vip = lb.vip().filter(v -> v.status() != Status.PENDING_DELETE);
        Subnet subnet = vip.isPresent() ? lb.vipSubnet().orElseThrow() : lb.poolSubnet();
        List<Member> members = lb.members().values().stream().filter(m -> m.status() != Status.PENDING_DELETE).toList();
        List<HealthMonitor> hms = new ArrayList<>();
        for (PoolMonitorAssociation a : lb.associations().values()) {
            HealthMonitor m = monitors.get(a.monitorId());
            if (a.status() != Status.PENDING_DELETE && m != null) {
                hms.add(m);
            }
        }
        return new LoadBalancer(subnet, lb.pool(), vip, members, hms, vip.isPresent() ? lb.instanceAddresses() : List.of());
    }
}

package org.lbaas.api;

import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * One load balancer (a pool with its members, monitor associations and VIP) as the service holds it
 * in memory: the {@link StoredLoadBalancer} a {@link Repository} keeps, indexed by object id, plus
 * which objects wait for the driver and since which change ({@code pending}: object id to the
 * change version; an association is keyed by its monitor id). Immutable: a change replaces it.
 * The instance addresses ({@link org.lbaas.model.LoadBalancer#instanceAddresses()}) belong to the
 * VIP: they are set with it, move with it and go when it goes.
 */
record TrackedLoadBalancer(long revision, Pool pool, Subnet poolSubnet, Optional<Vip> vip, Optional<Subnet> vipSubnet,
                           List<InetAddress> instanceAddresses, Map<UUID, Member> members,
                           Map<UUID, PoolMonitorAssociation> associations, Map<UUID, Long> pending) {

    TrackedLoadBalancer {
        instanceAddresses = vip.isPresent() ? List.copyOf(instanceAddresses) : List.of();
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        associations = Collections.unmodifiableMap(new LinkedHashMap<>(associations));
        pending = Map.copyOf(pending);
    }

    /** A new load balancer: a pool alone, nothing pending yet. */
    static TrackedLoadBalancer create(Pool pool, Subnet subnet) {
        return new TrackedLoadBalancer(0, pool, subnet, Optional.empty(), Optional.empty(), List.of(), Map.of(), Map.of(),
                Map.of());
    }

    /** A stored load balancer as loaded, nothing pending yet. */
    static TrackedLoadBalancer of(StoredLoadBalancer s) {
        Map<UUID, Member> members = new LinkedHashMap<>();
        s.members().forEach(m -> members.put(m.id(), m));
        Map<UUID, PoolMonitorAssociation> assocs = new LinkedHashMap<>();
        s.associations().forEach(a -> assocs.put(a.monitorId(), a));
        return new TrackedLoadBalancer(s.revision(), s.pool(), s.poolSubnet(), s.vip(), s.vipSubnet(), s.instanceAddresses(),
                members, assocs, Map.of());
    }

    UUID id() {
        return pool.id();
    }

    /** Returns what a repository stores of it: everything but the pending markers. */
    StoredLoadBalancer stored() {
        return new StoredLoadBalancer(revision, pool, poolSubnet, vip, vipSubnet, members.values().stream().toList(),
                associations.values().stream().toList(), instanceAddresses);
    }

    TrackedLoadBalancer withRevision(long value) {
        return new TrackedLoadBalancer(value, pool, poolSubnet, vip, vipSubnet, instanceAddresses, members, associations,
                pending);
    }

    TrackedLoadBalancer withPool(Pool value) {
        return new TrackedLoadBalancer(revision, value, poolSubnet, vip, vipSubnet, instanceAddresses, members,
                associations, pending);
    }

    /** Replaces the VIP, keeping the instance addresses while there is one (without a VIP there are none). */
    TrackedLoadBalancer withVip(Optional<Vip> value, Optional<Subnet> subnet) {
        return withVip(value, subnet, instanceAddresses);
    }

    /** Replaces the VIP and its instance addresses (a new VIP, or one moved from another pool). */
    TrackedLoadBalancer withVip(Optional<Vip> value, Optional<Subnet> subnet, List<InetAddress> addresses) {
        return new TrackedLoadBalancer(revision, pool, poolSubnet, value, subnet, addresses, members, associations,
                pending);
    }

    /** Replaces the instance addresses of the VIP. */
    TrackedLoadBalancer withInstanceAddresses(List<InetAddress> addresses) {
        return withVip(vip, vipSubnet, addresses);
    }

    TrackedLoadBalancer withMember(Member m) {
        return withMembers(put(members, m.id(), m));
    }

    TrackedLoadBalancer withoutMember(UUID memberId) {
        return withMembers(remove(members, memberId)).settled(memberId);
    }

    TrackedLoadBalancer withAssociation(PoolMonitorAssociation a) {
        return withAssociations(put(associations, a.monitorId(), a));
    }

    TrackedLoadBalancer withoutAssociation(UUID monitorId) {
        return withAssociations(remove(associations, monitorId)).settled(monitorId);
    }

    /** Marks an object as waiting for the driver since change {@code version}. */
    TrackedLoadBalancer pendingSince(UUID objectId, long version) {
        return withPending(put(pending, objectId, version));
    }

    /** Marks an object as no longer waiting for the driver. */
    TrackedLoadBalancer settled(UUID objectId) {
        return pending.containsKey(objectId) ? withPending(remove(pending, objectId)) : this;
    }

    /** Returns whether the object waits for a driver call that covers at most {@code version}. */
    boolean pendingUpTo(UUID objectId, long version) {
        Long since = pending.get(objectId);
        return since != null && since <= version;
    }

    private TrackedLoadBalancer withMembers(Map<UUID, Member> value) {
        return new TrackedLoadBalancer(revision, pool, poolSubnet, vip, vipSubnet, instanceAddresses, value, associations,
                pending);
    }

    private TrackedLoadBalancer withAssociations(Map<UUID, PoolMonitorAssociation> value) {
        return new TrackedLoadBalancer(revision, pool, poolSubnet, vip, vipSubnet, instanceAddresses, members, value,
                pending);
    }

    private TrackedLoadBalancer withPending(Map<UUID, Long> value) {
        return new TrackedLoadBalancer(revision, pool, poolSubnet, vip, vipSubnet, instanceAddresses, members,
                associations, value);
    }

    private static <V> Map<UUID, V> put(Map<UUID, V> map, UUID key, V value) {
        Map<UUID, V> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static <V> Map<UUID, V> remove(Map<UUID, V> map, UUID key) {
        Map<UUID, V> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }
}

package org.lbaas.api;

import java.util.Collections;
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
 * The service's immutable record of one load balancer: what is stored, plus which objects wait for
 * the driver and since which change ({@code pending}: object id to the change version; an
 * association is keyed by its monitor id).
 */
record Lb(long revision, Pool pool, Subnet poolSubnet, Optional<Vip> vip, Optional<Subnet> vipSubnet,
          Map<UUID, Member> members, Map<UUID, PoolMonitorAssociation> associations, Map<UUID, Long> pending) {

    Lb {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        associations = Collections.unmodifiableMap(new LinkedHashMap<>(associations));
        pending = Map.copyOf(pending);
    }

    static Lb create(Pool pool, Subnet subnet) {
        return new Lb(0, pool, subnet, Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of());
    }

    static Lb of(StoredLoadBalancer s) {
        Map<UUID, Member> members = new LinkedHashMap<>();
        s.members().forEach(m -> members.put(m.id(), m));
        Map<UUID, PoolMonitorAssociation> assocs = new LinkedHashMap<>();
        s.associations().forEach(a -> assocs.put(a.monitorId(), a));
        return new Lb(s.revision(), s.pool(), s.poolSubnet(), s.vip(), s.vipSubnet(), members, assocs, Map.of());
    }

    UUID id() {
        return pool.id();
    }

    StoredLoadBalancer stored() {
        return new StoredLoadBalancer(revision, pool, poolSubnet, vip, vipSubnet, members.values().stream().toList(),
                associations.values().stream().toList());
    }

    Lb withRevision(long value) {
        return new Lb(value, pool, poolSubnet, vip, vipSubnet, members, associations, pending);
    }

    Lb withPool(Pool value) {
        return new Lb(revision, value, poolSubnet, vip, vipSubnet, members, associations, pending);
    }

    Lb withVip(Optional<Vip> value, Optional<Subnet> subnet) {
        return new Lb(revision, pool, poolSubnet, value, subnet, members, associations, pending);
    }

    Lb withMember(Member m) {
        Map<UUID, Member> copy = new LinkedHashMap<>(members);
        copy.put(m.id(), m);
        return new Lb(revision, pool, poolSubnet, vip, vipSubnet, copy, associations, pending);
    }

    Lb withoutMember(UUID memberId) {
        Map<UUID, Member> copy = new LinkedHashMap<>(members);
        copy.remove(memberId);
        return new Lb(revision, pool, poolSubnet, vip, vipSubnet, copy, associations, pending).settled(memberId);
    }

    Lb withAssociation(PoolMonitorAssociation a) {
        Map<UUID, PoolMonitorAssociation> copy = new LinkedHashMap<>(associations);
        copy.put(a.monitorId(), a);
        return new Lb(revision, pool, poolSubnet, vip, vipSubnet, members, copy, pending);
    }

    Lb withoutAssociation(UUID monitorId) {
        Map<UUID, PoolMonitorAssociation> copy = new LinkedHashMap<>(associations);
        copy.remove(monitorId);
        return new Lb(revision, pool, poolSubnet, vip, vipSubnet, members, copy, pending).settled(monitorId);
    }

    /** Marks an object as waiting for the driver since change {@code version}. */
    Lb pendingSince(UUID objectId, long version) {
        Map<UUID, Long> copy = new LinkedHashMap<>(pending);
        copy.put(objectId, version);
        return new Lb(revision, pool, poolSubnet, vip, vipSubnet, members, associations, copy);
    }

    /** Marks an object as no longer waiting for the driver. */
    Lb settled(UUID objectId) {
        if (!pending.containsKey(objectId)) {
            return this;
        }
        Map<UUID, Long> copy = new LinkedHashMap<>(pending);
        copy.remove(objectId);
        return new Lb(revision, pool, poolSubnet, vip, vipSubnet, members, associations, copy);
    }

    /** Returns whether the object waits for a driver call that covers at most {@code version}. */
    boolean pendingUpTo(UUID objectId, long version) {
        Long since = pending.get(objectId);
        return since != null && since <= version;
    }
}

package org.lbaas.api;

import java.util.UUID;

/**
 * The key of one object of a load balancer for waiters and status events: a pool, member or VIP by
 * its id, an association by (pool id, monitor id).
 */
record ObjectKey(ObjectKind kind, UUID id, UUID other) {

    static ObjectKey pool(UUID id) {
        return new ObjectKey(ObjectKind.POOL, id, id);
    }

    static ObjectKey member(UUID id) {
        return new ObjectKey(ObjectKind.MEMBER, id, id);
    }

    static ObjectKey vip(UUID id) {
        return new ObjectKey(ObjectKind.VIP, id, id);
    }

    static ObjectKey association(UUID poolId, UUID monitorId) {
        return new ObjectKey(ObjectKind.ASSOCIATION, poolId, monitorId);
    }

    /** The id that marks the object pending in its load balancer: an association's is its monitor id. */
    UUID pendingId() {
        return kind == ObjectKind.ASSOCIATION ? other : id;
    }

    /** The id as status events and errors show it: {@code pool/monitor} for an association. */
    String display() {
        return kind == ObjectKind.ASSOCIATION ? id + "/" + other : id.toString();
    }
}

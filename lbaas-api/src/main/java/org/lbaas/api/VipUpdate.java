package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.SessionPersistence;

/**
 * A partial update of a VIP (Neutron {@code PUT /lb/vips/{id}}): an absent field stays as it is.
 * Address, port, protocol, subnet, port id and tenant are fixed after creation.
 *
 * <p>Session persistence is three-way (see {@link PersistenceChange}): absent keeps it (unlike v1,
 * which dropped it on every update that omitted it), {@link PersistenceChange#set} replaces it,
 * {@link PersistenceChange#clear()} removes it. A present {@code poolId} naming another pool moves
 * the VIP there: that pool must have no VIP, the same protocol and tenant; both load balancers are
 * re-applied. An update of a VIP in {@code ERROR}, even an empty one, re-applies its load balancer.
 *
 * @param name the new name
 * @param description the new description
 * @param poolId the pool to put the VIP in front of
 * @param connectionLimit the new limit, -1 for unlimited
 * @param adminStateUp the new admin state
 * @param sessionPersistence what to do with session persistence; absent keeps it
 */
public record VipUpdate(Optional<String> name, Optional<String> description, Optional<UUID> poolId,
                        Optional<Integer> connectionLimit, Optional<Boolean> adminStateUp,
                        Optional<PersistenceChange> sessionPersistence) {

    public VipUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(connectionLimit, "connectionLimit");
        Objects.requireNonNull(adminStateUp, "adminStateUp");
        Objects.requireNonNull(sessionPersistence, "sessionPersistence");
    }

    /** Returns an update that changes nothing (it still re-applies the load balancer). */
    public static VipUpdate empty() {
        return new VipUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * Returns a copy that also sets the name.
     *
     * @param value the name
     * @return the copy
     */
    public VipUpdate withName(String value) {
        return new VipUpdate(Optional.of(value), description, poolId, connectionLimit, adminStateUp, sessionPersistence);
    }

    /**
     * Returns a copy that also moves the VIP to another pool.
     *
     * @param value the pool
     * @return the copy
     */
    public VipUpdate withPoolId(UUID value) {
        return new VipUpdate(name, description, Optional.of(value), connectionLimit, adminStateUp, sessionPersistence);
    }

    /**
     * Returns a copy that also sets the connection limit.
     *
     * @param value the limit
     * @return the copy
     */
    public VipUpdate withConnectionLimit(int value) {
        return new VipUpdate(name, description, poolId, Optional.of(value), adminStateUp, sessionPersistence);
    }

    /**
     * Returns a copy that also sets the admin state.
     *
     * @param value the admin state
     * @return the copy
     */
    public VipUpdate withAdminStateUp(boolean value) {
        return new VipUpdate(name, description, poolId, connectionLimit, Optional.of(value), sessionPersistence);
    }

    /**
     * Returns a copy that also sets session persistence.
     *
     * @param value the persistence
     * @return the copy
     */
    public VipUpdate withSessionPersistence(SessionPersistence value) {
        return new VipUpdate(name, description, poolId, connectionLimit, adminStateUp,
                Optional.of(PersistenceChange.set(value)));
    }

    /** Returns a copy that also removes session persistence. */
    public VipUpdate withoutSessionPersistence() {
        return new VipUpdate(name, description, poolId, connectionLimit, adminStateUp,
                Optional.of(PersistenceChange.clear()));
    }
}

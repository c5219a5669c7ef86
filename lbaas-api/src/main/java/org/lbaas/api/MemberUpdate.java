package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A partial update of a member (Neutron {@code PUT /lb/members/{id}}): an absent field stays as
 * it is. Address, port and tenant are fixed after creation.
 *
 * <p>A present {@code poolId} naming another pool moves the member there: the target pool must
 * exist, belong to the same tenant and not already have a member with the same
 * {@code (address, protocol_port)}; both load balancers are re-applied, and the source pool shows
 * {@code PENDING_UPDATE} until its load balancer no longer carries the member. An update of a
 * member in {@code ERROR}, even an empty one, re-applies its load balancer.
 *
 * @param weight the new weight, 0..256
 * @param adminStateUp the new admin state
 * @param poolId the pool to move the member to
 */
public record MemberUpdate(Optional<Integer> weight, Optional<Boolean> adminStateUp, Optional<UUID> poolId) {

    public MemberUpdate {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(adminStateUp, "adminStateUp");
        Objects.requireNonNull(poolId, "poolId");
    }

    /** Returns an update that changes nothing (it still re-applies the load balancer). */
    public static MemberUpdate empty() {
        return new MemberUpdate(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Returns a copy that also sets the weight.
     *
     * @param value the weight
     * @return the copy
     */
    public MemberUpdate withWeight(int value) {
        return new MemberUpdate(Optional.of(value), adminStateUp, poolId);
    }

    /**
     * Returns a copy that also sets the admin state.
     *
     * @param value the admin state
     * @return the copy
     */
    public MemberUpdate withAdminStateUp(boolean value) {
        return new MemberUpdate(weight, Optional.of(value), poolId);
    }

    /**
     * Returns a copy that also moves the member.
     *
     * @param value the target pool
     * @return the copy
     */
    public MemberUpdate withPoolId(UUID value) {
        return new MemberUpdate(weight, adminStateUp, Optional.of(value));
    }
}

package org.lbaas.model;

/**
 * Provisioning status of an object, with the Neutron LBaaS v1 values.
 *
 * <p>A create sets {@link #PENDING_CREATE}, an update {@link #PENDING_UPDATE}, a delete
 * {@link #PENDING_DELETE}; when the driver has finished, the object becomes {@link #ACTIVE}
 * (or {@link #DISABLED} when its admin state is down), or {@link #ERROR} with a description.
 * {@link #INACTIVE} is kept for wire compatibility: v1 showed a member that health checks see as
 * down this way; lbaas reports operating health separately, as {@link MemberHealth}.
 */
public enum Status {
    PENDING_CREATE, PENDING_UPDATE, PENDING_DELETE, ACTIVE, INACTIVE, DISABLED, ERROR;

    /** Returns whether the object waits for a driver (one of the {@code PENDING_*} values). */
    public boolean isPending() {
        return this == PENDING_CREATE || this == PENDING_UPDATE || this == PENDING_DELETE;
    }
}

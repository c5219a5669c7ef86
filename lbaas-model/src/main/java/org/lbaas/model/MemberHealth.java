package org.lbaas.model;

/**
 * Operating health of a member as the data plane sees it, reported apart from its provisioning
 * {@link Status}.
 */
public enum MemberHealth {
    /** Health checks pass (or the member is up and has no check but traffic flows). */
    UP,
    /** Health checks fail; the member receives no new traffic. */
    DOWN,
    /** The member finishes its current sessions but receives no new ones (weight 0). */
    DRAIN,
    /** The member is in maintenance: admin state down. */
    MAINT,
    /** No health monitor checks the member. */
    NO_MONITOR;

    /**
     * Returns the v1 status a client of the Neutron API expects for this health: {@code DOWN}
     * shows as {@link Status#INACTIVE}, {@code MAINT} as {@link Status#DISABLED}, anything else as
     * {@link Status#ACTIVE}.
     */
    public Status toV1Status() {
        return switch (this) {
            case DOWN -> Status.INACTIVE;
            case MAINT -> Status.DISABLED;
            case UP, DRAIN, NO_MONITOR -> Status.ACTIVE;
        };
    }
}

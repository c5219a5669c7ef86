package org.lbaas.model;

import java.util.UUID;

/**
 * The association of a health monitor with a pool, which has a status of its own (Neutron's
 * {@code health_monitors_status}). Associating the same pair twice is a conflict.
 *
 * @param poolId the pool
 * @param monitorId the health monitor
 * @param status provisioning status of the association
 * @param statusDescription why the status is what it is, may be empty
 */
public record PoolMonitorAssociation(UUID poolId, UUID monitorId, Status status, String statusDescription) {

    public PoolMonitorAssociation {
        Violations v = new Violations();
        v.required(poolId, "pool_id");
        v.required(monitorId, "monitor_id");
        v.required(status, "status");
        Rules.text(v, statusDescription, "status_description", Rules.MAX_STATUS_DESCRIPTION);
        v.throwIfAny();
    }

    /**
     * Returns this association with another status.
     *
     * @param newStatus the status
     * @param why why, may be empty
     * @return the changed copy
     */
    public PoolMonitorAssociation withStatus(Status newStatus, String why) {
        return new PoolMonitorAssociation(poolId, monitorId, newStatus, why);
    }
}

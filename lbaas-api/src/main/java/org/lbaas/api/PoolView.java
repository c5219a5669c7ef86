package org.lbaas.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;

/**
 * A pool as a Neutron client sees it: the pool and the ids of what refers to it.
 *
 * @param pool the pool, with its status
 * @param memberIds the ids of its members (including members being deleted), in creation order
 * @param healthMonitorIds the ids of the monitors associated with it (Neutron {@code health_monitors}),
 *     in association order
 * @param healthMonitorsStatus the associations with their own statuses (Neutron
 *     {@code health_monitors_status}), same order as {@code healthMonitorIds}
 * @param vipId the id of its VIP, if it has one
 */
public record PoolView(Pool pool, List<UUID> memberIds, List<UUID> healthMonitorIds,
                       List<PoolMonitorAssociation> healthMonitorsStatus, Optional<UUID> vipId) {

    public PoolView {
        Objects.requireNonNull(pool, "pool");
        memberIds = List.copyOf(memberIds);
        healthMonitorIds = List.copyOf(healthMonitorIds);
        healthMonitorsStatus = List.copyOf(healthMonitorsStatus);
        Objects.requireNonNull(vipId, "vipId");
    }

    /** Returns the pool's id. */
    public UUID id() {
        return pool.id();
    }
}

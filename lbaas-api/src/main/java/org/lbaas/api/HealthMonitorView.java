package org.lbaas.api;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.PoolMonitorAssociation;

/**
 * A health monitor as a Neutron client sees it: the monitor and the pools it is associated with,
 * each association with its own status (Neutron {@code pools: [{pool_id, status, status_description}]}).
 *
 * @param monitor the monitor
 * @param pools its associations, ordered by pool id
 */
public record HealthMonitorView(HealthMonitor monitor, List<PoolMonitorAssociation> pools) {

    public HealthMonitorView {
        Objects.requireNonNull(monitor, "monitor");
        pools = List.copyOf(pools);
    }

    /** Returns the monitor's id. */
    public UUID id() {
        return monitor.id();
    }
}

package org.lbaas.driver.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a reconcile found and did, by pool id.
 *
 * @param adopted load balancers that already served their desired state and were left running untouched
 * @param repaired load balancers that were (re)started or re-applied
 * @param removed orphans: load balancers that ran but should not, now removed completely
 * @param failed load balancers that could not be brought to their desired state, with the reason
 */
public record ReconcileReport(Set<UUID> adopted, Set<UUID> repaired, Set<UUID> removed, Map<UUID, DriverException> failed) {

    public ReconcileReport {
        adopted = Set.copyOf(Objects.requireNonNull(adopted, "adopted"));
        repaired = Set.copyOf(Objects.requireNonNull(repaired, "repaired"));
        removed = Set.copyOf(Objects.requireNonNull(removed, "removed"));
        failed = Map.copyOf(Objects.requireNonNull(failed, "failed"));
    }

    /** Returns whether every desired load balancer is served. */
    public boolean succeeded() {
        return failed.isEmpty();
    }
}

package org.lbaas.driver.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a reconcile found and did, by pool id.
 *
 * <p>A driver removes only what it made itself: things on the host that look like a load
 * balancer's (a namespace with the driver's name prefix, say) but that this driver cannot prove it
 * created are left exactly as they are and listed in {@link #foreign()}, for the operator to look at.
 *
 * @param adopted load balancers that already served their desired state and were left running untouched
 * @param repaired load balancers that were (re)started or re-applied
 * @param removed orphans: load balancers this driver had made that ran but should not, now removed completely
 * @param failed load balancers that could not be brought to their desired state, with the reason
 * @param foreign things found on the host that resemble this driver's but were not made by it (by this
 *     driver's state), each named with what it is, for example {@code "namespace qlbaas-6f1b...:
 *     not recorded in /var/lib/lbaas/haproxy"}; never changed, never removed; empty when there are none
 */
public record ReconcileReport(Set<UUID> adopted, Set<UUID> repaired, Set<UUID> removed, Map<UUID, DriverException> failed,
                              Set<String> foreign) {

    public ReconcileReport {
        adopted = Set.copyOf(Objects.requireNonNull(adopted, "adopted"));
        repaired = Set.copyOf(Objects.requireNonNull(repaired, "repaired"));
        removed = Set.copyOf(Objects.requireNonNull(removed, "removed"));
        failed = Map.copyOf(Objects.requireNonNull(failed, "failed"));
        foreign = Set.copyOf(Objects.requireNonNull(foreign, "foreign"));
    }

    /**
     * A report of a driver that found nothing foreign (or cannot tell).
     *
     * @param adopted see {@link #adopted()}
     * @param repaired see {@link #repaired()}
     * @param removed see {@link #removed()}
     * @param failed see {@link #failed()}
     */
    public ReconcileReport(Set<UUID> adopted, Set<UUID> repaired, Set<UUID> removed, Map<UUID, DriverException> failed) {
        this(adopted, repaired, removed, failed, Set.of());
    }

    /** Returns whether every desired load balancer is served (foreign finds do not count as failures). */
    public boolean succeeded() {
        return failed.isEmpty();
    }
}

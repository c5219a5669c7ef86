package org.lbaas.cluster;

import java.util.Objects;
import java.util.Optional;
import org.lbaas.model.LoadBalancer;

/**
 * The desired state of one load balancer in the cluster, {@code <root>/work/<poolId>}.
 *
 * @param generation grows by one with every write for the pool
 * @param instances how many instances run it (1, or 2 for an active/standby pair)
 * @param loadBalancer the load balancer, empty when it is to be removed everywhere
 * @param storeVersion the znode version of the pool's store document the writing controller knew
 *     when it wrote this work ({@code store_version}; -1 when unknown, as in work written before
 *     controllers shared a store): a controller never replaces work of a higher store version, so
 *     a slower controller's older state never undoes a newer one
 */
record WorkItem(long generation, int instances, Optional<LoadBalancer> loadBalancer, long storeVersion) {

    /** A work item of unknown store version. */
    WorkItem(long generation, int instances, Optional<LoadBalancer> loadBalancer) {
        this(generation, instances, loadBalancer, -1);
    }

    WorkItem {
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1: " + generation);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1: " + instances);
        }
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        if (storeVersion < -1) {
            throw new IllegalArgumentException("storeVersion must be -1 (unknown) or a znode version: " + storeVersion);
        }
    }
}

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
 */
record WorkItem(long generation, int instances, Optional<LoadBalancer> loadBalancer) {

    WorkItem {
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1: " + generation);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1: " + instances);
        }
        Objects.requireNonNull(loadBalancer, "loadBalancer");
    }
}

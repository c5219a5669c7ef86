package org.lbaas.driver.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;

/**
 * What a driver reads from a running load balancer.
 *
 * @param stats the pool's traffic counters
 * @param memberHealth each member's health by member id; members the data plane does not know are absent
 * @param countersReset whether the counters started again from zero since the previous
 *     observation (the driver could not carry them over), so a caller must not read a drop as an error
 * @param instances each instance of a load balancer that runs more than one (an active/standby
 *     pair), with its role; empty for a single instance
 */
public record Observation(PoolStats stats, Map<UUID, MemberHealth> memberHealth, boolean countersReset,
                          List<InstanceStatus> instances) {

    public Observation {
        Objects.requireNonNull(stats, "stats");
        memberHealth = Map.copyOf(Objects.requireNonNull(memberHealth, "memberHealth"));
        instances = List.copyOf(Objects.requireNonNull(instances, "instances"));
    }

    /**
     * An observation of a load balancer with a single instance.
     *
     * @param stats the pool's traffic counters
     * @param memberHealth each member's health by member id
     * @param countersReset whether the counters started again from zero
     */
    public Observation(PoolStats stats, Map<UUID, MemberHealth> memberHealth, boolean countersReset) {
        this(stats, memberHealth, countersReset, List.of());
    }

    /** Returns the instance that holds the VIP, when the load balancer has a pair and one does. */
    public java.util.Optional<InstanceStatus> active() {
        return instances.stream().filter(i -> i.role() == InstanceStatus.Role.ACTIVE).findFirst();
    }
}

package org.lbaas.driver.spi;

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
 */
public record Observation(PoolStats stats, Map<UUID, MemberHealth> memberHealth, boolean countersReset) {

    public Observation {
        Objects.requireNonNull(stats, "stats");
        memberHealth = Map.copyOf(Objects.requireNonNull(memberHealth, "memberHealth"));
    }
}

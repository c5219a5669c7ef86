package org.lbaas.driver.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One data-plane instance of a load balancer that runs more than one (an active/standby pair),
 * as its driver last saw it.
 *
 * @param name the instance's name in the driver (for the HAProxy driver, its namespace)
 * @param role what the instance does now
 * @param since when it took that role, when the driver knows
 */
public record InstanceStatus(String name, Role role, Optional<Instant> since) {

    /** What an instance of a pair does. */
    public enum Role {
        /** It holds the VIP and serves the traffic. */
        ACTIVE,
        /** It runs and takes the VIP over when the active instance fails. */
        STANDBY,
        /** It cannot serve (its proxy, link or failover agent is down): the driver's repair restores it. */
        FAULT,
        /** The driver cannot tell (not started yet, or its state is unreadable). */
        UNKNOWN
    }

    public InstanceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(since, "since");
    }
}

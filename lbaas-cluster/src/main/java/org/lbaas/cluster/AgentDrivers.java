package org.lbaas.cluster;

import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.LoadBalancerDriver;

/**
 * The local drivers an {@link Agent} applies load balancers through, one per instance ordinal: a
 * load balancer with two instances (an active/standby pair) runs ordinal 0 on one agent and
 * ordinal 1 on another, and a node's driver may need to know which one it runs. The agent never
 * closes them: they belong to the caller, and what they run outlives the agent.
 */
public interface AgentDrivers {

    /**
     * Returns the driver that runs instance {@code ordinal} of a load balancer.
     *
     * @param ordinal 0 for the first (or only) instance, 1 for the second
     * @return the driver
     */
    LoadBalancerDriver forOrdinal(int ordinal);

    /** Returns every distinct driver (each is reconciled at start against what is placed on it). */
    List<LoadBalancerDriver> all();

    /**
     * One driver for every ordinal (the default; right for drivers whose instances do not depend on
     * their ordinal, such as the in-memory driver).
     *
     * @param driver the driver
     * @return the drivers
     */
    static AgentDrivers of(LoadBalancerDriver driver) {
        Objects.requireNonNull(driver, "driver");
        return new AgentDrivers() {
            @Override
            public LoadBalancerDriver forOrdinal(int ordinal) {
                return driver;
            }

            @Override
            public List<LoadBalancerDriver> all() {
                return List.of(driver);
            }
        };
    }

    /**
     * One driver per ordinal: {@code drivers.get(k)} runs ordinal {@code k}.
     *
     * @param drivers the drivers, at least one, each distinct
     * @return the drivers
     * @throws IllegalArgumentException when the list is empty or names a driver twice
     */
    static AgentDrivers perOrdinal(List<LoadBalancerDriver> drivers) {
        List<LoadBalancerDriver> list = List.copyOf(drivers);
        if (list.isEmpty() || list.stream().distinct().count() != list.size()) {
            throw new IllegalArgumentException("perOrdinal needs at least one driver and each driver once: " + list);
        }
        return new AgentDrivers() {
            @Override
            public LoadBalancerDriver forOrdinal(int ordinal) {
                if (ordinal < 0 || ordinal >= list.size()) {
                    throw new IllegalArgumentException("no driver for ordinal " + ordinal + ": drivers exist for 0.."
                            + (list.size() - 1));
                }
                return list.get(ordinal);
            }

            @Override
            public List<LoadBalancerDriver> all() {
                return list;
            }
        };
    }
}

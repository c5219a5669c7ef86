package org.lbaas.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where the scheduler placed a load balancer's instances: the agent at index {@code k} runs
 * ordinal {@code k}. No agent appears twice (two instances of a pair never share a node).
 *
 * @param agents the agent ids by ordinal, at least one
 */
public record Placement(List<String> agents) {

    public Placement {
        agents = List.copyOf(Objects.requireNonNull(agents, "agents"));
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("a placement names at least one agent");
        }
        agents.forEach(ZnodePaths::checkAgentId);
        if (new HashSet<>(agents).size() != agents.size()) {
            throw new IllegalArgumentException("a placement names each agent once: " + agents);
        }
    }

    /** Returns the ordinal the agent runs, or -1 when it runs none. */
    public int ordinalOf(String agentId) {
        return agents.indexOf(agentId);
    }
}

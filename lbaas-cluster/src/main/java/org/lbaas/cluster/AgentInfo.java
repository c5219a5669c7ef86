package org.lbaas.cluster;

import java.time.Instant;
import java.util.Objects;
import org.lbaas.driver.spi.Capabilities;

/**
 * What an agent registers about itself in its ephemeral znode {@code <root>/agents/<agentId>}.
 *
 * @param agentId the agent's id: 1 to 63 lower-case letters, digits or {@code -}
 * @param driver the name of the driver provider it applies load balancers through
 * @param capabilities what that driver supports
 * @param startedAt when the agent registered
 */
public record AgentInfo(String agentId, String driver, Capabilities capabilities, Instant startedAt) {

    public AgentInfo {
        ZnodePaths.checkAgentId(agentId);
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}

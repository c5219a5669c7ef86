package org.lbaas.cluster;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Observation;

/**
 * What an agent did with one generation of a work item, {@code <root>/reports/<poolId>/<agentId>}.
 *
 * @param generation the work item's generation it handled
 * @param ordinal the instance it runs
 * @param outcome what came of it
 * @param action how the driver applied it, when it was applied
 * @param tenantMessage the driver's message for the tenant when it failed, else empty
 * @param operatorMessage the driver's message for the operator when it failed, else empty
 * @param observation the latest observation of the running instance, if any
 * @param at when the report was written
 */
record Report(long generation, int ordinal, Outcome outcome, Optional<ApplyResult.Action> action, String tenantMessage,
              String operatorMessage, Optional<Observation> observation, Instant at) {

    /** What an agent did. */
    enum Outcome {
        APPLIED, REMOVED, FAILED
    }

    Report {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(tenantMessage, "tenantMessage");
        Objects.requireNonNull(operatorMessage, "operatorMessage");
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(at, "at");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must not be negative: " + ordinal);
        }
    }

    Report withObservation(Optional<Observation> value, Instant now) {
        return new Report(generation, ordinal, outcome, action, tenantMessage, operatorMessage, value, now);
    }
}

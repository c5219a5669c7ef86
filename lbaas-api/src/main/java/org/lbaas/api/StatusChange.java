package org.lbaas.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Status;

/**
 * One provisioning-status change of one object, as a {@link StatusListener} receives it.
 *
 * @param kind the object's kind
 * @param id the object's id ({@code <pool id>/<monitor id>} for an association)
 * @param loadBalancerId the pool id of the load balancer the object belongs to
 * @param previous the status before, empty for a new object
 * @param current the status now, empty when the object is gone
 * @param statusDescription why, may be empty
 * @param at when the service made the change, by its clock
 */
public record StatusChange(ObjectKind kind, String id, UUID loadBalancerId, Optional<Status> previous,
                           Optional<Status> current, String statusDescription, Instant at) {

    public StatusChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(loadBalancerId, "loadBalancerId");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(statusDescription, "statusDescription");
        Objects.requireNonNull(at, "at");
    }

    /** Returns whether the change removed the object. */
    public boolean removed() {
        return current.isEmpty();
    }
}

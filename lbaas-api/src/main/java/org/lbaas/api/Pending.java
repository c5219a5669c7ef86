package org.lbaas.api;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The answer to a change: the object as the service stored it at once (with a {@code PENDING_*}
 * status), and a stage that completes when the driver has finished with it.
 *
 * <p>The stage of a create or update completes with the object in its final status:
 * {@code ACTIVE}, {@code DISABLED} (admin down) or {@code ERROR} (with the driver's tenant message,
 * or the deadline that passed, as status description). It completes exceptionally with a
 * {@link NotFoundException} only when the object was deleted before it reached a final status.
 * The stage of a delete holds an {@code Optional}: empty when the object is gone, the object in
 * {@code ERROR} when the driver failed to remove it. Stages always complete: driver calls have a
 * deadline.
 *
 * @param accepted the object as stored when the call returned
 * @param outcome completes with the object once the driver has finished
 * @param <T> the object's type
 */
public record Pending<T>(T accepted, CompletionStage<T> outcome) {

    public Pending {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(outcome, "outcome");
    }
}

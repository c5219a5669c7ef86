package org.lbaas.api;

import java.util.Optional;
import java.util.UUID;

/**
 * A {@linkplain Repository.Shared shared} repository refused a write because another writer got
 * there first: it changed or deleted the document since this repository last read or wrote it,
 * or another document already holds something this one claims (a VIP's address, port or instance
 * address). Nothing was written.
 *
 * <p>The service recovers on its own: it undoes the change in memory, reloads the documents the
 * change touched ({@link #holder()} too, when there is one) and makes the change again on what
 * the other writer stored; after a few lost attempts the tenant gets a {@link ConflictException}.
 * Repositories that only one service writes never throw it.
 */
public class StoreConflictException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final UUID holder;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the document's object ({@link ObjectKind#POOL} for a load balancer,
     *     {@link ObjectKind#HEALTH_MONITOR})
     * @param id its id
     * @param message what the other writer did, naming the document (and the claim)
     * @param holder the pool whose load balancer document holds what this write claimed; empty
     *     when the document itself changed
     */
    public StoreConflictException(ObjectKind kind, String id, String message, Optional<UUID> holder) {
        super(kind, id, message, null);
        this.holder = holder.orElse(null);
    }

    /** Returns the pool whose document holds what the refused write claimed, if that was the conflict. */
    public Optional<UUID> holder() {
        return Optional.ofNullable(holder);
    }
}

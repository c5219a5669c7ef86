package org.lbaas.api;

import org.lbaas.model.Status;

/**
 * A call tries to change an object (or an object inside a pool) that is being deleted
 * ({@link Status#PENDING_DELETE}).
 */
public final class InvalidStateException extends LbaasException {

    private static final long serialVersionUID = 1L;

    private final Status status;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the object in the way
     * @param id its id
     * @param status its status
     * @param message what was refused
     */
    public InvalidStateException(ObjectKind kind, String id, Status status, String message) {
        super(kind, id, message, null);
        this.status = java.util.Objects.requireNonNull(status, "status");
    }

    /** Returns the status that forbids the change. */
    public Status status() {
        return status;
    }
}

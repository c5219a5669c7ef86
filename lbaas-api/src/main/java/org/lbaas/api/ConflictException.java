package org.lbaas.api;

/**
 * A call conflicts with the objects that exist: a pool already has a VIP, a member with the same
 * address and port is already in the pool, a pool or monitor is still in use, an association
 * already exists, an address or id is taken.
 */
public final class ConflictException extends LbaasException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the object the call is about
     * @param id its id
     * @param message what conflicts, naming the other object
     */
    public ConflictException(ObjectKind kind, String id, String message) {
        super(kind, id, message, null);
    }
}

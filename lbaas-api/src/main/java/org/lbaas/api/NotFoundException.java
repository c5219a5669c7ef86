package org.lbaas.api;

/** The object named by a call does not exist (or no longer does). */
public final class NotFoundException extends LbaasException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the missing object
     * @param id its id
     */
    public NotFoundException(ObjectKind kind, String id) {
        super(kind, id, kind.wireName() + " " + id + " not found", null);
    }

    /**
     * Creates the exception with a specific message.
     *
     * @param kind the kind of the missing object
     * @param id its id
     * @param message the message
     */
    public NotFoundException(ObjectKind kind, String id, String message) {
        super(kind, id, message, null);
    }
}

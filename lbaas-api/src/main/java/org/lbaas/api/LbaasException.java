package org.lbaas.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.lbaas.model.Violation;

/**
 * The base of every failure the service reports for a call: each one names the kind and the id of
 * the object it concerns. Unchecked; each failure kind has its own subclass.
 */
public abstract class LbaasException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ObjectKind kind;
    private final String id;

    /**
     * Creates the exception.
     *
     * @param kind the kind of object concerned
     * @param id the object's id (for an association {@code <pool id>/<monitor id>}); empty for an
     *     object that has no id yet
     * @param message the message
     * @param cause the cause, may be {@code null}
     */
    protected LbaasException(ObjectKind kind, String id, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.id = Objects.requireNonNull(id, "id");
    }

    /** Returns the kind of object the failure concerns. */
    public ObjectKind kind() {
        return kind;
    }

    /**
     * Returns the id of the object the failure concerns: a UUID, {@code <pool id>/<monitor id>} for
     * an association, or empty for an object that was not created.
     */
    public String id() {
        return id;
    }

    /**
     * The message of a failure that lists rules: {@code <kind> <id><joint><every violation's message,
     * joined by "; ">}, the id left out when empty. Shared by the failures that carry a list of
     * violations; refuses an empty list, naming the exception that needed one.
     */
    static String listing(ObjectKind kind, String id, String joint, List<Violation> violations, String needsOne) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException(needsOne);
        }
        return kind.wireName() + (id.isEmpty() ? "" : " " + id) + joint
                + violations.stream().map(Violation::message).collect(Collectors.joining("; "));
    }
}

package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A call conflicts with the objects that exist: a pool already has a VIP, a member with the same
 * address and port is already in the pool, a pool or monitor is still in use, an association
 * already exists, an address or id is taken.
 *
 * <p>{@link #reason()} says which conflict it is, so that callers need not read the message, and
 * {@link #conflicting()} names the object that holds what was asked for, with its tenant. The
 * message may name that object; {@link #messageWithoutConflicting()} never does, for a caller
 * (such as another tenant of a REST API) who may not see it.
 */
public final class ConflictException extends LbaasException {

    private static final long serialVersionUID = 1L;

    /** Which conflict. */
    public enum Reason {
        /** The pool already has a VIP (v1's {@code VipExists}). */
        VIP_EXISTS,
        /**
         * The address asked for is used by a VIP on the subnet, or reserved there for a load
         * balancer instance ({@link org.lbaas.model.LoadBalancer#instanceAddresses()}).
         */
        ADDRESS_IN_USE,
        /** The port asked for is used by a VIP. */
        PORT_IN_USE,
        /** The subnet has no free address left for a VIP, or too few for the instance addresses that come with it. */
        NO_FREE_ADDRESS,
        /** The pool already has a member with the same address and port (v1's {@code MemberExists}). */
        MEMBER_EXISTS,
        /** The object is still used by another one: a pool by its VIP, a monitor by its pools. */
        IN_USE,
        /** The monitor is already associated with the pool. */
        ASSOCIATION_EXISTS,
        /** Any other conflict. */
        OTHER
    }

    /**
     * The object that holds what a call asked for.
     *
     * @param kind its kind
     * @param id its id
     * @param tenantId its tenant
     */
    public record Conflicting(ObjectKind kind, String id, String tenantId) {
        /** Checks that nothing is null. */
        public Conflicting {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenantId, "tenantId");
        }
    }

    private final Reason reason;
    private final String withoutConflicting;
    private final transient Conflicting conflicting;

    /**
     * Creates the exception for a conflict of reason {@link Reason#OTHER}.
     *
     * @param kind the kind of the object the call is about
     * @param id its id
     * @param message what conflicts
     */
    public ConflictException(ObjectKind kind, String id, String message) {
        this(kind, id, Reason.OTHER, message);
    }

    /**
     * Creates the exception for a conflict that names no other object.
     *
     * @param kind the kind of the object the call is about
     * @param id its id
     * @param reason which conflict
     * @param message what conflicts
     */
    public ConflictException(ObjectKind kind, String id, Reason reason, String message) {
        super(kind, id, message, null);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.withoutConflicting = message;
        this.conflicting = null;
    }

    /**
     * Creates the exception for a conflict with another object.
     *
     * @param kind the kind of the object the call is about
     * @param id its id
     * @param reason which conflict
     * @param message what conflicts, naming the other object
     * @param withoutConflicting the same without the other object's id
     * @param conflicting the other object
     */
    public ConflictException(ObjectKind kind, String id, Reason reason, String message, String withoutConflicting,
            Conflicting conflicting) {
        super(kind, id, message, null);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.withoutConflicting = Objects.requireNonNull(withoutConflicting, "withoutConflicting");
        this.conflicting = Objects.requireNonNull(conflicting, "conflicting");
    }

    /** Returns which conflict this is. */
    public Reason reason() {
        return reason;
    }

    /** Returns the object that holds what the call asked for, when the conflict is with one. */
    public Optional<Conflicting> conflicting() {
        return Optional.ofNullable(conflicting);
    }

    /** Returns the message without the id of the conflicting object (the message itself when it names none). */
    public String messageWithoutConflicting() {
        return withoutConflicting;
    }
}

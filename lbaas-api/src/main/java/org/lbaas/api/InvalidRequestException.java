package org.lbaas.api;

import java.util.List;
import org.lbaas.model.Violation;

/**
 * A request breaks rules of the model or of the relations between objects (Neutron's bad
 * request): every broken rule is listed, each with its path ({@code vip.address},
 * {@code health_monitor.timeout}), the rejected value and the rule.
 */
public final class InvalidRequestException extends LbaasException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the object the request is about
     * @param id its id, empty for a create
     * @param violations every broken rule, at least one
     */
    public InvalidRequestException(ObjectKind kind, String id, List<Violation> violations) {
        super(kind, id, "invalid " + listing(kind, id, ": ", violations,
                "an InvalidRequestException needs at least one violation"), null);
        this.violations = List.copyOf(violations);
    }

    /** Returns every broken rule, never empty. */
    public List<Violation> violations() {
        return violations;
    }
}

package org.lbaas.model;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown when input breaks one or more rules of the model. It carries every violation found,
 * not only the first, so a user can fix all of them at once.
 *
 * <p>The message lists one violation per line in the form {@code path: rule (rejected: value)}.
 */
public final class ValidationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param violations the violations, at least one
     */
    public ValidationException(List<Violation> violations) {
        super(format(violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Creates the exception for one violation.
     *
     * @param path where the rule is broken
     * @param rejected the rejected value
     * @param rule the rule
     * @return the exception, ready to throw
     */
    public static ValidationException of(String path, Object rejected, String rule) {
        return new ValidationException(List.of(Violation.of(path, rejected, rule)));
    }

    /** Returns every violation, in the order they were found; never empty. */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * Returns the same violations seen from an enclosing object.
     *
     * @param prefix the path of the failing object in the enclosing one, such as {@code members[2]}
     * @return a new exception with prefixed paths
     */
    public ValidationException prefixed(String prefix) {
        return new ValidationException(violations.stream().map(v -> v.prefixed(prefix)).toList());
    }

    private static String format(List<Violation> violations) {
        Objects.requireNonNull(violations, "violations");
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        String lines = violations.stream().map(Violation::message).collect(Collectors.joining("\n"));
        return violations.size() == 1 ? lines : violations.size() + " violations:\n" + lines;
    }
}

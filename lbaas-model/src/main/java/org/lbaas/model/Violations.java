package org.lbaas.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects violations so that every broken rule is reported at once, then throws them together
 * in one {@link ValidationException}.
 *
 * <p>The model's records use it in their constructors; code that assembles records from outside
 * input (a JSON document, a command line) uses {@link #nested(String, Supplier)} to build each part
 * and keep going after a part fails, so that the violations of all parts are reported together.
 * Not thread-safe: one collector serves one validation.
 */
public final class Violations {

    private final List<Violation> found = new ArrayList<>();

    /** Creates an empty collector. */
    public Violations() {
    }

    /**
     * Records a violation unless the condition holds.
     *
     * @param ok whether the rule holds
     * @param path where the rule applies
     * @param value the value being checked
     * @param rule the rule, in words a user can act on
     * @return {@code ok}
     */
    public boolean check(boolean ok, String path, Object value, String rule) {
        if (!ok) {
            found.add(Violation.of(path, value, rule));
        }
        return ok;
    }

    /**
     * Records a "required" violation when the value is {@code null}.
     *
     * @param value the value
     * @param path where it belongs
     * @return whether the value is present
     */
    public boolean required(Object value, String path) {
        return check(value != null, path, null, "is required");
    }

    /**
     * Records a violation unless {@code min <= value <= max}.
     *
     * @param value the value
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @param path where it belongs
     * @return whether the value is in range
     */
    public boolean range(long value, long min, long max, String path) {
        return check(value >= min && value <= max, path, value, "must be between " + min + " and " + max);
    }

    /**
     * Adds a violation as it is.
     *
     * @param violation the violation
     */
    public void add(Violation violation) {
        found.add(violation);
    }

    /**
     * Adds every violation of a failed part, prefixing their paths.
     *
     * @param prefix the part's path, such as {@code members[2]}, or empty
     * @param failure the part's failure
     */
    public void addAll(String prefix, ValidationException failure) {
        failure.violations().forEach(v -> found.add(v.prefixed(prefix)));
    }

    /**
     * Builds a part; when it fails validation, keeps its violations under {@code prefix} and
     * returns empty so that the caller can go on checking the other parts.
     *
     * @param prefix the part's path
     * @param build builds the part, throwing {@link ValidationException} when it is invalid
     * @param <T> the part's type
     * @return the part, or empty when it failed
     */
    public <T> Optional<T> nested(String prefix, Supplier<T> build) {
        try {
            return Optional.of(build.get());
        } catch (ValidationException e) {
            addAll(prefix, e);
            return Optional.empty();
        }
    }

    /**
     * Parses a wire value of an enum strictly: the exact constant name, upper case, nothing else.
     * An unknown value is a violation listing the allowed ones; there is no silent default.
     *
     * @param type the enum
     * @param raw the wire value, may be {@code null}
     * @param path where it belongs
     * @param <E> the enum type
     * @return the constant, or empty after recording a violation
     */
    public <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String raw, String path) {
        if (!required(raw, path)) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(raw)) {
                return Optional.of(constant);
            }
        }
        String hint = Arrays.stream(type.getEnumConstants()).anyMatch(c -> c.name().equals(raw.toUpperCase(Locale.ROOT)))
                ? " (values are upper case)" : "";
        found.add(Violation.of(path, raw, "must be one of " + Arrays.toString(type.getEnumConstants()) + hint));
        return Optional.empty();
    }

    /** Returns whether no violation was recorded. */
    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Returns the violations recorded so far. */
    public List<Violation> list() {
        return List.copyOf(found);
    }

    /**
     * Throws every recorded violation in one exception; does nothing when there is none.
     *
     * @throws ValidationException when at least one violation was recorded
     */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ValidationException(found);
        }
    }
}

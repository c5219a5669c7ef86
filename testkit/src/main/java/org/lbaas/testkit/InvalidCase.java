package org.lbaas.testkit;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.ValidationException;

/**
 * An invalid load balancer, labelled with the one rule it breaks.
 *
 * <p>{@link #input()} builds the load balancer the way an API layer does, part by part under its
 * Neutron path, and throws a {@link ValidationException}. Its violations are exactly at
 * {@link #expectedPaths()} (one path for every rule of the model today), such as
 * {@code members[1].protocol_port} or {@code vip.session_persistence.cookie_name}. Everything
 * else about the load balancer is valid, so the failure is due to {@link #rule()} alone.
 *
 * @param rule the rule that is broken
 * @param expectedPaths where the violations are reported, never empty
 * @param description what was broken, printable on one line
 * @param input builds the broken load balancer; throws every time it is called
 */
public record InvalidCase(BrokenRule rule, Set<String> expectedPaths, String description, Supplier<LoadBalancer> input) {

    public InvalidCase {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(input, "input");
        if (expectedPaths.isEmpty()) {
            throw new IllegalArgumentException("expectedPaths must not be empty");
        }
        expectedPaths = Set.copyOf(new TreeSet<>(expectedPaths));
    }

    /**
     * Returns the one expected path.
     *
     * @return the path
     * @throws IllegalStateException when this case expects violations at several paths
     */
    public String path() {
        if (expectedPaths.size() != 1) {
            throw new IllegalStateException(rule + " is reported at several paths: " + new TreeSet<>(expectedPaths));
        }
        return expectedPaths.iterator().next();
    }

    /**
     * Builds the input and returns how it fails.
     *
     * @return the exception the input threw
     * @throws AssertionError when the input was accepted: the model no longer enforces {@link #rule()}
     */
    public ValidationException failure() {
        try {
            LoadBalancer accepted = input.get();
            throw new AssertionError(rule + " was not enforced: " + description + " was accepted as " + accepted.id());
        } catch (ValidationException e) {
            return e;
        }
    }

    /** Returns the rule, the paths and the description; never the input's code. */
    @Override
    public String toString() {
        return rule + " at " + new TreeSet<>(expectedPaths) + ": " + description;
    }
}

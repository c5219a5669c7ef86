package org.lbaas.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One option of a command, as declared in {@link Cli#commands()}: its long name, the name of its
 * value (absent for a flag), a one-line description for the help, and the values it accepts (empty:
 * any value).
 *
 * @param name the long name without dashes, such as {@code state-dir}
 * @param valueName how the help names the value, such as {@code DIR}; empty for a flag
 * @param description one line for the help
 * @param choices the accepted values; empty when any value is accepted
 */
record OptionSpec(String name, Optional<String> valueName, String description, List<String> choices) {

    OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueName, "valueName");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option names are lower-case words joined by '-': " + name);
        }
        if (valueName.isEmpty() && !choices.isEmpty()) {
            throw new IllegalArgumentException("a flag has no choices: " + name);
        }
    }

    /** An option without a value. */
    static OptionSpec flag(String name, String description) {
        return new OptionSpec(name, Optional.empty(), description, List.of());
    }

    /** An option with a free value. */
    static OptionSpec value(String name, String valueName, String description) {
        return new OptionSpec(name, Optional.of(valueName), description, List.of());
    }

    /** An option whose value is one of {@code choices}. */
    static OptionSpec choice(String name, String valueName, String description, String... choices) {
        return new OptionSpec(name, Optional.of(valueName), description, List.of(choices));
    }

    boolean takesValue() {
        return valueName.isPresent();
    }

    /** {@code --name VALUE} or {@code --name}, as the help shows it. */
    String synopsis() {
        return "--" + name + valueName.map(v -> " " + v).orElse("");
    }
}

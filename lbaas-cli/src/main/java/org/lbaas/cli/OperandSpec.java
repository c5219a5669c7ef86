package org.lbaas.cli;

import java.util.Objects;

/**
 * One positional argument of a command, as declared in {@link Cli#commands()}.
 *
 * @param name how usage and help name it, such as {@code FILE}
 * @param description one line for the help
 */
record OperandSpec(String name, String description) {

    OperandSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}

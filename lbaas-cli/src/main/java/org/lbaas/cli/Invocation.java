package org.lbaas.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command with its arguments parsed and checked against its {@link CommandSpec}: every operand
 * is present, every option is declared and every choice is allowed.
 *
 * @param command the command
 * @param operands operand values by operand name
 * @param options option values by option name; a flag that was given maps to {@code "true"}
 * @param verbosity how many times {@code --verbose} was given
 * @param io the streams and the host
 */
record Invocation(CommandSpec command, Map<String, String> operands, Map<String, String> options, int verbosity, Io io) {

    Invocation {
        Objects.requireNonNull(command, "command");
        operands = Map.copyOf(operands);
        options = Map.copyOf(options);
        Objects.requireNonNull(io, "io");
    }

    /** Returns an operand's value; operands are required, so it is always there. */
    String operand(String name) {
        String v = operands.get(name);
        if (v == null) {
            throw new IllegalArgumentException("command " + command.name() + " declares no operand " + name);
        }
        return v;
    }

    /** Returns an option's value, if it was given. */
    Optional<String> option(String name) {
        requireDeclared(name);
        return Optional.ofNullable(options.get(name));
    }

    /** Returns whether a flag was given. */
    boolean flag(String name) {
        requireDeclared(name);
        return options.containsKey(name);
    }

    PrintStream out() {
        return io.out();
    }

    PrintStream err() {
        return io.err();
    }

    Host host() {
        return io.host();
    }

    private void requireDeclared(String name) {
        if (command.option(name).isEmpty() && Cli.GLOBAL_OPTIONS.stream().noneMatch(o -> o.name().equals(name))) {
            throw new IllegalArgumentException("command " + command.name() + " declares no option --" + name);
        }
    }
}

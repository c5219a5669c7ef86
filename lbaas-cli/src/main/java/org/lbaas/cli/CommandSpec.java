package org.lbaas.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One command of {@code lbaas}: its name, a one-line summary, its operands and options, further
 * help text and what runs it. All of them are declared in {@link Cli#commands()}; usage, help and
 * argument checking are generated from this record.
 *
 * @param name the command word, such as {@code deploy}
 * @param summary one line for {@code lbaas --help} and the head of the command's help
 * @param operands the positional arguments, all required, in order
 * @param options the command's own options (the global ones are added by {@link Cli})
 * @param details paragraphs shown at the end of the command's help; may be empty
 * @param handler what runs the command
 */
record CommandSpec(String name, String summary, List<OperandSpec> operands, List<OptionSpec> options,
                   String details, Handler handler) {

    CommandSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        operands = List.copyOf(operands);
        options = List.copyOf(options);
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(handler, "handler");
    }

    /** Runs a command once its arguments are parsed. */
    @FunctionalInterface
    interface Handler {
        /**
         * Runs the command.
         *
         * @param invocation the parsed arguments and the streams
         * @return the exit status, normally 0; failures are thrown as {@link CliException}s or any
         *     exception {@link Failures} knows how to report
         */
        int run(Invocation invocation);
    }

    Optional<OptionSpec> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    static Builder named(String name, String summary) {
        return new Builder(name, summary);
    }

    /** Declares a command in one expression. */
    static final class Builder {
        private final String name;
        private final String summary;
        private final List<OperandSpec> operands = new ArrayList<>();
        private final List<OptionSpec> options = new ArrayList<>();
        private String details = "";

        private Builder(String name, String summary) {
            this.name = name;
            this.summary = summary;
        }

        Builder operand(String operandName, String description) {
            operands.add(new OperandSpec(operandName, description));
            return this;
        }

        Builder option(OptionSpec option) {
            options.add(option);
            return this;
        }

        Builder details(String text) {
            this.details = text;
            return this;
        }

        CommandSpec handledBy(Handler handler) {
            return new CommandSpec(name, summary, operands, options, details, handler);
        }
    }
}

package org.lbaas.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command of {@code lbaas}: its arguments and options are the subclass's annotated fields, set by
 * picocli before {@link #call()} runs; this base gives it the streams, the host and its name for
 * messages. {@code call} returns the exit status, normally 0; failures are thrown as
 * {@link CliException}s or any exception {@link Failures} knows how to report.
 */
abstract class LbaasCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** {@code lbaas deploy}: the first words of this command's messages. */
    final String name() {
        return Cli.name(spec);
    }

    /** The command's declaration, as picocli built it. */
    final CommandSpec spec() {
        return spec;
    }

    /** The root command: {@code lbaas} itself, also for a subcommand's subcommand. */
    private Cli cli() {
        return (Cli) spec.root().userObject();
    }

    final Io io() {
        return cli().io();
    }

    final PrintStream out() {
        return io().out();
    }

    final PrintStream err() {
        return io().err();
    }

    final Host host() {
        return io().host();
    }

    /** How many times {@code --verbose} was given. */
    final int verbosity() {
        return cli().verbosity();
    }

    /** Whether this command has an option, such as {@code --dry-run}. */
    final boolean declares(String option) {
        return spec.findOption(option) != null;
    }
}

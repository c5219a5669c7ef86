package org.lbaas.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lbaas} command: the root of the picocli command tree (its subcommands declare their
 * own arguments and options), and the dispatcher that runs a command line and turns failures into
 * exit statuses and one-line messages on standard error.
 *
 * <p>Syntax: {@code lbaas COMMAND [OPTIONS] ARGUMENTS}. Options are long only ({@code --name VALUE}
 * or {@code --name=VALUE}) and may come before or after the arguments; {@code --} ends the options;
 * {@code -h} is {@code --help}. Exit status 0 on success, 2 on invalid input (an unknown option, a
 * missing argument, an invalid document, an unknown pool id), 1 on any other failure.
 */
@Command(name = "lbaas",
        customSynopsis = "lbaas COMMAND [OPTIONS] [ARGUMENTS]",
        description = {"Validate, render, deploy and observe OpenStack LBaaS v1 load balancers run by HAProxy"
                + " in Linux network namespaces, or watch one work with `lbaas demo`."},
        optionListHeading = "%nOptions of every command:%n",
        commandListHeading = "%nCommands:%n",
        footer = {"Run `lbaas COMMAND --help` (or `lbaas help COMMAND`) for a command's arguments and options."
                + " In the source tree, `./lbaas bench capacity|dataplane ...` runs the benchmarks."},
        versionProvider = Cli.Version.class,
        subcommands = {ValidateCommand.class, RenderCommand.class, DriversCommand.class, DeployCommands.DeployCommand.class,
            DeployCommands.UpdateCommand.class, DeployCommands.UndeployCommand.class, DeployCommands.StatusCommand.class,
            DeployCommands.StatsCommand.class, DeployCommands.ReconcileCommand.class, DemoCommand.class, ServeCommand.class,
            AgentCommand.class, ClusterCommand.class, HelpCommand.class})
final class Cli implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    /** The usage lines every help ends with. */
    static final String EXIT_STATUS = "Exit status: 0 success, 2 invalid input (arguments, document, unknown id), 1 any"
            + " other failure. Errors go to standard error, one line each, naming the field or the step.";

    private static final int WIDTH = 100;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "log progress at INFO on standard error (give it twice for DEBUG); default: warnings only")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help and exit")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    boolean version;

    private final Io io;

    Cli(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    Io io() {
        return io;
    }

    /** How many times {@code --verbose} was given, before or after the command. */
    int verbosity() {
        return verbose.length;
    }

    /** {@code lbaas} with options but no command. */
    @Override
    public Integer call() {
        throw new UsageException("lbaas: no command given (see 'lbaas --help')");
    }

    /**
     * Returns the command tree over these streams, with lbaas' help layout and error handling.
     *
     * @return the root command line; its subcommands are every command
     */
    CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setOut(writer(io.out()));
        cl.setErr(writer(io.err()));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setUsageHelpWidth(WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(28);
        cl.registerConverter(String.class, Cli::nonBlank);
        layout(cl);
        cl.setHelpFactory((spec, scheme) -> new CommandLine.Help(spec, scheme) {
            @Override
            public IParamLabelRenderer parameterLabelRenderer() {
                return new SpacedLabels(super.parameterLabelRenderer());
            }
        });
        cl.setParameterExceptionHandler((e, args) -> report(usageFailure(cl, e), "lbaas"));
        cl.setExecutionExceptionHandler((e, command, parsed) -> report(e, name(command.getCommandSpec())));
        return cl;
    }

    /** The help layout of every command: headings, declaration order, the exit status at the end. */
    private static void layout(CommandLine root) {
        layoutSubcommands(root);
        root.getCommandSpec().usageMessage().synopsisHeading("Usage: ").sortOptions(false).descriptionHeading("%n")
                .footerHeading("%n").footer(root.getCommandSpec().usageMessage().footer()[0], "", EXIT_STATUS);
    }

    /** The layout of every subcommand, and of theirs ({@code lbaas cluster status}). */
    private static void layoutSubcommands(CommandLine parent) {
        for (CommandLine c : parent.getSubcommands().values()) {
            layoutSubcommands(c);
            CommandSpec s = c.getCommandSpec();
            s.usageMessage().synopsisHeading("Usage: ").abbreviateSynopsis(true).sortOptions(false)
                    .descriptionHeading("%n").parameterListHeading("%nArguments:%n").optionListHeading("%nOptions:%n")
                    .footerHeading("%n");
            List<String> footer = new ArrayList<>(List.of(s.usageMessage().footer()));
            if (!footer.isEmpty()) {
                footer.add("");
            }
            footer.add(EXIT_STATUS);
            s.usageMessage().footer(footer.toArray(String[]::new));
            if (!c.getSubcommands().isEmpty()) {
                s.usageMessage().commandListHeading("%nSubcommands:%n");
            }
        }
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments after {@code lbaas}
     * @return the exit status
     */
    int run(String... args) {
        Objects.requireNonNull(args, "args");
        CommandLine cl = commandLine();
        try {
            if (args.length == 0) {
                cl.usage(cl.getErr());
                return CliException.INVALID_INPUT;
            }
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
            io.out().flush();
            io.err().flush();
        }
    }

    /** Prints a failure, one line each, and returns its exit status. */
    private int report(Throwable e, String name) {
        CliException failure = Failures.of(name, e);
        Failures.capped(failure.lines()).forEach(io.err()::println);
        if (!(failure instanceof UsageException) && !(failure instanceof InvalidInputException)) {
            Throwable cause = failure.getCause() == null ? e : failure.getCause();
            LOG.debug("{} failed", name, cause);
        }
        return failure.exitCode();
    }

    static String name(CommandSpec spec) {
        return spec.parent() == null ? "lbaas" : spec.qualifiedName();
    }

    /** Says what is wrong with a command line in the user's terms: the command, the option or argument, the rule. */
    static UsageException usageFailure(CommandLine root, ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        String where = name(spec);
        String help = "(see '" + where + " --help')";
        List<String> strayBeforeCommand = root.getUnmatchedArguments();
        if (e.getCommandLine() != root && !strayBeforeCommand.isEmpty()) {
            return new UsageException("lbaas: unknown option " + strayBeforeCommand.get(0) + " before the command (see 'lbaas --help')");
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            String arg = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            if (spec.parent() == null && !arg.startsWith("-")) {
                return new UsageException("lbaas: unknown command '" + arg + "'; commands: " + String.join(", ", commandNames(root)));
            }
            if (spec.parent() == null) {
                return new UsageException("lbaas: unknown option " + arg + " before the command (see 'lbaas --help')");
            }
            if (arg.startsWith("--")) {
                return new UsageException(where + ": unknown option " + arg.replaceFirst("=.*", "") + " " + help);
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                return new UsageException(where + ": unknown option " + arg + " (options are long, such as --help; see '"
                        + where + " --help')");
            }
            return new UsageException(where + ": unexpected argument '" + arg + "' (usage: " + usage(spec) + ")");
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            if (missing instanceof PositionalParamSpec p) {
                return new UsageException(where + ": missing argument " + p.paramLabel() + " (usage: " + usage(spec) + ")");
            }
            OptionSpec o = (OptionSpec) missing;
            if (o.required() && !m.getMessage().contains("for option")) {
                return new UsageException(where + ": " + o.longestName() + " " + o.paramLabel() + " is required " + help);
            }
            return new UsageException(where + ": option " + o.longestName() + " needs a value " + o.paramLabel());
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec opt) {
            return new UsageException(where + ": option " + opt.longestName() + " is given twice");
        }
        if (e.getArgSpec() instanceof OptionSpec opt && opt.arity().max() == 0) {
            return new UsageException(where + ": option " + opt.longestName() + " takes no value");
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException t && e.getArgSpec() != null) {
            String label = e.getArgSpec() instanceof OptionSpec opt ? opt.longestName() : e.getArgSpec().paramLabel();
            return new UsageException(where + ": " + label + " " + t.getMessage());
        }
        return new UsageException(where + ": " + CliException.oneLine(String.valueOf(e.getMessage())) + " " + help);
    }

    /** {@code lbaas deploy [OPTIONS] FILE}. */
    static String usage(CommandSpec spec) {
        StringBuilder sb = new StringBuilder(spec.qualifiedName()).append(" [OPTIONS]");
        spec.positionalParameters().forEach(p -> sb.append(' ').append(p.required() ? p.paramLabel() : "[" + p.paramLabel() + "]"));
        return sb.toString();
    }

    /** The commands, in the order the help lists them, without hidden ones. */
    static List<String> commandNames(CommandLine root) {
        return root.getSubcommands().values().stream().map(CommandLine::getCommandSpec)
                .filter(s -> !s.usageMessage().hidden()).map(CommandSpec::name).toList();
    }

    /** Refuses an empty or blank value: {@code --bridge=}, {@code --tenant " "}. */
    private static String nonBlank(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("must not be blank");
        }
        return value;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, Charset.defaultCharset()), true);
    }

    static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** {@code lbaas --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lbaas " + version()};
        }
    }

    /** Option labels as {@code --state-dir DIR} (both {@code --state-dir DIR} and {@code --state-dir=DIR} parse). */
    private record SpacedLabels(CommandLine.Help.IParamLabelRenderer delegate) implements CommandLine.Help.IParamLabelRenderer {
        @Override
        public CommandLine.Help.Ansi.Text renderParameterLabel(ArgSpec arg, CommandLine.Help.Ansi ansi,
                                                             List<CommandLine.Help.Ansi.IStyle> styles) {
            CommandLine.Help.Ansi.Text text = delegate.renderParameterLabel(arg, ansi, styles);
            String plain = text.plainString();
            if (arg.isOption() && plain.startsWith(delegate.separator())) {
                return ansi.new Text(" " + plain.substring(delegate.separator().length()));
            }
            return text;
        }

        @Override
        public String separator() {
            return " ";
        }
    }
}

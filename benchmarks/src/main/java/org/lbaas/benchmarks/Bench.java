package org.lbaas.benchmarks;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.lbaas.benchmarks.capacity.CapacityHarness;
import org.lbaas.benchmarks.capacity.CapacityReport;
import org.lbaas.benchmarks.capacity.CapacityResult;
import org.lbaas.benchmarks.dataplane.DataPlaneHarness;
import org.lbaas.benchmarks.dataplane.DataPlaneResult;
import org.lbaas.benchmarks.failover.FailoverHarness;
import org.lbaas.benchmarks.failover.FailoverResult;
import org.lbaas.benchmarks.failover.FailureKind;
import org.lbaas.lab.netns.HostCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The benchmarks' launcher, {@code lbaas bench BENCHMARK [OPTIONS]}: the capacity, data-plane and
 * failover harnesses on this machine, with their options declared once and parsed by picocli. The
 * {@code ./lbaas} script forwards {@code ./lbaas bench ...} here; without it:
 * {@code java -cp benchmarks/target/benchmarks.jar org.lbaas.benchmarks.Bench capacity --count N}.
 *
 * <p>Progress goes to standard error, the tables of figures to standard output. Exit status 0
 * when the run succeeded, 2 for invalid arguments (one line on standard error), 1 when the run
 * failed (a load balancer that did not serve, something left behind, root or a program missing).
 */
@Command(name = "lbaas bench", description = "run a benchmark of the haproxy-ns driver on this machine",
        synopsisHeading = "Usage: ", customSynopsis = "lbaas bench BENCHMARK [OPTIONS]", descriptionHeading = "%n",
        optionListHeading = "%nOptions:%n", commandListHeading = "%nBenchmarks:%n", footerHeading = "%n",
        subcommands = {Bench.Capacity.class, Bench.DataPlane.class, Bench.Failover.class, ClusterCommand.class},
        footer = {"Exit status: 0 success, 2 invalid arguments, 1 the run failed (a load balancer that did not serve,"
                + " something left behind, root or a program missing)."})
public final class Bench implements Callable<Integer> {

    /** Exit status of a run that failed. */
    static final int FAILURE = 1;
    /** Exit status of invalid arguments. */
    static final int USAGE = 2;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final BooleanSupplier root;

    Bench(PrintStream out, PrintStream err, BooleanSupplier root) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * Runs a benchmark and exits with its status.
     *
     * @param args {@code capacity --count N [--out DIR] ...} or {@code dataplane [--rounds N] ...}
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int status = new Bench(System.out, System.err, HostCheck::runningAsRoot).run(args);
        System.exit(status);
    }

    /** {@code lbaas bench} without a benchmark. */
    @Override
    public Integer call() {
        throw new UsageError("lbaas bench: no benchmark given; benchmarks: " + String.join(", ", benchmarks(spec.commandLine())));
    }

    /**
     * Parses and runs one command line.
     *
     * @param args the arguments after {@code lbaas bench}
     * @return the exit status
     */
    int run(String... args) {
        CommandLine cl = new CommandLine(this);
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, Charset.defaultCharset()), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, Charset.defaultCharset()), true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setUsageHelpWidth(100);
        for (CommandLine c : List.copyOf(cl.getSubcommands().values())) {
            c.getCommandSpec().usageMessage().synopsisHeading("Usage: ").abbreviateSynopsis(true).sortOptions(false)
                    .descriptionHeading("%n").optionListHeading("%nOptions:%n").footerHeading("%n")
                    .footer(cl.getCommandSpec().usageMessage().footer());
        }
        cl.setHelpFactory((s, scheme) -> new CommandLine.Help(s, scheme) {
            @Override
            public IParamLabelRenderer parameterLabelRenderer() {
                IParamLabelRenderer d = super.parameterLabelRenderer();
                return new IParamLabelRenderer() {
                    @Override
                    public Ansi.Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<Ansi.IStyle> styles) {
                        String plain = d.renderParameterLabel(arg, ansi, styles).plainString();
                        return ansi.new Text(arg.isOption() && plain.startsWith("=") ? " " + plain.substring(1) : plain);
                    }

                    @Override
                    public String separator() {
                        return " ";
                    }
                };
            }
        });
        cl.setParameterExceptionHandler((e, a) -> fail(USAGE, message(cl, e)));
        cl.setExecutionExceptionHandler((e, c, parsed) -> e instanceof UsageError ? fail(USAGE, e.getMessage())
                : fail(FAILURE, e instanceof RunFailed ? e.getMessage()
                        : qualified(c.getCommandSpec()) + ": " + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", "; ")));
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
            out.flush();
            err.flush();
        }
    }

    private int fail(int status, String line) {
        err.println(line);
        return status;
    }

    static String qualified(CommandSpec spec) {
        return spec.qualifiedName();
    }

    /** A usage error in the user's terms: the command, the option or argument, the rule. */
    static String message(CommandLine root, ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        String where = qualified(spec);
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            String arg = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            if (spec.parent() == null && !arg.startsWith("-")) {
                return where + ": unknown benchmark '" + arg + "'; benchmarks: " + String.join(", ", benchmarks(root));
            }
            return arg.startsWith("-") ? where + ": unknown option " + arg.replaceFirst("=.*", "") + " (see '" + where + " --help')"
                    : where + ": unexpected argument '" + arg + "'";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return where + ": " + o.longestName() + " " + o.paramLabel()
                    + (m.getMessage().contains("for option") ? " needs a value" : " is required") + " (" + describe(o) + ")";
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec opt) {
            return where + ": option " + opt.longestName() + " is given twice";
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException t && e.getArgSpec() instanceof OptionSpec o) {
            return where + ": " + o.longestName() + " " + t.getMessage();
        }
        return where + ": " + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String describe(OptionSpec o) {
        return String.join(" ", o.description()).replaceFirst("\\s*\\(required\\)$", "");
    }

    static List<String> benchmarks(CommandLine root) {
        return List.copyOf(root.getSubcommands().keySet());
    }

    /** Fails unless root runs this and every program is installed (on the {@code PATH}, in /usr/sbin or /sbin). */
    void requirePrerequisites(String where, String why, List<String> programs) {
        if (!root.getAsBoolean()) {
            throw new RunFailed(where + ": needs root (" + why + "); run it as root, e.g. with sudo");
        }
        HostCheck.missingReason(programs).ifPresent(reason -> {
            throw new RunFailed(where + ": prerequisites: " + reason);
        });
    }

    /** Where progress goes: standard error. */
    PrintStream log() {
        return err;
    }

    /** Prints a report to standard output and, when {@code file} is given, writes it there too. */
    void print(String report, Path file) throws IOException {
        out.println(report);
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, report);
        }
    }

    /** Fails the run (exit 1) when the harness noted a problem of its own or left something behind. */
    static void requireClean(String where, List<String> notes, List<String> leftovers) {
        if (!notes.isEmpty() || !leftovers.isEmpty()) {
            throw new RunFailed(where + ": " + String.join("; ", notes)
                    + (leftovers.isEmpty() ? "" : "; left behind: " + String.join(", ", leftovers)));
        }
    }

    /** Invalid arguments found after parsing: exit 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /** The run failed: exit 1. */
    static final class RunFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunFailed(String message) {
            super(message);
        }
    }

    /** A whole number for an option. */
    static int whole(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("must be a whole number, not '" + text + "'");
        }
    }

    /** {@code --count}: how many load balancers, 1 to one VIP bridge's ports. */
    static final class Count implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            int n = whole(text);
            if (n < 1 || n > CapacityHarness.MAX_COUNT) {
                throw new CommandLine.TypeConversionException("must be 1 to " + CapacityHarness.MAX_COUNT
                        + " (one VIP bridge; a Linux bridge has at most 1024 ports and the driver plugs into one bridge), not " + n);
            }
            return n;
        }
    }

    /** A whole number of at least 0 (or 1 with {@link Positive}). */
    static class NotNegative implements CommandLine.ITypeConverter<Integer> {
        int min() {
            return 0;
        }

        @Override
        public Integer convert(String text) {
            int n = whole(text);
            if (n < min()) {
                throw new CommandLine.TypeConversionException("must be at least " + min() + ", not " + n);
            }
            return n;
        }
    }

    /** A whole number of at least 1. */
    static final class Positive extends NotNegative {
        @Override
        int min() {
            return 1;
        }
    }

    /** {@code --kinds}: failure kinds, comma-separated, each once. */
    static final class Kinds implements CommandLine.ITypeConverter<List<FailureKind>> {
        @Override
        public List<FailureKind> convert(String text) {
            List<FailureKind> out = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                FailureKind k = FailureKind.of(part).orElseThrow(() -> new CommandLine.TypeConversionException(
                        "must be failure kinds from " + FailureKind.labels() + ", comma-separated, not '" + part.trim() + "'"));
                if (out.contains(k)) {
                    throw new CommandLine.TypeConversionException("names " + k.label() + " twice");
                }
                out.add(k);
            }
            return out;
        }
    }

    /** {@code --topology}: {@code single} or {@code active-standby}. */
    static final class TopologyName implements CommandLine.ITypeConverter<CapacityHarness.Topology> {
        @Override
        public CapacityHarness.Topology convert(String text) {
            return CapacityHarness.Topology.of(text).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "must be single or active-standby, not '" + text + "'"));
        }
    }

    /** One {@code --driver-setting KEY=VALUE}. */
    static final class Setting implements CommandLine.ITypeConverter<String[]> {
        @Override
        public String[] convert(String text) {
            int at = text.indexOf('=');
            if (at <= 0) {
                throw new CommandLine.TypeConversionException("wants KEY=VALUE, not '" + text + "'");
            }
            return new String[] {text.substring(0, at), text.substring(at + 1)};
        }
    }

    /** {@code lbaas bench capacity}: how many load balancers this machine carries. */
    @Command(name = "capacity", description = "measure how many load balancers this machine carries",
            footer = {"Deploys N load balancers one after another through LoadBalancerService and the haproxy-ns driver (each:"
                    + " a VIP in its own namespace, two members in a shared backend namespace, an HTTP health monitor),"
                    + " checks that each answers HTTP through its VIP, and records create-to-serving latency, HAProxy and JVM"
                    + " memory, health-check CPU, one statistics sweep, a reconcile after a simulated JVM restart and the"
                    + " teardown. With --topology active-standby every load balancer is a pair of instances with HAProxy and"
                    + " keepalived each, and the run also reports the pairs' HAProxy and keepalived memory and their VRRP"
                    + " adverts per second on the HA bridge. Everything it creates has a random lbt... name and is removed at"
                    + " the end, also on Ctrl-C. Needs root, haproxy, ip and curl (and keepalived for pairs); N = 1000 takes"
                    + " about 6 minutes."})
    static final class Capacity implements Callable<Integer> {

        @ParentCommand
        Bench bench;

        @Option(names = "--count", paramLabel = "N", required = true, converter = Count.class,
                description = "how many load balancers to create, 1 to 1022 (required)")
        int count;

        @Option(names = "--out", paramLabel = "DIR",
                description = "where the tables (CSV, Markdown) and the plot (capacity.png) go (default: capacity-N)")
        Path out;

        @Option(names = "--png", paramLabel = "FILE", description = "where the plot goes (default: DIR/capacity.png)")
        Path png;

        @Option(names = "--monitor-delay", paramLabel = "S", converter = Positive.class,
                description = "the health monitors' delay in seconds (default 5)")
        int monitorDelay = 5;

        @Option(names = "--idle-window", paramLabel = "S", converter = NotNegative.class,
                description = "how long the health checks' idle CPU is measured, in seconds (default 10)")
        int idleWindow = 10;

        @Option(names = "--maxconn", paramLabel = "M", converter = Positive.class,
                description = "the driver's default_maxconn (default: the driver's default)")
        Integer maxconn;

        @Option(names = "--pin-neighbours", paramLabel = "true|false", arity = "1",
                description = "make the ARP entries between the namespaces permanent (default true)")
        boolean pinNeighbours = true;

        @Option(names = "--topology", paramLabel = "single|active-standby", converter = TopologyName.class,
                description = "one instance per load balancer, or an active/standby pair (at most 511 pairs) (default single)")
        CapacityHarness.Topology topology = CapacityHarness.Topology.SINGLE;

        @Option(names = "--driver-setting", paramLabel = "KEY=VALUE", converter = Setting.class,
                description = "another driver setting; repeatable")
        List<String[]> driverSettings = new ArrayList<>();

        /** The harness options these arguments describe. */
        CapacityHarness.Options options() {
            Map<String, String> settings = new LinkedHashMap<>();
            driverSettings.forEach(kv -> settings.put(kv[0], kv[1]));
            if (maxconn != null) {
                settings.put("default_maxconn", maxconn.toString());
            }
            try {
                return new CapacityHarness.Options(count, monitorDelay, Duration.ofSeconds(idleWindow), settings, pinNeighbours,
                        topology);
            } catch (IllegalArgumentException e) {
                throw new UsageError("lbaas bench capacity: " + e.getMessage());
            }
        }

        /** Where the tables go. */
        Path outDir() {
            return out == null ? Path.of("capacity-" + count) : out;
        }

        @Override
        public Integer call() {
            String where = "lbaas bench capacity";
            CapacityHarness.Options options = options();
            bench.requirePrerequisites(where, "it creates network namespaces, bridges and HAProxy processes",
                    options.pairs() ? List.of("haproxy", "keepalived", "ip", "curl") : List.of("haproxy", "ip", "curl"));
            CapacityResult result = CapacityHarness.run(options, bench.err);
            Path dir = outDir();
            try {
                Files.createDirectories(dir);
                CapacityReport.write(result, options, dir, png == null ? dir.resolve("capacity.png") : png, bench.out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
            }
            bench.err.println("tables and plot written to " + dir.toAbsolutePath());
            if (!result.leftovers().isEmpty()) {
                throw new RunFailed(where + ": left behind after the cleanup: " + String.join(", ", result.leftovers()));
            }
            if (result.answeredAfterCreate() != result.created() || result.created() != count) {
                throw new RunFailed(where + ": " + result.created() + " of " + count + " load balancers created, "
                        + result.answeredAfterCreate() + " answered through their VIP"
                        + (result.notes().isEmpty() ? "" : "; " + String.join("; ", result.notes())));
            }
            return 0;
        }
    }

    /** {@code lbaas bench dataplane}: create, reload and runtime changes against the naive shell sequence. */
    @Command(name = "dataplane", description = "measure create, reload and runtime changes against the naive shell sequence",
            footer = {"Alternates the naive sequence (ip netns add, a veth, haproxy -f, until the VIP answers) with the"
                    + " driver's create, reload and member changes, then applies changes and reloads under client load and"
                    + " counts failed requests. Prints a Markdown table. Needs root, ip and haproxy."})
    static final class DataPlane implements Callable<Integer> {

        @ParentCommand
        Bench bench;

        @Option(names = "--rounds", paramLabel = "N", converter = Positive.class, description = "measured rounds (default 20)")
        int rounds = 20;

        @Option(names = "--warmup", paramLabel = "W", converter = NotNegative.class, description = "unmeasured rounds first (default 2)")
        int warmup = 2;

        @Option(names = "--changes", paramLabel = "K", converter = NotNegative.class,
                description = "member changes and reloads under load (default: --rounds)")
        Integer changes;

        @Option(names = "--pause-ms", paramLabel = "MS", converter = NotNegative.class,
                description = "pause between changes under load (default 150)")
        int pauseMs = 150;

        @Option(names = "--keepalive-clients", paramLabel = "N", converter = NotNegative.class,
                description = "keep-alive client loops (default 3)")
        int keepAliveClients = 3;

        @Option(names = "--close-clients", paramLabel = "N", converter = NotNegative.class,
                description = "one-connection-per-request client loops (default 1)")
        int closeClients = 1;

        @Option(names = "--out", paramLabel = "FILE", description = "also write the Markdown table to FILE")
        Path out;

        /** The harness options these arguments describe. */
        DataPlaneHarness.Options options() {
            try {
                return new DataPlaneHarness.Options(rounds, warmup, changes == null ? rounds : changes, Duration.ofMillis(pauseMs),
                        keepAliveClients, closeClients);
            } catch (IllegalArgumentException e) {
                throw new UsageError("lbaas bench dataplane: " + e.getMessage());
            }
        }

        @Override
        public Integer call() throws IOException {
            String where = "lbaas bench dataplane";
            DataPlaneHarness.Options options = options();
            bench.requirePrerequisites(where, "it creates network namespaces, a bridge and HAProxy processes", List.of("haproxy", "ip"));
            DataPlaneResult r = DataPlaneHarness.run(options, bench.err);
            bench.print(r.toMarkdown(), out);
            requireClean(where, r.notes(), r.leftovers());
            return 0;
        }
    }

    /** {@code lbaas bench failover}: failures of the active instance of active/standby pairs under load. */
    @Command(name = "failover", description = "measure failovers of active/standby load balancers under load",
            footer = {"Deploys three active/standby load balancers (SOURCE_IP on TCP, APP_COOKIE and HTTP_COOKIE on HTTP)"
                    + " with the haproxy-ns driver and, for each failure kind, --runs times: injects the failure into the"
                    + " ACTIVE instance under client load, measures the time to the first request served through the VIP,"
                    + " counts failed requests and checks that sticky clients stay on their member, then repairs the pair."
                    + " Prints Markdown tables with the targets (PASS/MISS; a MISS does not change the exit status)."
                    + " Needs root, ip, haproxy and keepalived."})
    static final class Failover implements Callable<Integer> {

        @ParentCommand
        Bench bench;

        @Option(names = "--runs", paramLabel = "N", converter = Positive.class, description = "runs of each failure kind (default 20)")
        int runs = 20;

        @Option(names = "--kinds", paramLabel = "K,...", converter = Kinds.class,
                description = "failure kinds, comma-separated (default: haproxy-kill,link-cut,netns-delete,keepalived-kill)")
        List<FailureKind> kinds = List.of(FailureKind.values());

        @Option(names = "--advert-interval", paramLabel = "MS", converter = Positive.class,
                description = "the pairs' VRRP advert interval in milliseconds, 10 to 40950 in steps of 10 (default 100)")
        int advertIntervalMs = 100;

        @Option(names = "--sticky-clients", paramLabel = "N", converter = Positive.class,
                description = "sticky clients per load balancer (default 4)")
        int stickyClients = 4;

        @Option(names = "--load-clients", paramLabel = "N", converter = Positive.class,
                description = "load client loops, half keep-alive (default 4)")
        int loadClients = 4;

        @Option(names = "--out", paramLabel = "FILE", description = "also write the Markdown tables to FILE")
        Path out;

        /** The harness options these arguments describe. */
        FailoverHarness.Options options() {
            try {
                return new FailoverHarness.Options(runs, kinds, Duration.ofMillis(advertIntervalMs), stickyClients, loadClients);
            } catch (IllegalArgumentException e) {
                throw new UsageError("lbaas bench failover: " + e.getMessage());
            }
        }

        @Override
        public Integer call() throws IOException {
            String where = "lbaas bench failover";
            FailoverHarness.Options options = options();
            bench.requirePrerequisites(where, "it creates network namespaces, bridges, HAProxy and keepalived processes",
                    List.of("haproxy", "keepalived", "ip"));
            FailoverResult r = FailoverHarness.run(options, bench.err);
            bench.print(r.toMarkdown(), out);
            requireClean(where, r.notes(), r.leftovers());
            return 0;
        }
    }
}

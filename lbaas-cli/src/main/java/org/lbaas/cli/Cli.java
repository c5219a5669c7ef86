package org.lbaas.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code lbaas} command: the one place where every command, its arguments, its options and
 * their one-line descriptions are declared ({@link #commands()}), and the dispatcher that parses a
 * command line against those declarations, runs the command and turns failures into exit statuses
 * and one-line messages on standard error.
 *
 * <p>Syntax: {@code lbaas COMMAND [OPTIONS] ARGUMENTS}. Options are long only ({@code --name VALUE}
 * or {@code --name=VALUE}) and may come before or after the arguments; {@code --} ends the options;
 * {@code -h} is {@code --help}. Exit status 0 on success, 2 on invalid input (an unknown option, a
 * missing argument, an invalid document, an unknown pool id), 1 on any other failure.
 */
final class Cli {

    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    static final OptionSpec HELP = OptionSpec.flag("help", "show this help and exit");
    static final OptionSpec VERBOSE = OptionSpec.flag("verbose",
            "log progress at INFO on standard error (give it twice for DEBUG); default: warnings only");
    /** Options every command accepts. */
    static final List<OptionSpec> GLOBAL_OPTIONS = List.of(VERBOSE, HELP);

    static final OptionSpec STATE_DIR = OptionSpec.value("state-dir", "DIR",
            "where deployments are kept (default: $LBAAS_STATE_DIR, else " + StateDir.DEFAULT + ")");
    static final OptionSpec INTERFACE_DRIVER = OptionSpec.choice("interface-driver", "KIND",
            "how a VIP is plugged into its namespace: linuxbridge (veth into --bridge), ovs (Open vSwitch port),"
                    + " noop (the host plumbs namespaces); default: as deployed, else linuxbridge",
            "linuxbridge", "ovs", "noop");
    static final OptionSpec BRIDGE = OptionSpec.value("bridge", "NAME",
            "the bridge VIP ports join (must exist); default: as deployed, else br-lbaas");
    static final OptionSpec NAMESPACE_PREFIX = OptionSpec.value("namespace-prefix", "PREFIX",
            "namespaces are PREFIX<pool id>; reconcile treats every namespace with it as this state directory's"
                    + " (default: as deployed, else qlbaas-)");
    static final OptionSpec DRIVER = OptionSpec.value("driver", "NAME",
            "also check the document against this driver's capabilities (default: haproxy-ns; none: skip)");

    private static final List<CommandSpec> COMMANDS = List.of(
            CommandSpec.named("validate", "check a load balancer document and list every violation")
                    .operand("FILE", "the load balancer document (JSON); - reads standard input")
                    .option(DRIVER)
                    .details("""
                            Prints one line per violation on standard error, as `path: message`, and exits 2;
                            prints a one-line summary and exits 0 when the document is valid. The document is
                            {"subnet": {...}, "pool": {...}, "vip": {...}, "members": [...], "health_monitors": [...]}
                            with Neutron LBaaS v1 attribute names (see lbaas-cli/examples/web.json).""")
                    .handledBy(ValidateCommand::run),
            CommandSpec.named("render", "print the HAProxy configuration the haproxy-ns driver would run")
                    .operand("FILE", "the load balancer document (JSON); - reads standard input")
                    .option(STATE_DIR)
                    .details("""
                            The configuration is built by the driver itself, exactly as `lbaas deploy` would write
                            it (the stats socket path depends on --state-dir). Nothing is started or changed.""")
                    .handledBy(RenderCommand::run),
            CommandSpec.named("drivers", "list the discovered drivers and their capabilities")
                    .handledBy(DriversCommand::run),
            CommandSpec.named("deploy", "deploy a load balancer document with HAProxy in a network namespace")
                    .operand("FILE", "the load balancer document (JSON); - reads standard input")
                    .option(STATE_DIR).option(INTERFACE_DRIVER).option(BRIDGE).option(NAMESPACE_PREFIX)
                    .option(OptionSpec.flag("dry-run",
                            "change nothing: print the configuration and every command a deploy would run"))
                    .details("""
                            Goes through LoadBalancerService, as an application would: creates the pool, its members
                            and health monitors, associates them and creates the VIP, each under the document's id,
                            then prints the pool id. Deploying a document again (after a failure or a kill) creates
                            what is missing and accepts what exists. If a first deploy fails, what it created is
                            removed again. Needs root (network namespaces), except with --dry-run.""")
                    .handledBy(DeployCommands::deploy),
            CommandSpec.named("update", "change a deployed load balancer to match its document")
                    .operand("FILE", "the load balancer document of a deployed pool (same pool id)")
                    .option(STATE_DIR).option(INTERFACE_DRIVER).option(BRIDGE).option(NAMESPACE_PREFIX)
                    .details("""
                            Applies only the differences, object by object (member changes go through HAProxy's
                            runtime API where possible, without a reload). Attributes that LBaaS v1 fixes at
                            creation (protocol, addresses) are replaced by removing and re-creating the object.""")
                    .handledBy(DeployCommands::update),
            CommandSpec.named("undeploy", "remove a deployed load balancer and everything made for it")
                    .operand("POOL_ID", "the document's pool id, which deploy prints")
                    .option(STATE_DIR)
                    .handledBy(DeployCommands::undeploy),
            CommandSpec.named("status", "list deployed load balancers: namespace, pid, status, member health")
                    .option(STATE_DIR)
                    .handledBy(DeployCommands::status),
            CommandSpec.named("stats", "print a pool's statistics (Neutron JSON) and its members' health")
                    .operand("POOL_ID", "the document's pool id, which deploy prints")
                    .option(STATE_DIR)
                    .handledBy(DeployCommands::stats),
            CommandSpec.named("reconcile", "repair what runs so that it matches what is deployed")
                    .option(STATE_DIR).option(INTERFACE_DRIVER).option(BRIDGE).option(NAMESPACE_PREFIX)
                    .details("""
                            Adopts healthy HAProxy instances without restarting them, restarts crashed ones and
                            removes instances (namespaces, processes, files) of pools that are not deployed.
                            Exits 1 if a load balancer could not be repaired.""")
                    .handledBy(DeployCommands::reconcile),
            CommandSpec.named("demo", "build a small world in namespaces and watch a load balancer work")
                    .option(OptionSpec.flag("dry-run",
                            "change nothing, root not needed: print the configuration and every command the demo would run"))
                    .option(OptionSpec.flag("no-install", "never install missing packages, only name them"))
                    .details("""
                            Creates a bridge, three backend HTTP servers and a client in their own network namespaces,
                            deploys an HTTP load balancer with an HTTP health monitor and HTTP_COOKIE persistence,
                            sends traffic and shows how it spreads, makes one backend fail its health check and shows
                            the monitor take it out, shows live statistics, and removes everything it created, also
                            on Ctrl-C. Needs root; on a Debian-family system it installs haproxy, iproute2 and curl
                            when they are missing (saying so). Takes well under a minute.""")
                    .handledBy(DemoCommand::run),
            CommandSpec.named("bench", "measure how many load balancers this machine carries (capacity)")
                    .operand("BENCHMARK", "the benchmark to run: capacity")
                    .option(OptionSpec.value("count", "N", "capacity: how many load balancers to create, 1 to 1022 (required)"))
                    .option(OptionSpec.value("out", "DIR",
                            "where the tables (CSV, Markdown) and the plot (capacity.png) go (default: capacity-N)"))
                    .details("""
                            capacity deploys N load balancers one after another through LoadBalancerService and the
                            haproxy-ns driver (each: a VIP in its own namespace, two members in a shared backend
                            namespace, an HTTP health monitor), checks that each answers HTTP through its VIP, and
                            records create-to-serving latency, HAProxy and JVM memory, health-check CPU, one statistics
                            sweep, a reconcile after a simulated JVM restart and the teardown. Everything it creates
                            has a random lbt... name and is removed at the end, also on Ctrl-C. Needs root, haproxy, ip
                            and curl; N = 1000 takes about 6 minutes. Progress goes to standard error, the tables to
                            standard output. Exits 1 if a load balancer did not serve or something was left behind.""")
                    .handledBy(BenchCommand::run),
            CommandSpec.named("serve", "serve the Neutron LBaaS v1 REST API for neutron lb-* clients")
                    .option(OptionSpec.value("port", "N", "TCP port (default 9696)"))
                    .option(OptionSpec.value("bind", "ADDRESS", "address to listen on (default 127.0.0.1)"))
                    .option(OptionSpec.value("driver", "NAME", "the driver that carries the load balancers (default haproxy-ns)"))
                    .option(OptionSpec.value("state-dir", "DIR", "keep objects in DIR/store and HAProxy instances in DIR/haproxy"))
                    .option(OptionSpec.value("subnets", "FILE", "the subnets clients may use, as {\"subnets\": [...]} in Neutron's form"))
                    .option(OptionSpec.value("token", "TOKEN", "the token clients send as X-Auth-Token (default $LBAAS_TOKEN, else a printed random one)"))
                    .option(OptionSpec.value("tenant", "ID", "the tenant that token acts as (default demo)"))
                    .option(INTERFACE_DRIVER).option(BRIDGE).option(NAMESPACE_PREFIX)
                    .option(OptionSpec.value("driver-setting", "KEY=VALUE[,KEY=VALUE...]",
                            "more driver settings (see the driver's documentation)"))
                    .details("""
                            Starts lbaas-rest's embedded server over LoadBalancerService and the chosen driver and
                            blocks until it is stopped (Ctrl-C). Point the neutron client at it with
                            OS_AUTH_TYPE=token_endpoint OS_TOKEN=<token> OS_URL=http://<bind>:<port>.
                            With --state-dir, the interface driver, bridge and namespace prefix are stored with
                            the state directory, as deploy stores them, and used again by later commands.""")
                    .handledBy(ServeCommand::run));

    private final Io io;

    Cli(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    /** Returns every command, in the order the help lists them. */
    static List<CommandSpec> commands() {
        return COMMANDS;
    }

    static Optional<CommandSpec> command(String name) {
        return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments after {@code lbaas}
     * @return the exit status
     */
    int run(String... args) {
        Objects.requireNonNull(args, "args");
        String name = "lbaas";
        try {
            if (args.length == 0) {
                io.err().print(Help.global(COMMANDS, GLOBAL_OPTIONS));
                return CliException.INVALID_INPUT;
            }
            int first = 0;
            while (first < args.length && args[first].equals("--verbose")) {
                first++;
            }
            if (first == args.length) {
                throw new UsageException("lbaas: no command given (see 'lbaas --help')");
            }
            String word = args[first];
            if (word.equals("--help") || word.equals("-h")) {
                io.out().print(Help.global(COMMANDS, GLOBAL_OPTIONS));
                return 0;
            }
            if (word.equals("--version")) {
                io.out().println("lbaas " + version());
                return 0;
            }
            if (word.equals("help")) {
                if (first + 1 < args.length) {
                    String topic = args[first + 1];
                    CommandSpec c = command(topic).orElseThrow(() -> unknownCommand(topic));
                    io.out().print(Help.command(c, GLOBAL_OPTIONS));
                } else {
                    io.out().print(Help.global(COMMANDS, GLOBAL_OPTIONS));
                }
                return 0;
            }
            if (word.startsWith("-")) {
                throw new UsageException("lbaas: unknown option " + word + " before the command (see 'lbaas --help')");
            }
            CommandSpec spec = command(word).orElseThrow(() -> unknownCommand(word));
            name = "lbaas " + spec.name();
            Optional<Invocation> invocation = parse(spec, args, first, first + 1);
            if (invocation.isEmpty()) {
                io.out().print(Help.command(spec, GLOBAL_OPTIONS));
                return 0;
            }
            return spec.handler().run(invocation.get());
        } catch (RuntimeException | Error e) {
            CliException failure = Failures.of(name, e);
            Failures.capped(failure.lines()).forEach(io.err()::println);
            if (!(failure instanceof UsageException) && !(failure instanceof InvalidInputException)) {
                Throwable cause = failure.getCause() == null ? e : failure.getCause();
                LOG.debug("{} failed", name, cause);
            }
            return failure.exitCode();
        } finally {
            io.out().flush();
            io.err().flush();
        }
    }

    private static UsageException unknownCommand(String word) {
        return new UsageException("lbaas: unknown command '" + word + "'; commands: "
                + String.join(", ", COMMANDS.stream().map(CommandSpec::name).toList()));
    }

    /**
     * Parses the arguments of one command; empty when help was asked for.
     *
     * @param spec the command
     * @param args all arguments
     * @param leadingVerbose how many {@code --verbose} came before the command word
     * @param from the index of the first argument after the command word
     */
    private Optional<Invocation> parse(CommandSpec spec, String[] args, int leadingVerbose, int from) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> operands = new java.util.ArrayList<>();
        int verbosity = leadingVerbose;
        boolean optionsEnded = false;
        String where = "lbaas " + spec.name();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || a.equals("-") || !a.startsWith("-")) {
                operands.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (a.equals("-h")) {
                return Optional.empty();
            }
            if (!a.startsWith("--")) {
                throw new UsageException(where + ": unknown option " + a + " (options are long, such as --help;"
                        + " see 'lbaas " + spec.name() + " --help')");
            }
            int eq = a.indexOf('=');
            String optName = a.substring(2, eq < 0 ? a.length() : eq);
            Optional<String> inline = eq < 0 ? Optional.empty() : Optional.of(a.substring(eq + 1));
            OptionSpec o = spec.option(optName)
                    .or(() -> GLOBAL_OPTIONS.stream().filter(g -> g.name().equals(optName)).findFirst())
                    .orElseThrow(() -> new UsageException(where + ": unknown option --" + optName
                            + " (see 'lbaas " + spec.name() + " --help')"));
            if (o == HELP) {
                return Optional.empty();
            }
            if (!o.takesValue()) {
                if (inline.isPresent()) {
                    throw new UsageException(where + ": option --" + optName + " takes no value");
                }
                if (o == VERBOSE) {
                    verbosity++;
                }
                options.put(optName, "true");
                continue;
            }
            String value;
            if (inline.isPresent()) {
                value = inline.get();
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(where + ": option --" + optName + " needs a value " + o.valueName().orElseThrow());
            }
            if (value.isEmpty()) {
                throw new UsageException(where + ": option --" + optName + " needs a non-empty value");
            }
            if (!o.choices().isEmpty() && !o.choices().contains(value)) {
                throw new UsageException(where + ": --" + optName + " must be one of " + String.join(", ", o.choices())
                        + ", not '" + value + "'");
            }
            if (options.containsKey(optName)) {
                throw new UsageException(where + ": option --" + optName + " is given twice");
            }
            options.put(optName, value);
        }
        if (operands.size() < spec.operands().size()) {
            String missing = spec.operands().get(operands.size()).name();
            throw new UsageException(where + ": missing argument " + missing + " (usage: " + Help.usage(spec) + ")");
        }
        if (operands.size() > spec.operands().size()) {
            throw new UsageException(where + ": unexpected argument '" + operands.get(spec.operands().size())
                    + "' (usage: " + Help.usage(spec) + ")");
        }
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < operands.size(); i++) {
            byName.put(spec.operands().get(i).name(), operands.get(i));
        }
        return Optional.of(new Invocation(spec, byName, options, verbosity, io));
    }

    static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}

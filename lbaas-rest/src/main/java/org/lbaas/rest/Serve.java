package org.lbaas.rest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.Subnet;

/**
 * {@code lbaas serve}: the Neutron LBaaS v1 API stand-alone, over a driver found by name.
 *
 * <pre>
 * serve [--port N] [--bind ADDRESS] [--driver NAME] [--state-dir DIR] [--subnets FILE]
 *       [--token TOKEN] [--tenant TENANT] [--admin] [--namespace-prefix PREFIX] [--bridge NAME]
 *       [--interface-driver KIND] [--driver-setting KEY=VALUE]... [--max-body-bytes N] [--verbose]
 * </pre>
 * <ul>
 *   <li>{@code --port} default {@value LbaasRestServer#NEUTRON_PORT}; {@code --bind} default the
 *       loopback address;</li>
 *   <li>{@code --driver} default {@code haproxy-ns}; the driver must be on the class path;</li>
 *   <li>{@code --state-dir}: objects are kept durably in {@code DIR/store} (otherwise in memory,
 *       lost on exit); for {@code haproxy-ns} the driver's {@code state_dir} defaults to
 *       {@code DIR/haproxy};</li>
 *   <li>{@code --subnets}: a JSON file {@code {"subnets": [{"id", "name", "cidr", "gateway_ip"}, ...]}},
 *       the subnets pools and VIPs may use (none otherwise);</li>
 *   <li>{@code --token} (else {@code $LBAAS_TOKEN}, else a random one, printed) is the one token
 *       accepted, acting for {@code --tenant} (default {@code demo}), as an administrator with
 *       {@code --admin};</li>
 *   <li>{@code --namespace-prefix}, {@code --bridge} and {@code --interface-driver} set the
 *       driver settings {@code namespace_prefix}, {@code bridge} and {@code interface_driver}
 *       (see {@code HaproxySettings}); {@code --driver-setting} passes any setting to the driver
 *       (repeatable; the named options win over it);</li>
 *   <li>{@code --verbose} adds the stack trace to a failure to start, which is otherwise one
 *       line.</li>
 * </ul>
 * It serves until the process is stopped (SIGINT or SIGTERM), then stops the server, the service
 * and the driver; the load balancers the driver runs keep running.
 */
public final class Serve {

    /** The driver used when {@code --driver} is not given. */
    public static final String DEFAULT_DRIVER = "haproxy-ns";

    private static final String USAGE = "usage: serve [--port N] [--bind ADDRESS] [--driver NAME] [--state-dir DIR] "
            + "[--subnets FILE] [--token TOKEN] [--tenant TENANT] [--admin] [--namespace-prefix PREFIX] [--bridge NAME] "
            + "[--interface-driver KIND] [--driver-setting KEY=VALUE]... [--max-body-bytes N] [--verbose]";

    /** The options that name one driver setting each, and the setting. */
    private static final Map<String, String> SETTING_OPTIONS = Map.of("--namespace-prefix", "namespace_prefix",
            "--bridge", "bridge", "--interface-driver", "interface_driver");

    private final LoadBalancerDriver driver;
    private final LoadBalancerService service;
    private final LbaasRestServer server;

    private Serve(LoadBalancerDriver driver, LoadBalancerService service, LbaasRestServer server) {
        this.driver = driver;
        this.service = service;
        this.server = server;
    }

    /**
     * Runs the server until the process is stopped; exits with status 2 on a usage error and 1
     * when it cannot start.
     *
     * @param args the arguments above
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Starts the server and blocks until the JVM shuts down (or the calling thread is
     * interrupted), for a command-line front end that owns the process.
     *
     * @param args the arguments above
     * @param out where the endpoint is announced
     * @param err where problems are reported
     * @return 0 after a normal stop, 2 for a usage error, 1 when the server could not start
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run("serve", args, out, err, true);
    }

    /**
     * Starts the server and blocks like {@link #run(String[], PrintStream, PrintStream)}, for a
     * front end with its own name and help: a usage error or a failure to start is reported as
     * one line, {@code NAME: message} (with the stack trace only under {@code --verbose}).
     *
     * @param name the command's name for messages, such as {@code lbaas serve}
     * @param args the arguments above
     * @param out where the endpoint is announced
     * @param err where problems are reported
     * @param usage whether a usage error is followed by the usage line
     * @return 0 after a normal stop, 2 for a usage error, 1 when the server could not start
     */
    public static int run(String name, String[] args, PrintStream out, PrintStream err, boolean usage) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(args, "args");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            if (usage) {
                err.println(USAGE);
            }
            return 2;
        }
        if (options.help) {
            out.println(USAGE);
            return 0;
        }
        Serve running;
        try {
            running = start(options, out);
        } catch (RuntimeException e) {
            err.println(name + ": cannot start: " + oneLine(e));
            if (options.verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "lbaas-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            running.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A failure's message on one line, with its cause's where the message alone says little. */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null && !m.contains(e.getCause().getMessage())) {
            m = m + ": " + e.getCause().getMessage();
        }
        return m.replaceAll("\\s*\\R\\s*", "; ").strip();
    }

    /** Starts everything an {@link Options} describes; the caller closes the result. */
    static Serve start(Options o, PrintStream out) {
        SubnetRegistry subnets = SubnetRegistry.of(o.subnets.toArray(new Subnet[0]));
        Map<String, String> settings = new LinkedHashMap<>(o.driverSettings);
        if (o.stateDir.isPresent() && o.driver.equals("haproxy-ns")) {
            settings.putIfAbsent("state_dir", o.stateDir.get().resolve("haproxy").toString());
        }
        LoadBalancerDriver driver = Drivers.provider(o.driver)
                .create(new DriverConfig(settings, ShellExecutor.system(), Clock.systemUTC()));
        LoadBalancerService service = null;
        try {
            Repository repository = o.stateDir.map(d -> Repository.fileStore(d.resolve("store"))).orElseGet(Repository::inMemory);
            service = LoadBalancerService.builder().driver(driver).repository(repository).subnets(subnets)
                    .providerName(o.driver).build();
            LbaasRestServer server = LbaasRestServer.builder().service(service).subnets(subnets)
                    .auth(Authenticator.staticTokens(Map.of(o.token, new Caller(o.tenant, o.admin))))
                    .bindAddress(o.bind).port(o.port).maxBodyBytes(o.maxBodyBytes).build().start();
            out.println("lbaas serve: Neutron LBaaS v1 API at " + server.endpoint() + "/v2.0 (driver " + o.driver
                    + ", tenant " + o.tenant + (o.admin ? ", admin" : "") + ", " + o.subnets.size() + " subnet(s)"
                    + (o.stateDir.isPresent() ? ", state in " + o.stateDir.get() : ", state in memory") + ")");
            out.println("  export OS_AUTH_TYPE=token_endpoint OS_URL=" + server.endpoint() + " OS_TOKEN="
                    + (o.tokenGenerated ? o.token : "<your token>"));
            out.flush();
            return new Serve(driver, service, server);
        } catch (RuntimeException e) {
            if (service != null) {
                service.close();
            }
            driver.close();
            throw e;
        }
    }

    /** Returns the running server. */
    LbaasRestServer server() {
        return server;
    }

    /** Stops the server, then the service, then the driver. */
    void close() {
        try {
            server.close();
        } finally {
            try {
                service.close();
            } finally {
                driver.close();
            }
        }
    }

    /** The parsed command line. */
    static final class Options {
        int port = LbaasRestServer.NEUTRON_PORT;
        InetAddress bind = InetAddress.getLoopbackAddress();
        String driver = DEFAULT_DRIVER;
        Optional<Path> stateDir = Optional.empty();
        List<Subnet> subnets = List.of();
        String token;
        boolean tokenGenerated;
        String tenant = "demo";
        boolean admin;
        Map<String, String> driverSettings = new LinkedHashMap<>();
        int maxBodyBytes = 64 * 1024;
        boolean help;
        boolean verbose;

        static Options parse(String[] args) {
            return parse(args, Optional.ofNullable(System.getenv("LBAAS_TOKEN")));
        }

        static Options parse(String[] args, Optional<String> envToken) {
            Options o = new Options();
            Map<String, String> named = new LinkedHashMap<>();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String arg = rest.remove(0);
                String name = arg;
                Optional<String> inline = Optional.empty();
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    inline = Optional.of(arg.substring(eq + 1));
                }
                switch (name) {
                    case "--help", "-h" -> o.help = true;
                    case "--admin" -> o.admin = true;
                    case "--verbose" -> o.verbose = true;
                    case "--namespace-prefix", "--bridge", "--interface-driver" -> {
                        String v = value(name, inline, rest);
                        if (v.isBlank()) {
                            throw new IllegalArgumentException(name + " must not be blank");
                        }
                        named.put(SETTING_OPTIONS.get(name), v);
                    }
                    case "--port" -> o.port = number(name, value(name, inline, rest), 0, 65535);
                    case "--bind" -> o.bind = address(value(name, inline, rest));
                    case "--driver" -> o.driver = value(name, inline, rest);
                    case "--state-dir" -> o.stateDir = Optional.of(Path.of(value(name, inline, rest)).toAbsolutePath().normalize());
                    case "--subnets" -> o.subnets = subnets(Path.of(value(name, inline, rest)));
                    case "--token" -> o.token = value(name, inline, rest);
                    case "--tenant" -> o.tenant = value(name, inline, rest);
                    case "--max-body-bytes" -> o.maxBodyBytes = number(name, value(name, inline, rest), 1, Integer.MAX_VALUE);
                    case "--driver-setting" -> {
                        String kv = value(name, inline, rest);
                        int at = kv.indexOf('=');
                        if (at <= 0) {
                            throw new IllegalArgumentException("--driver-setting wants KEY=VALUE, not " + kv);
                        }
                        o.driverSettings.put(kv.substring(0, at), kv.substring(at + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            o.driverSettings.putAll(named);
            if (o.tenant.isBlank()) {
                throw new IllegalArgumentException("--tenant must not be blank");
            }
            if (o.token == null) {
                o.token = envToken.filter(t -> !t.isBlank()).orElse(null);
            }
            if (o.token == null) {
                byte[] random = new byte[16];
                new SecureRandom().nextBytes(random);
                o.token = HexFormat.of().formatHex(random);
                o.tokenGenerated = true;
            } else if (o.token.isBlank()) {
                throw new IllegalArgumentException("--token must not be blank");
            }
            return o;
        }

        private static String value(String name, Optional<String> inline, List<String> rest) {
            if (inline.isPresent()) {
                return inline.get();
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return rest.remove(0);
        }

        private static int number(String name, String raw, int min, int max) {
            try {
                int n = Integer.parseInt(raw);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a number in " + min + ".." + max + ", not " + raw);
        }

        private static InetAddress address(String raw) {
            if (!raw.matches("[0-9a-fA-F.:]+")) {
                throw new IllegalArgumentException("--bind must be an IP address literal, not " + raw);
            }
            try {
                return InetAddress.getByName(raw);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind must be an IP address literal, not " + raw, e);
            }
        }

        private static List<Subnet> subnets(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--subnets: cannot read " + file + ": " + e.getMessage(), e);
            }
            try {
                return NeutronJson.standard().readSubnets(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--subnets: " + file + ": " + e.getMessage(), e);
            }
        }
    }
}

package org.lbaas.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.json.NeutronJson;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.cluster.Scheduler;
import org.lbaas.cluster.ZooKeeperRepository;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.Subnet;
import org.lbaas.rest.Authenticator;
import org.lbaas.rest.Caller;
import org.lbaas.rest.LbaasRestServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lbaas serve}: the Neutron LBaaS v1 API stand-alone, an {@link LbaasRestServer} over a
 * {@link LoadBalancerService} and a driver found by name, until the process is stopped (SIGINT or
 * SIGTERM) or the thread is interrupted; then the server, the service and the driver stop, and the
 * load balancers the driver runs keep running.
 *
 * <p>Every option reaches the server: {@code --port}, {@code --bind} and {@code --max-body-bytes}
 * the server, {@code --token}, {@code --tenant} and {@code --admin} its authenticator,
 * {@code --subnets} the subnets pools and VIPs may use, {@code --state-dir} the durable store
 * ({@code DIR/store}; otherwise objects are kept in memory) and, for {@code haproxy-ns}, the
 * driver's {@code state_dir} ({@code DIR/haproxy}).
 *
 * <p>Driver settings: {@code --namespace-prefix}, {@code --bridge}, {@code --interface-driver}
 * and {@code --driver-setting KEY=VALUE} (repeatable, or {@code KEY=VALUE,KEY=VALUE}) all reach
 * the driver; the named options win over a {@code --driver-setting} of the same key. With
 * {@code --state-dir}, the settings a state directory remembers (interface driver, bridge,
 * namespace prefix; given by their options or as {@code --driver-setting}) are stored with it
 * exactly as {@code deploy} stores them, and a later {@code serve} or {@code deploy} on the same
 * directory uses them unless an option overrides them; other {@code --driver-setting}s apply to
 * this run only.
 *
 * <p>{@code --metrics [ADDRESS:PORT]} (default {@code 127.0.0.1:9464}) serves the service's and the
 * server's meters in Prometheus text format at {@code GET /metrics} on a listener of its own
 * ({@link MetricsEndpoint}), per load balancer counters read from the driver every
 * {@code --pool-metrics-interval} included.
 *
 * <p>{@code --zookeeper HOST:PORT[,...]} makes this process a controller of a cluster
 * ({@link ClusterControl}): the objects are kept in ZooKeeper under {@code --root}, the load
 * balancers are run by the {@code lbaas agent}s, and a scheduler runs here (the one of the
 * elected controller places them). The driver options describe the agents' driver: a local
 * instance of it, built from the same options (with {@code placement=split} for active/standby
 * pairs, as the agents build theirs), gives the capabilities the service checks requests against;
 * it runs nothing. {@code --state-dir} is refused with {@code --zookeeper}.
 */
@Command(name = "serve", description = "serve the Neutron LBaaS v1 REST API for neutron lb-* clients",
        footer = {"Starts an embedded REST server over LoadBalancerService and the chosen driver and blocks until it is"
                + " stopped (Ctrl-C). Point the neutron client at it with OS_AUTH_TYPE=token_endpoint OS_TOKEN=<token>"
                + " OS_URL=http://<bind>:<port>. With --state-dir, the interface driver, bridge and namespace prefix are"
                + " stored with the state directory, as deploy stores them, and used again by later commands.",
            "", "With --zookeeper this process is a controller of a cluster: objects are kept in ZooKeeper (under --root),"
                + " the load balancers run on the nodes that run 'lbaas agent' against the same ZooKeeper, and a scheduler"
                + " here (active while this controller is the elected leader) places each one on the least loaded agents and"
                + " moves those of an agent that has been gone for --grace. The driver options must describe the agents'"
                + " driver: the API accepts what it supports. Without --zookeeper nothing changes."})
final class ServeCommand extends Shared.DriverCommand {

    /** The largest request body accepted when {@code --max-body-bytes} is not given. */
    static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    @Option(names = "--port", paramLabel = "N", converter = Port.class,
            description = "TCP port (default " + LbaasRestServer.NEUTRON_PORT + ")")
    int port = LbaasRestServer.NEUTRON_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS", converter = Address.class,
            description = "address to listen on, an IP address literal (default 127.0.0.1)")
    InetAddress bind = InetAddress.getLoopbackAddress();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "keep objects in DIR/store and HAProxy instances in DIR/haproxy (default: in memory, lost on exit)")
    String stateDir;

    @Option(names = "--subnets", paramLabel = "FILE", converter = SubnetsFile.class,
            description = "the subnets clients may use, as {\"subnets\": [...]} in Neutron's form (default: none)")
    SubnetsFile.Subnets subnets = new SubnetsFile.Subnets(List.of());

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "the token clients send as X-Auth-Token (default $LBAAS_TOKEN, else a printed random one)")
    String token;

    @Option(names = "--tenant", paramLabel = "ID", description = "the tenant that token acts as (default demo)")
    String tenant = "demo";

    @Option(names = "--admin", description = "the token acts as an administrator (sees and changes every tenant's objects)")
    boolean admin;

    @Option(names = "--max-body-bytes", paramLabel = "N", converter = BodyLimit.class,
            description = "the largest request body accepted, in bytes (default " + DEFAULT_MAX_BODY_BYTES + ")")
    int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    /** Where {@code --metrics} without a value listens. */
    static final String DEFAULT_METRICS = "127.0.0.1:9464";

    @Option(names = "--metrics", paramLabel = "ADDRESS:PORT", arity = "0..1", fallbackValue = DEFAULT_METRICS,
            converter = Listen.class,
            description = "serve Prometheus metrics at http://ADDRESS:PORT/metrics, no token needed (default when given"
                    + " without a value: " + DEFAULT_METRICS + "; port 0: any free port)")
    InetSocketAddress metrics;

    @Option(names = "--pool-metrics-interval", paramLabel = "DURATION", converter = Interval.class,
            description = "with --metrics, how often each load balancer's counters are read from the driver, such as 10s"
                    + " or 500ms; 0 for no per-load-balancer meters (default 10s)")
    Duration poolMetricsInterval = Duration.ofSeconds(10);

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--grace", paramLabel = "DURATION", converter = ClusterOptions.Positive.class,
            description = "with --zookeeper: how long a dead agent's registration must be gone before the scheduler moves"
                    + " its load balancers to other agents (default 2s)")
    Duration grace = Scheduler.DEFAULT_GRACE;

    @Override
    public Integer call() {
        Running running;
        try {
            running = start();
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            err().println(name() + ": cannot start: " + oneLine(e));
            if (verbosity() > 0) {
                e.printStackTrace(err());
            }
            return CliException.FAILURE;
        }
        untilStopped("lbaas-serve-shutdown", running::close);
        return 0;
    }

    /**
     * Blocks until the process is stopped (SIGINT, SIGTERM: a shutdown hook) or the thread is
     * interrupted, then runs {@code close} once.
     */
    static void untilStopped(String hookName, Runnable close) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            close.run();
            stopped.countDown();
        }, hookName);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return; // the hook closes
            }
            close.run();
            Thread.currentThread().interrupt();
        }
    }

    /** The token clients must send, and whether it was made up here (then it is printed). */
    record Token(String value, boolean generated) {
    }

    /** {@code --token}, else {@code $LBAAS_TOKEN}, else a random one. */
    Token token() {
        if (token != null) {
            return new Token(token, false);
        }
        Optional<String> env = host().env("LBAAS_TOKEN").filter(t -> !t.isBlank());
        if (env.isPresent()) {
            return new Token(env.get(), false);
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return new Token(HexFormat.of().formatHex(random), true);
    }

    /** The state directory, when {@code --state-dir} is given. */
    Optional<StateDir> stateDir() {
        return stateDir == null ? Optional.empty() : Optional.of(StateDir.of(name(), Optional.of(stateDir), host()));
    }

    /** Starts the driver, the service and the server, and announces the endpoint; the caller closes the result. */
    Running start() {
        if (cluster.given().isPresent()) {
            if (stateDir != null) {
                throw new UsageException(name() + ": --state-dir: not with --zookeeper (the desired state is kept in ZooKeeper,"
                        + " the instances by the agents)");
            }
            return startController();
        }
        Optional<StateDir> dir = stateDir();
        Map<String, String> settings = settings(dir);
        LoadBalancerDriver d = createDriver(settings);
        Repository repository = dir.map(s -> Repository.fileStore(s.store())).orElseGet(Repository::inMemory);
        return start(d, repository, dir.map(s -> ", state in " + s.root()).orElse(", state in memory"), () -> { });
    }

    /**
     * {@code --zookeeper}: the service over the cluster (a {@link ZooKeeperRepository} and a
     * {@link org.lbaas.cluster.ClusterDriver} with the capabilities of the agents' driver, built
     * here from the same driver options), and a scheduler in this process.
     */
    private Running startController() {
        Map<String, String> settings = settings(Optional.empty());
        Capabilities capabilities;
        try (LoadBalancerDriver local = createDriver(splitPairs(settings)
                ? ordinalSettings(settings, 0, Optional.empty()) : settings)) {
            capabilities = local.capabilities();
        }
        CuratorFramework client = cluster.connect(name());
        ClusterControl control;
        try {
            control = ClusterControl.start(client, cluster.root, capabilities, grace, ClusterControl.schedulerId("serve"));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return start(control.driver(), control.repository(), ", state in ZooKeeper at " + cluster.zookeeper + " under "
                + cluster.root + ", scheduler " + control.scheduler().id(), () -> {
                    try {
                        control.scheduler().close();
                    } finally {
                        client.close();
                    }
                });
    }

    private Running start(LoadBalancerDriver d, Repository repository, String where, Runnable after) {
        Token t = token();
        SubnetRegistry registry = SubnetRegistry.of(subnets.list().toArray(new Subnet[0]));
        LoadBalancerService service = null;
        LbaasRestServer server = null;
        Optional<PrometheusMeterRegistry> meters = Optional.ofNullable(metrics).map(m -> processMeters());
        try {
            LoadBalancerService.Builder sb = LoadBalancerService.builder().driver(d).repository(repository).subnets(registry)
                    .providerName(driver);
            meters.ifPresent(m -> sb.meterRegistry(m).poolMetricsInterval(poolMetricsInterval));
            service = sb.build();
            LbaasRestServer.Builder rb = LbaasRestServer.builder().service(service).subnets(registry)
                    .auth(Authenticator.staticTokens(Map.of(t.value(), new Caller(tenant, admin))))
                    .bindAddress(bind).port(port).maxBodyBytes(maxBodyBytes);
            meters.ifPresent(rb::meterRegistry);
            server = rb.build().start();
            Optional<MetricsEndpoint> endpoint = meters.map(m -> MetricsEndpoint.start(m, metrics));
            out().println(name() + ": Neutron LBaaS v1 API at " + server.endpoint() + "/v2.0 (driver " + driver
                    + ", tenant " + tenant + (admin ? ", admin" : "") + ", " + subnets.list().size() + " subnet(s)"
                    + where + ")");
            out().println("  export OS_AUTH_TYPE=token_endpoint OS_URL=" + server.endpoint() + " OS_TOKEN="
                    + (t.generated() ? t.value() : "<your token>"));
            endpoint.ifPresent(e -> out().println("  metrics in Prometheus text format at " + e.uri()));
            out().flush();
            return new Running(d, service, server, endpoint, after);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (service != null) {
                service.close();
            }
            d.close();
            after.run();
            throw e;
        }
    }

    /**
     * A Prometheus registry with the process's own meters besides lbaas': JVM memory, garbage
     * collection, threads and class loading, CPU, open files and uptime (Micrometer's binders), as
     * an operator expects of any JVM service they scrape.
     */
    private static PrometheusMeterRegistry processMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        @SuppressWarnings("resource") // closed with the registry's meters when the process ends
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return registry;
    }

    /** A failure's message on one line, with its cause's where the message alone says little. */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null && !m.contains(e.getCause().getMessage())) {
            m = m + ": " + e.getCause().getMessage();
        }
        return CliException.oneLine(m);
    }

    /**
     * A started server with its service and driver.
     *
     * @param driver the driver
     * @param service the service over it
     * @param server the server over the service
     * @param metrics the {@code --metrics} listener, if asked for
     * @param after what runs last (with {@code --zookeeper}: the scheduler and the ZooKeeper client stop)
     */
    record Running(LoadBalancerDriver driver, LoadBalancerService service, LbaasRestServer server,
                   Optional<MetricsEndpoint> metrics, Runnable after) implements AutoCloseable {

        Running {
            Objects.requireNonNull(driver, "driver");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(after, "after");
        }

        /** Stops the metrics listener and the server, then the service, then the driver, then {@code after}. */
        @Override
        public void close() {
            try {
                metrics.ifPresent(MetricsEndpoint::close);
                server.close();
            } finally {
                try {
                    service.close();
                } finally {
                    try {
                        driver.close();
                    } finally {
                        after.run();
                    }
                }
            }
        }
    }

    /**
     * One {@code --driver-setting}.
     *
     * @param key the setting's name
     * @param value its value
     */
    record Setting(String key, String value) {

        /** {@code KEY=VALUE}, key and value stripped. */
        static final class Parser implements ITypeConverter<Setting> {
            @Override
            public Setting convert(String text) {
                int at = text.indexOf('=');
                if (at <= 0 || text.substring(0, at).isBlank()) {
                    throw new TypeConversionException("wants KEY=VALUE[,KEY=VALUE...], not '" + text + "'");
                }
                return new Setting(text.substring(0, at).strip(), text.substring(at + 1).strip());
            }
        }
    }

    /** {@code --port}: 0 (any free port) to 65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return number(text, 0, 65535);
        }
    }

    /** {@code --max-body-bytes}: at least 1. */
    static final class BodyLimit implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return number(text, 1, Integer.MAX_VALUE);
        }
    }

    private static int number(String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("must be a number in " + min + ".." + max + ", not " + text);
    }

    /** {@code --metrics}: {@code ADDRESS:PORT} ({@code [v6]:PORT} for IPv6), the address an IP literal. */
    static final class Listen implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("wants ADDRESS:PORT, such as " + DEFAULT_METRICS + ", not '" + text + "'");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(new Address().convert(host), number(text.substring(colon + 1), 0, 65535));
        }
    }

    /** {@code --pool-metrics-interval}: {@code 0}, {@code <n>ms} or {@code <n>s}. */
    static final class Interval implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            if (text.matches("[1-9][0-9]{0,8}ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.matches("[1-9][0-9]{0,6}s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            throw new TypeConversionException("wants 0, <n>ms or <n>s (such as 10s), not '" + text + "'");
        }
    }

    /** {@code --bind}: an IP address literal, never a host name to look up. */
    static final class Address implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String text) {
            if (text.matches("[0-9a-fA-F.:]+")) {
                try {
                    return InetAddress.getByName(text);
                } catch (UnknownHostException e) {
                    // reported below
                }
            }
            throw new TypeConversionException("must be an IP address literal, not " + text);
        }
    }

    /** {@code --subnets}: a file {@code {"subnets": [...]}}, read and checked when the option is parsed. */
    static final class SubnetsFile implements ITypeConverter<SubnetsFile.Subnets> {

        /** The subnets a file declares. */
        record Subnets(List<Subnet> list) {
            Subnets {
                list = List.copyOf(list);
            }
        }

        @Override
        public Subnets convert(String text) {
            Path file = Path.of(text);
            String json;
            try {
                json = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TypeConversionException("cannot read " + file + ": " + e);
            }
            try {
                return new Subnets(NeutronJson.standard().readSubnets(json));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(file + ": " + CliException.oneLine(String.valueOf(e.getMessage())));
            }
        }
    }
}

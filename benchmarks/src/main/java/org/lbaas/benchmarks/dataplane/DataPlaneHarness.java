package org.lbaas.benchmarks.dataplane;

import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.lbaas.benchmarks.Teardown;
import org.lbaas.benchmarks.client.AgentProcess;
import org.lbaas.benchmarks.client.ClientAgent;
import org.lbaas.benchmarks.dataplane.DataPlaneResult.Figure;
import org.lbaas.benchmarks.dataplane.DataPlaneResult.Load;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.lbaas.lab.netns.CleanupHook;
import org.lbaas.lab.netns.Leftovers;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * Measures the data plane of the {@code haproxy-ns} driver against the naive shell sequence, in one
 * run on one machine, so that the figures can be compared as ratios (issue 5, "Performance").
 *
 * <p>On a {@link NetnsTopology} (bridge, client namespace, backends {@code a b c} running test
 * backends) it measures, alternating so that machine noise hits every figure alike:
 * <ol>
 *   <li><b>naive</b>: {@code ip netns add}, {@code lo} up, a veth pair with one end in the
 *       namespace carrying the VIP and the other in the bridge, one {@code ip} call per step, then
 *       {@code ip netns exec NS haproxy -D -f cfg -p pid} with a minimal configuration, until the
 *       VIP answers HTTP from the client namespace; then torn down (kill by pid, delete veth and
 *       namespace);</li>
 *   <li><b>create</b>: the driver's {@code apply} of a new load balancer (two members) until the
 *       VIP answers HTTP from the client namespace; then {@code remove};</li>
 *   <li><b>check</b>: {@code haproxy -dW -c -f} of a configuration the driver rendered; <b>reload</b>: an
 *       {@code apply} changing the pool's method (asserted {@code RELOADED}; the driver returns when
 *       the new process answers on its socket);</li>
 *   <li><b>member add, remove, weight change</b> through {@code apply} (asserted
 *       {@code CHANGED_IN_PLACE}), compared to the reload;</li>
 *   <li><b>under load</b>: client loops in the client namespace send requests without retries
 *       (keep-alive and one connection per request) while {@code K} member changes and {@code K}
 *       reloads are applied; failed requests are counted.</li>
 * </ol>
 * HTTP from the client namespace goes through one long-lived {@link ClientAgent} JVM started there,
 * so a probe costs no process start and both create figures pay the same probing cost.
 *
 * <p>Everything it creates carries the topology's random {@code lbt…} prefix (driver namespaces
 * {@code <prefix>q…}; the driver's veths are named after the VIP port) and is removed at the end,
 * after a failure and, through a shutdown hook, on interrupt; what is still there afterwards is
 * reported in {@link DataPlaneResult#leftovers()}. Needs root, {@code ip} and {@code haproxy}.
 *
 * <p>Command line: {@code lbaas bench dataplane [--rounds N] ...}, parsed by
 * {@link org.lbaas.benchmarks.Bench} ({@link #main} forwards to it).
 */
public final class DataPlaneHarness {

    static final String TENANT = "dataplane";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);
    private static final int BACKEND_PORT = 8080;
    /** Addresses the topology hands out ({@code .100} to {@code .254}). */
    private static final int ADDRESSES = 155;

    /**
     * What to run.
     *
     * @param rounds measured rounds of every figure
     * @param warmup unmeasured rounds first (class loading, JIT, caches)
     * @param changes member changes and reloads (each) applied under load
     * @param pause time between two changes under load
     * @param keepAliveClients client loops reusing their connection
     * @param closeClients client loops opening a connection per request
     */
    public record Options(int rounds, int warmup, int changes, Duration pause, int keepAliveClients, int closeClients) {
        /**
         * Validates the counts: every create (naive or driver, warm-up included) uses one of the
         * topology's addresses.
         *
         * @param rounds rounds
         * @param warmup warm-up rounds
         * @param changes changes under load
         * @param pause pause under load
         * @param keepAliveClients keep-alive loops
         * @param closeClients closing loops
         */
        public Options {
            if (rounds < 1 || warmup < 0 || 2 * (rounds + warmup) + 2 > ADDRESSES) {
                throw new IllegalArgumentException("rounds must be at least 1, warmup at least 0, and 2 * (rounds + warmup) + 2 at most "
                        + ADDRESSES + ": " + rounds + ", " + warmup);
            }
            if (changes < 0 || keepAliveClients < 0 || closeClients < 0 || (changes > 0 && keepAliveClients + closeClients == 0)) {
                throw new IllegalArgumentException("changes and clients must not be negative, and load needs a client");
            }
            Objects.requireNonNull(pause, "pause");
        }

        /**
         * Defaults around a number of rounds.
         *
         * @param rounds measured rounds
         * @return 2 warm-up rounds, {@code rounds} changes under load, 150 ms apart, 3 keep-alive and 1 closing client
         */
        public static Options of(int rounds) {
            return new Options(rounds, 2, rounds, Duration.ofMillis(150), 3, 1);
        }
    }

    private final Options options;
    private final PrintStream log;
    private final ShellExecutor shell = ShellExecutor.system();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final Deque<NaiveInstance> naiveAlive = new ArrayDeque<>();
    private final List<UUID> portIds = new ArrayList<>();
    private NetnsTopology topology;
    private Path work;
    private Path stateDir;
    private String driverPrefix;
    private volatile LoadBalancerDriver driver;
    private volatile AgentProcess agent;
    private List<String> leftovers = List.of();

    private DataPlaneHarness(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Runs every measurement and removes everything it created.
     *
     * @param options what to run
     * @param log where progress goes
     * @return the figures, notes and leftovers
     */
    public static DataPlaneResult run(Options options, PrintStream log) {
        DataPlaneHarness h = new DataPlaneHarness(Objects.requireNonNull(options, "options"), Objects.requireNonNull(log, "log"));
        CleanupHook hook = CleanupHook.register("dataplane-cleanup", h::cleanupQuietly);
        Load load = Load.none();
        try {
            load = h.measure();
        } catch (RuntimeException | Error e) {
            h.notes.add("run failed: " + e);
            e.printStackTrace(log);
        } finally {
            h.cleanupQuietly();
            hook.close();
        }
        return new DataPlaneResult(options.rounds(), h.figures(), load, h.notes, h.leftovers);
    }

    private List<Figure> figures() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(DataPlaneResult.NAIVE, "naive sequence, create to serving");
        labels.put("naive.plumb", "  of which: 8 `ip` calls (netns, lo, veth, address, bridge)");
        labels.put("naive.start", "  of which: `haproxy -D -f` in the namespace");
        labels.put("naive.serve", "  of which: until the VIP answers HTTP");
        labels.put(DataPlaneResult.CREATE, "driver apply (new LB), create to serving");
        labels.put("driver.apply", "  of which: `apply` returning DEPLOYED");
        labels.put("driver.serve", "  of which: until the VIP answers HTTP");
        labels.put("naive.teardown", "naive teardown (kill, veth, netns)");
        labels.put("driver.remove", "driver `remove`");
        labels.put(DataPlaneResult.CHECK, "`haproxy -dW -c -f` (driver's config)");
        labels.put(DataPlaneResult.RELOAD, "driver reload (lb_method change → RELOADED)");
        labels.put(DataPlaneResult.MEMBER_ADD, "driver member add (CHANGED_IN_PLACE)");
        labels.put(DataPlaneResult.MEMBER_REMOVE, "driver member remove (CHANGED_IN_PLACE)");
        labels.put(DataPlaneResult.WEIGHT, "driver weight change (CHANGED_IN_PLACE)");
        List<Figure> out = new ArrayList<>();
        labels.forEach((k, label) -> {
            List<Double> s = samples.get(k);
            if (s != null && !s.isEmpty()) {
                out.add(new Figure(k, label, s));
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ the run

    private Load measure() {
        log.println("dataplane: building the topology");
        topology = NetnsTopology.builder().backends("a", "b", "c").create();
        topology.startBackends();
        try {
            work = Files.createTempDirectory("lbt-dp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stateDir = work.resolve("st");
        driverPrefix = topology.namePrefix() + "q";
        Map<String, String> settings = new HashMap<>();
        settings.put("state_dir", stateDir.toString());
        settings.put("namespace_prefix", driverPrefix);
        settings.put("bridge", topology.bridge());
        settings.put("stop_grace", "3s");
        // the naive sequence sends no gratuitous ARP either (and arping is not installed here)
        settings.put("arping_binary", "none");
        driver = new HaproxyNsDriverProvider().create(new DriverConfig(settings, shell, Clock.systemUTC()));
        agent = AgentProcess.start(topology.client().namespace(), work.resolve("agent.log"));
        log.println("dataplane: topology " + topology + ", state " + stateDir);

        int total = options.warmup() + options.rounds();
        for (int i = 0; i < total; i++) {
            boolean measured = i >= options.warmup();
            naiveOnce(i, measured);
            driverCreateOnce(measured);
            log.printf("dataplane: create round %d/%d: naive %.1f ms, driver %.1f ms%n", i + 1, total,
                    last(DataPlaneResult.NAIVE, measured), last(DataPlaneResult.CREATE, measured));
        }

        LoadBalancer lb = newLb(List.of("a", "b"));
        requireAction(driver.apply(Optional.empty(), lb), ApplyResult.Action.DEPLOYED, "deploy of the steady load balancer");
        probe(lb);
        Path config = configOf(lb);
        Member c = member(lb, "c", 1);
        for (int i = 0; i < total; i++) {
            boolean measured = i >= options.warmup();
            time(DataPlaneResult.CHECK, measured, () -> shell.execute(Command.of("haproxy", "-dW", "-c", "-f", config.toString())
                    .withTimeout(IP_TIMEOUT)).requireSuccess());
            LoadBalancer reloaded = toggleMethod(lb);
            LoadBalancer from = lb;
            time(DataPlaneResult.RELOAD, measured, () -> requireAction(driver.apply(Optional.of(from), reloaded),
                    ApplyResult.Action.RELOADED, "lb_method change"));
            lb = reloaded;
            LoadBalancer added = withMember(lb, c);
            LoadBalancer before = lb;
            time(DataPlaneResult.MEMBER_ADD, measured, () -> requireAction(driver.apply(Optional.of(before), added),
                    ApplyResult.Action.CHANGED_IN_PLACE, "member add"));
            lb = added;
            LoadBalancer weighted = toggleWeight(lb, 0);
            LoadBalancer before2 = lb;
            time(DataPlaneResult.WEIGHT, measured, () -> requireAction(driver.apply(Optional.of(before2), weighted),
                    ApplyResult.Action.CHANGED_IN_PLACE, "weight change"));
            lb = weighted;
            LoadBalancer removed = withoutMember(lb, c.id());
            LoadBalancer before3 = lb;
            time(DataPlaneResult.MEMBER_REMOVE, measured, () -> requireAction(driver.apply(Optional.of(before3), removed),
                    ApplyResult.Action.CHANGED_IN_PLACE, "member remove"));
            lb = removed;
            log.printf("dataplane: update round %d/%d: check %.1f, reload %.1f, add %.1f, weight %.1f, remove %.1f ms%n", i + 1, total,
                    last(DataPlaneResult.CHECK, measured), last(DataPlaneResult.RELOAD, measured), last(DataPlaneResult.MEMBER_ADD, measured),
                    last(DataPlaneResult.WEIGHT, measured), last(DataPlaneResult.MEMBER_REMOVE, measured));
        }
        probe(lb);
        Load load = options.changes() == 0 ? Load.none() : underLoad(lb, c);
        log.println("dataplane: done measuring");
        return load;
    }

    private double last(String key, boolean measured) {
        List<Double> s = samples.get(key);
        return measured && s != null && !s.isEmpty() ? s.get(s.size() - 1) : Double.NaN;
    }

    private void time(String key, boolean measured, Runnable body) {
        long t0 = System.nanoTime();
        body.run();
        record(key, measured, System.nanoTime() - t0);
    }

    private void record(String key, boolean measured, long nanos) {
        if (measured) {
            samples.computeIfAbsent(key, k -> new ArrayList<>()).add(nanos / 1e6);
        }
    }

    // ------------------------------------------------------------------ naive

    /** One naive instance: what exists of it, so that cleanup can remove it. */
    private record NaiveInstance(String namespace, String hostVeth, Path dir) {
        Path pidFile() {
            return dir.resolve("pid");
        }

        Path config() {
            return dir.resolve("haproxy.cfg");
        }
    }

    private void naiveOnce(int index, boolean measured) {
        String p = topology.namePrefix();
        NaiveInstance n = new NaiveInstance(p + "-nv" + index, p + "n" + index, work.resolve("naive-" + index));
        String nsVeth = p + "m" + index;
        String vip = topology.allocateIpv4().getHostAddress();
        synchronized (naiveAlive) {
            naiveAlive.push(n);
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(n.dir());
            Files.writeString(n.config(), "global\n    maxconn 2000\n"
                    + "defaults\n    mode http\n    timeout connect 5s\n    timeout client 50s\n    timeout server 50s\n"
                    + "frontend f\n    bind " + vip + ":80\n    default_backend b\n"
                    + "backend b\n    server a " + topology.host("a").ipv4().getHostAddress() + ":" + BACKEND_PORT + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sh("ip", "netns", "add", n.namespace());
        sh("ip", "-n", n.namespace(), "link", "set", "lo", "up");
        sh("ip", "link", "add", n.hostVeth(), "type", "veth", "peer", "name", nsVeth);
        sh("ip", "link", "set", nsVeth, "netns", n.namespace());
        sh("ip", "-n", n.namespace(), "addr", "add", vip + "/24", "dev", nsVeth);
        sh("ip", "-n", n.namespace(), "link", "set", nsVeth, "up");
        sh("ip", "link", "set", n.hostVeth(), "master", topology.bridge());
        sh("ip", "link", "set", n.hostVeth(), "up");
        long t1 = System.nanoTime();
        sh("ip", "netns", "exec", n.namespace(), "haproxy", "-D", "-f", n.config().toString(), "-p", n.pidFile().toString());
        long t2 = System.nanoTime();
        agent.probe(vip, 80, PROBE_TIMEOUT);
        long t3 = System.nanoTime();
        record(DataPlaneResult.NAIVE, measured, t3 - t0);
        record("naive.plumb", measured, t1 - t0);
        record("naive.start", measured, t2 - t1);
        record("naive.serve", measured, t3 - t2);
        long t4 = System.nanoTime();
        naiveTeardown(n);
        record("naive.teardown", measured, System.nanoTime() - t4);
        synchronized (naiveAlive) {
            naiveAlive.remove(n);
        }
    }

    private void naiveTeardown(NaiveInstance n) {
        readPid(n.pidFile()).flatMap(ProcessHandle::of).filter(h -> isHaproxyWith(h.pid(), n.config())).ifPresent(h -> {
            h.destroy();
            // not our child: onExit() would poll slowly, so poll /proc ourselves
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (isHaproxyWith(h.pid(), n.config()) && System.nanoTime() < deadline) {
                Teardown.sleep(Duration.ofMillis(2));
            }
            if (isHaproxyWith(h.pid(), n.config())) {
                h.destroyForcibly();
            }
        });
        if (Files.exists(Path.of("/sys/class/net", n.hostVeth()))) {
            shell.execute(Command.of("ip", "link", "del", n.hostVeth()).withTimeout(IP_TIMEOUT));
        }
        if (Files.exists(Path.of("/run/netns", n.namespace()))) {
            shell.execute(Command.of("ip", "netns", "del", n.namespace()).withTimeout(IP_TIMEOUT));
        }
        deleteTree(n.dir());
    }

    private void sh(String... argv) {
        shell.execute(Command.of(argv).withTimeout(IP_TIMEOUT)).requireSuccess();
    }

    // ------------------------------------------------------------------ driver

    private void driverCreateOnce(boolean measured) {
        LoadBalancer lb = newLb(List.of("a", "b"));
        long t0 = System.nanoTime();
        requireAction(driver.apply(Optional.empty(), lb), ApplyResult.Action.DEPLOYED, "create");
        long t1 = System.nanoTime();
        probe(lb);
        long t2 = System.nanoTime();
        record(DataPlaneResult.CREATE, measured, t2 - t0);
        record("driver.apply", measured, t1 - t0);
        record("driver.serve", measured, t2 - t1);
        long t3 = System.nanoTime();
        driver.remove(lb.id());
        record("driver.remove", measured, System.nanoTime() - t3);
    }

    private void probe(LoadBalancer lb) {
        agent.probe(lb.vip().orElseThrow().address().getHostAddress(), lb.vip().orElseThrow().protocolPort(), PROBE_TIMEOUT);
    }

    private static ApplyResult requireAction(ApplyResult r, ApplyResult.Action expected, String what) {
        if (r.action() != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", the driver did " + r);
        }
        return r;
    }

    private LoadBalancer newLb(List<String> backends) {
        UUID poolId = UUID.randomUUID();
        UUID subnetId = UUID.randomUUID();
        UUID portId = UUID.randomUUID();
        synchronized (portIds) {
            portIds.add(portId);
        }
        InetAddress vip = topology.allocateIpv4();
        Subnet subnet = Subnet.of(subnetId, topology.ipv4Subnet(), topology.ipv4Gateway().getHostAddress());
        Pool pool = Pool.builder().id(poolId).tenantId(TENANT).subnetId(subnetId).protocol(Protocol.HTTP)
                .lbMethod(LbMethod.ROUND_ROBIN).status(Status.ACTIVE).build();
        Vip v = Vip.builder().id(UUID.randomUUID()).tenantId(TENANT).subnetId(subnetId).address(vip).portId(portId)
                .protocolPort(80).protocol(Protocol.HTTP).poolId(poolId).status(Status.ACTIVE).build();
        LoadBalancer lb = new LoadBalancer(subnet, pool, Optional.of(v), List.of(), List.of());
        for (String b : backends) {
            lb = withMember(lb, member(lb, b, 1));
        }
        return lb;
    }

    private Member member(LoadBalancer lb, String backend, int weight) {
        return Member.builder().id(UUID.randomUUID()).tenantId(TENANT).poolId(lb.id()).address(topology.host(backend).ipv4())
                .protocolPort(BACKEND_PORT).weight(weight).adminStateUp(true).status(Status.ACTIVE).build();
    }

    private static LoadBalancer withMember(LoadBalancer lb, Member m) {
        List<Member> ms = new ArrayList<>(lb.members());
        ms.add(m.toBuilder().poolId(lb.id()).build());
        return lb.withMembers(ms);
    }

    private static LoadBalancer withoutMember(LoadBalancer lb, UUID id) {
        return lb.withMembers(lb.members().stream().filter(m -> !m.id().equals(id)).toList());
    }

    private static LoadBalancer toggleWeight(LoadBalancer lb, int index) {
        List<Member> ms = new ArrayList<>(lb.members());
        Member m = ms.get(index);
        ms.set(index, m.toBuilder().weight(m.weight() == 1 ? 2 : 1).build());
        return lb.withMembers(ms);
    }

    private static LoadBalancer toggleMethod(LoadBalancer lb) {
        LbMethod next = lb.pool().lbMethod() == LbMethod.ROUND_ROBIN ? LbMethod.LEAST_CONNECTIONS : LbMethod.ROUND_ROBIN;
        return lb.withPool(lb.pool().toBuilder().lbMethod(next).build());
    }

    /** The configuration file the driver wrote for a load balancer ({@code <state_dir>/<pool_id>…/haproxy.cfg}). */
    private Path configOf(LoadBalancer lb) {
        try (Stream<Path> s = Files.list(stateDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(lb.id().toString())).map(p -> p.resolve("haproxy.cfg"))
                    .filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no configuration of " + lb.id() + " under " + stateDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ under load

    private Load underLoad(LoadBalancer start, Member c) {
        LoadBalancer lb = start;
        String vip = lb.vip().orElseThrow().address().getHostAddress();
        Map<String, Integer> actions = new TreeMap<>();
        Duration pause = options.pause();
        long maxMs = 60_000 + (long) options.changes() * 2 * (pause.toMillis() + 2_000);
        log.printf("dataplane: %d member changes and %d reloads under load%n", options.changes(), options.changes());
        long t0 = System.nanoTime();
        agent.startLoad(vip, 80, options.keepAliveClients(), options.closeClients(), maxMs, 50_000_000);
        String outcome;
        try {
            Teardown.sleep(pause);
            for (int i = 0; i < options.changes(); i++) {
                LoadBalancer next = switch (i % 3) {
                    case 0 -> withMember(lb, c);
                    case 1 -> toggleWeight(lb, 0);
                    default -> withoutMember(lb, c.id());
                };
                actions.merge("member change: " + driver.apply(Optional.of(lb), next).action(), 1, Integer::sum);
                lb = next;
                Teardown.sleep(pause);
                LoadBalancer reloaded = toggleMethod(lb);
                actions.merge("reload: " + driver.apply(Optional.of(lb), reloaded).action(), 1, Integer::sum);
                lb = reloaded;
                Teardown.sleep(pause);
            }
        } finally {
            outcome = agent.stopLoad();
        }
        double durationMs = (System.nanoTime() - t0) / 1e6;
        // done OK FAILED reasons
        String[] f = outcome.split(" ");
        if (f.length < 4 || !f[0].equals("done")) {
            throw new IllegalStateException("the client agent answered " + outcome);
        }
        Map<String, Long> reasons = new TreeMap<>();
        if (!f[3].equals("-")) {
            for (String kv : f[3].split(",")) {
                int eq = kv.lastIndexOf('=');
                reasons.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
        }
        // A member removal may fall back to a (hitless) reload under load: HAProxy refuses 'del server'
        // while connections are attached to the server. That is the driver's documented fallback, not
        // a failure; anything else (a change not applied, a reload done in place) is.
        for (String k : actions.keySet()) {
            if (!k.equals("member change: CHANGED_IN_PLACE") && !k.equals("member change: RELOADED") && !k.equals("reload: RELOADED")) {
                notes.add("under load the driver applied the changes as " + actions);
                break;
            }
        }
        Load load = new Load(options.changes(), options.changes(), actions, options.keepAliveClients(), options.closeClients(),
                durationMs, Long.parseLong(f[1]), Long.parseLong(f[2]), reasons);
        log.printf("dataplane: under load: %d answered, %d failed %s, actions %s%n", load.succeeded(), load.failed(), reasons, actions);
        return load;
    }

    // ------------------------------------------------------------------ cleanup

    private void cleanupQuietly() {
        Teardown.once(cleaned, this::cleanup, notes, log);
    }

    private void cleanup() {
        Runnable naive = () -> {
            List<NaiveInstance> alive;
            synchronized (naiveAlive) {
                alive = new ArrayList<>(naiveAlive);
            }
            for (NaiveInstance n : alive) {
                naiveTeardown(n);
            }
        };
        Teardown.Outcome o = Teardown.run(agent, driver, List.of(naive), topology, this::findLeftovers, work);
        notes.addAll(o.problems());
        leftovers = o.leftovers();
    }

    /** Namespaces, devices and HAProxy processes of this run that still exist, and state directories left. */
    private List<String> findLeftovers() {
        List<String> out = new ArrayList<>();
        if (topology == null) {
            return out;
        }
        String prefix = topology.namePrefix();
        List<String> devicePrefixes = new ArrayList<>(List.of(prefix));
        synchronized (portIds) {
            portIds.forEach(p -> devicePrefixes.add("tap" + p.toString().substring(0, 11)));
        }
        try {
            out.addAll(Leftovers.names(shell, devicePrefixes));
        } catch (RuntimeException e) {
            out.add("cannot list namespaces and devices: " + e.getMessage());
        }
        if (work != null) {
            out.addAll(Leftovers.processesMentioning(work));
            out.addAll(Leftovers.entriesOf(stateDir));
        }
        return out;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isHaproxyWith(long pid, Path config) {
        String cmd = commandLine(pid);
        return cmd.contains("haproxy") && cmd.contains(config.toString());
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip().split("\\s+")[0]));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            MoreFiles.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    // ------------------------------------------------------------------ main

    /**
     * Runs {@code lbaas bench dataplane} with these arguments (see {@link org.lbaas.benchmarks.Bench}).
     *
     * @param args {@code [--rounds N] [--out FILE] ...}
     */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "dataplane";
        System.arraycopy(args, 0, all, 1, args.length);
        org.lbaas.benchmarks.Bench.main(all);
    }
}

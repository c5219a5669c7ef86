package org.lbaas.benchmarks.capacity;

import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.VipCreate;
import org.lbaas.benchmarks.capacity.CapacityResult.HaFigures;
import org.lbaas.benchmarks.capacity.CapacityResult.Instance;
import org.lbaas.benchmarks.capacity.CapacityResult.Snapshot;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.lbaas.lab.netns.CleanupHook;
import org.lbaas.lab.netns.Leftovers;

/**
 * Measures how many load balancers one node carries: deploys N of them through
 * {@link LoadBalancerService} and the {@code haproxy-ns} driver on a {@link CapacityTopology}, each
 * with a VIP in its own namespace, a pool of two members (two test backends in one shared backend
 * namespace) and an HTTP health monitor, and checks that each answers HTTP through its VIP from a
 * client namespace.
 *
 * <p>Recorded as it goes: create-to-serving latency of every instance; HAProxy RSS, PSS and
 * descriptors of every instance right after it served; after each tenth of N the JVM heap (after a
 * full GC), mean and total HAProxy memory and the JVM's descriptors. With all deployed: heap
 * retained per load balancer, CPU of the health checks over an idle window, one statistics sweep
 * ({@link LoadBalancerDriver#observeAll}: wall time and CPU). Then a "JVM restart": service and
 * driver closed, new ones built over the same state directory and file store (the service's
 * build reconciles every load balancer), timed, and HAProxy pids compared before and after; every
 * VIP is checked again. Then everything is deleted through the service (timed), a reconcile with
 * nothing desired removes any rest, and the leftovers are listed.
 *
 * <p>With {@link Topology#ACTIVE_STANDBY} every load balancer is a pair (driver setting
 * {@code topology=active_standby}, HA bridge {@code <prefix>ha}): two instances, each with HAProxy
 * and keepalived (parent and VRRP child). Then it also records, per load balancer, the PSS of both
 * HAProxy and of all four keepalived processes; over the idle window the CPU of keepalived and of
 * this JVM; and, over {@link #ADVERT_WINDOW}, the packets the instances sent
 * on their HA links (the sum of {@code rx_packets} of the HA bridge's ports) against one advert per
 * pair and advert interval.
 *
 * <p>Everything it creates carries a random {@code lbt…} prefix and is removed at the end, after
 * a failure, and by a shutdown hook when the JVM is interrupted (the HA bridge too). Needs root,
 * {@code ip}, {@code curl} and {@code haproxy} (and {@code keepalived} for pairs).
 *
 * <p>Command line: {@code lbaas bench capacity --count N ...}, parsed by
 * {@link org.lbaas.benchmarks.Bench} ({@link #main} forwards to it).
 */
public final class CapacityHarness {

    /** The most load balancers one run creates: the ports of one VIP bridge. */
    public static final int MAX_COUNT = CapacityTopology.PORTS_PER_VIP_BRIDGE;
    /** The most active/standby pairs one run creates: each takes two ports of the VIP bridge. */
    public static final int MAX_PAIRS = CapacityTopology.PORTS_PER_VIP_BRIDGE / 2;
    /** How long the packets on the HA links are counted. */
    static final Duration ADVERT_WINDOW = Duration.ofSeconds(5);

    static final String TENANT = "capacity";
    private static final Duration SERVE_TIMEOUT = Duration.ofSeconds(20);
    private static final long OUTCOME_TIMEOUT_S = 120;
    private static final int TEARDOWN_WINDOW = 32;
    /**
     * The teardown window for pairs: undeploying a pair took 1.7 s per load balancer at N = 50 and
     * more at N = 200, so 32 queued behind the service's four driver threads passed its 60 s
     * deadline (seen at N = 200).
     */
    private static final int PAIR_TEARDOWN_WINDOW = 8;

    /** What each load balancer is: one instance, or an active/standby pair. */
    public enum Topology {
        /** One HAProxy per load balancer (the driver's default). */
        SINGLE("single"),
        /** Two instances per load balancer, each with HAProxy and keepalived. */
        ACTIVE_STANDBY("active-standby");

        private final String label;

        Topology(String label) {
            this.label = label;
        }

        /** The name on the command line. */
        public String label() {
            return label;
        }

        /** The topology a command-line name means, if any. */
        public static Optional<Topology> of(String label) {
            for (Topology t : values()) {
                if (t.label.equals(label.strip())) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * What to run.
     *
     * @param count load balancers to create
     * @param monitorDelaySeconds the health monitor's delay (its timeout is min(delay, 3), 3 retries)
     * @param idleWindow how long the idle CPU of the health checks is measured
     * @param driverSettings extra settings for the driver (e.g. {@code default_maxconn})
     * @param pinNeighbours make the ARP entries between each VIP namespace and the client and backend
     *     namespaces permanent (see the README: the kernel's neighbour table is shared by all namespaces
     *     and holds at most {@code gc_thresh3} = 1024 non-permanent entries by default)
     * @param topology one instance per load balancer, or an active/standby pair
     */
    public record Options(int count, int monitorDelaySeconds, Duration idleWindow, Map<String, String> driverSettings,
                          boolean pinNeighbours, Topology topology) {
        public Options {
            Objects.requireNonNull(topology, "topology");
            if (count < 1 || count > CapacityTopology.PORTS_PER_VIP_BRIDGE) {
                throw new IllegalArgumentException("count must be 1 to " + CapacityTopology.PORTS_PER_VIP_BRIDGE
                        + " (one VIP bridge; a Linux bridge has at most 1024 ports and the driver plugs into one bridge): " + count);
            }
            if (topology == Topology.ACTIVE_STANDBY && count > MAX_PAIRS) {
                throw new IllegalArgumentException("count must be 1 to " + MAX_PAIRS + " with topology active-standby (each pair"
                        + " takes two ports of the one VIP bridge): " + count);
            }
            if (driverSettings != null && driverSettings.containsKey("topology")) {
                throw new IllegalArgumentException("driver setting topology=" + driverSettings.get("topology")
                        + " is chosen by the topology option, not by a driver setting");
            }
            if (monitorDelaySeconds < 1) {
                throw new IllegalArgumentException("monitorDelaySeconds must be positive");
            }
            Objects.requireNonNull(idleWindow, "idleWindow");
            driverSettings = Map.copyOf(Objects.requireNonNull(driverSettings, "driverSettings"));
        }

        /** Defaults for {@code count}: monitor delay 5 s, idle window 10 s, the driver's defaults, single instances. */
        public static Options of(int count) {
            return new Options(count, 5, Duration.ofSeconds(10), Map.of(), true, Topology.SINGLE);
        }

        /** Whether every load balancer is an active/standby pair. */
        public boolean pairs() {
            return topology == Topology.ACTIVE_STANDBY;
        }
    }

    private final Options options;
    private final PrintStream log;
    private final ShellExecutor shell = ShellExecutor.system();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final List<String> notes = new ArrayList<>();
    private CapacityTopology topology;
    private Path work;
    private Path stateDir;
    private Map<String, String> settings;
    private volatile LoadBalancerDriver driver;
    private volatile LoadBalancerService service;
    private Repository repository;
    private List<String> leftovers = List.of();
    private final Map<UUID, UUID> monitorOfPool = new java.util.concurrent.ConcurrentHashMap<>();
    /** The first 11 characters of each created pool's id and VIP port id: the driver's host device names carry them. */
    private final List<String> deviceKeys = java.util.Collections.synchronizedList(new ArrayList<>());
    private String haBridge;

    private CapacityHarness(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Runs the whole measurement and removes everything it created.
     *
     * @param options what to run
     * @param log where progress goes
     * @return the figures
     */
    public static CapacityResult run(Options options, PrintStream log) {
        CapacityHarness h = new CapacityHarness(Objects.requireNonNull(options, "options"), Objects.requireNonNull(log, "log"));
        CleanupHook hook = CleanupHook.register("capacity-cleanup", h::cleanupQuietly);
        try {
            return h.execute();
        } finally {
            h.cleanupQuietly();
            hook.close();
        }
    }

    private CapacityResult execute() {
        topology = CapacityTopology.create(shell);
        log.println("topology " + topology + ", backends " + topology.backendPids());
        try {
            work = Files.createTempDirectory(Path.of("/tmp"), topology.prefix() + "-cap");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a work directory", e);
        }
        stateDir = work.resolve("st");
        Map<String, String> s = new HashMap<>();
        s.put("state_dir", stateDir.toString());
        s.put("namespace_prefix", topology.prefix() + "q");
        s.put("bridge", topology.vipBridge());
        s.put("arping_binary", "none");
        s.put("ipv6_dad", "skip");
        s.put("stop_grace", "2s");
        if (options.pairs()) {
            haBridge = topology.haBridge();
            s.put("topology", "active_standby");
            s.put("ha_bridge", haBridge);
        }
        s.putAll(options.driverSettings());
        settings = Map.copyOf(s);
        repository = Repository.fileStore(work.resolve("repo"));
        Subnet subnet = Subnet.of(UUID.randomUUID(), topology.subnetCidr(), topology.gateway().getHostAddress());
        SubnetRegistry subnets = SubnetRegistry.of(subnet);
        driver = newDriver();
        service = LoadBalancerService.builder().driver(driver).repository(repository).subnets(subnets)
                .driverDeadline(Duration.ofSeconds(60)).build();

        gc();
        long heapBefore = heapUsed();
        int fdsBefore = ProcStats.openFdsOfThisJvm();
        List<Instance> instances = new ArrayList<>();
        List<Snapshot> snapshots = new ArrayList<>();
        List<UUID> pools = new ArrayList<>();
        int n = options.count();
        int decile = Math.max(1, n / 10);
        int consecutiveFailures = 0;
        long startAll = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (cleaned.get()) {
                throw new IllegalStateException("interrupted: cleaned up after " + i + " load balancers");
            }
            Instance inst;
            try {
                inst = createOne(i, subnet);
            } catch (RuntimeException e) {
                notes.add("load balancer " + i + " failed: " + e);
                log.println("load balancer " + i + " failed: " + e);
                if (++consecutiveFailures >= 5) {
                    notes.add("stopped after 5 consecutive failures at " + i);
                    break;
                }
                continue;
            }
            instances.add(inst);
            pools.add(UUID.fromString(inst.poolId()));
            consecutiveFailures = inst.answered() ? 0 : consecutiveFailures + 1;
            if (consecutiveFailures >= 5) {
                notes.add("stopped after 5 consecutive load balancers that did not answer, at " + i);
                break;
            }
            if ((i + 1) % decile == 0 || i + 1 == n) {
                Snapshot snap = snapshot(instances.size());
                snapshots.add(snap);
                log.printf("%5d deployed in %.0f s: last latency %.0f ms, PSS mean %.0f KiB, heap %d KiB, JVM fds %d%n",
                        instances.size(), (System.nanoTime() - startAll) / 1e9, inst.createToServingMs(), snap.meanPssKib(),
                        snap.heapUsedKib(), snap.jvmFds());
            }
        }
        int answered = (int) instances.stream().filter(Instance::answered).count();
        Snapshot last = snapshots.isEmpty() ? snapshot(instances.size()) : snapshots.get(snapshots.size() - 1);
        double heapPerLb = instances.isEmpty() ? Double.NaN : (last.heapUsedKib() - heapBefore / 1024.0) / instances.size();
        int fdsAfter = ProcStats.openFdsOfThisJvm();

        // idle CPU of the health checks (and, for pairs, of keepalived and of this JVM)
        Map<String, Long> pids = pids(pools);
        List<Long> keepalived = options.pairs() ? InstanceProcesses.pidsOf(stateDir, "keepalived") : List.of();
        long ticks0 = ticks(pids.values());
        long ns0 = cpuNanos(pids.values());
        long k0 = cpuNanos(keepalived);
        long jvm0 = jvmCpuNanos();
        long idleStart = System.nanoTime();
        sleep(options.idleWindow());
        long ticks1 = ticks(pids.values());
        long ns1 = cpuNanos(pids.values());
        long k1 = cpuNanos(keepalived);
        long jvm1 = jvmCpuNanos();
        long idleMs = (System.nanoTime() - idleStart) / 1_000_000;
        double hz = clockTicksPerSecond();
        double checkCpu = (ns1 - ns0) / 1e6 / idleMs;
        log.printf("health checks: %.4f of a core (schedstat), %.4f from utime+stime ticks, over %d ms for %d instances%n", checkCpu,
                (ticks1 - ticks0) / hz / (idleMs / 1000.0), idleMs, pids.size());
        Optional<HaFigures> ha = Optional.empty();
        if (options.pairs()) {
            ha = Optional.of(adverts(pools, idleMs <= 0 ? Double.NaN : (k1 - k0) / 1e6 / idleMs,
                    idleMs <= 0 ? Double.NaN : (jvm1 - jvm0) / 1e6 / idleMs));
        }

        // one statistics sweep (the first one after start-up is the one measured; a second is logged)
        double[] sweep = sweep(pools, pids);
        double[] sweep2 = sweep(pools, pids);
        log.printf("stats sweep: %.0f ms wall, %.0f ms JVM CPU, %d observed (second sweep %.0f ms)%n", sweep[0], sweep[1],
                (int) sweep[3], sweep2[0]);

        // "JVM restart": close service and driver, build new ones over the same state
        service.close();
        driver.close();
        long t0 = System.nanoTime();
        driver = newDriver();
        service = LoadBalancerService.builder().driver(driver).repository(repository).subnets(subnets)
                .driverDeadline(Duration.ofSeconds(60)).build();
        double reconcileMs = (System.nanoTime() - t0) / 1e6;
        Map<String, Long> after = pids(pools);
        int restarts = 0;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                restarts++;
            }
        }
        log.printf("reconcile after restart: %.0f ms, %d restarts%n", reconcileMs, restarts);
        int answeredAfterReconcile = bulkAnswered(instances);
        log.printf("after reconcile %d of %d answer%n", answeredAfterReconcile, instances.size());

        double teardownMs = teardown(pools);
        log.printf("teardown: %.0f ms%n", teardownMs);
        cleanup();
        return new CapacityResult(n, instances, snapshots, answered, answeredAfterReconcile, heapPerLb, checkCpu, idleMs,
                sweep[0], sweep[1], sweep[2], (int) sweep[3], fdsBefore, fdsAfter, reconcileMs, restarts, teardownMs,
                leftovers, notes, ha);
    }

    /**
     * Counts the packets the instances send on their HA links over {@link #ADVERT_WINDOW} (the sum
     * of {@code rx_packets} of the HA bridge's ports) and the pairs with one MASTER.
     */
    private HaFigures adverts(List<UUID> pools, double keepalivedCpu, double jvmCpu) {
        long advertMs = HaproxySettings.parse(settings).ha().advertInterval().toMillis();
        int masters = InstanceProcesses.pairsWithOneMaster(stateDir, pools);
        long p0 = InstanceProcesses.packetsIntoPorts(haBridge);
        long t0 = System.nanoTime();
        sleep(ADVERT_WINDOW);
        long p1 = InstanceProcesses.packetsIntoPorts(haBridge);
        long windowMs = (System.nanoTime() - t0) / 1_000_000;
        HaFigures f = new HaFigures(haBridge, advertMs, pools.size(), masters, p0 < 0 || p1 < 0 ? -1 : p1 - p0, windowMs,
                keepalivedCpu, jvmCpu);
        log.printf("HA links: %d packets in %d ms = %.1f/s, expected %.1f adverts/s (%d pairs, %d with one MASTER, every %d ms);"
                + " keepalived %.4f of a core, JVM %.4f%n", f.packets(), windowMs, f.packetsPerSecond(), f.expectedPerSecond(),
                f.pairs(), masters, advertMs, keepalivedCpu, jvmCpu);
        return f;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private LoadBalancerDriver newDriver() {
        return new HaproxyNsDriverProvider().create(new DriverConfig(settings, shell, Clock.systemUTC()));
    }

    private int lastCurls;

    private Instance createOne(int i, Subnet subnet) {
        InetAddress vipAddress = topology.vip(i);
        long t0 = System.nanoTime();
        UUID pool = await(service.createPool(PoolCreate.of(TENANT, subnet.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN))).id();
        String backend = topology.backendAddress().getHostAddress();
        var m1 = service.createMember(MemberCreate.of(TENANT, pool, backend, CapacityTopology.BACKEND_PORT_A));
        var m2 = service.createMember(MemberCreate.of(TENANT, pool, backend, CapacityTopology.BACKEND_PORT_B));
        await(m1);
        await(m2);
        long tMem = System.nanoTime();
        int delay = options.monitorDelaySeconds();
        UUID monitor = await(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.HTTP, delay,
                Math.min(delay, 3), 3).withHttp(HttpMethod.GET, "/health", "200"))).id();
        monitorOfPool.put(pool, monitor);
        long tMon = System.nanoTime();
        await(service.associate(pool, monitor));
        long tVip = System.nanoTime();
        Vip vip = await(service.createVip(VipCreate.of(TENANT, subnet.id(), 80, Protocol.HTTP, pool).withAddress(vipAddress)));
        double deployMs = (System.nanoTime() - tVip) / 1e6;
        deviceKeys.add(pool.toString().substring(0, 11));
        deviceKeys.add(vip.portId().toString().substring(0, 11));
        if (vip.status() != Status.ACTIVE) {
            throw new IllegalStateException("VIP " + vipAddress.getHostAddress() + " is " + vip.status() + ": " + vip.statusDescription());
        }
        long pinNanos = 0;
        if (options.pinNeighbours()) {
            long tPin = System.nanoTime();
            pinNeighbours(pool, vipAddress);
            pinNanos = System.nanoTime() - tPin;
        }
        long tServe0 = System.nanoTime();
        boolean answered = awaitServing(vipAddress);
        long tServe1 = System.nanoTime();
        if (Boolean.getBoolean("capacity.phases")) {
            log.printf("PHASES %d pool+members %.1f monitor %.1f associate %.1f vip %.1f serve %.1f curls %d%n", i, (tMem - t0) / 1e6,
                    (tMon - tMem) / 1e6, (tVip - tMon) / 1e6, deployMs, (tServe1 - tServe0) / 1e6, lastCurls);
        }
        // the harness's own neighbour pinning is not part of the load balancer's creation
        double latency = (System.nanoTime() - t0 - pinNanos) / 1e6;
        long pid = pid(pool.toString());
        ProcStats.Memory mem = ProcStats.memory(pid).orElse(new ProcStats.Memory(-1, -1));
        InstanceProcesses.Sums sums = InstanceProcesses.of(stateDir, pool, options.pairs());
        return new Instance(i, pool.toString(), vipAddress.getHostAddress(), latency, deployMs, answered, pid, mem.rssKib(),
                mem.pssKib(), ProcStats.openFds(pid), sums.haproxy(), sums.haproxyPssKib(), sums.keepalived(), sums.keepalivedPssKib());
    }

    /**
     * Makes the neighbour entries of a new VIP permanent on both sides: in its namespace for the
     * backend and the client, in the backend and client namespaces for the VIP. Permanent entries
     * do not count against the kernel's shared neighbour table limit.
     */
    private void pinNeighbours(UUID pool, InetAddress vip) {
        if (options.pairs()) {
            pinPair(pool);
            return;
        }
        String ns = settings.get("namespace_prefix") + pool;
        String[] dev = topology.etherDevice(ns);
        String script = "neigh replace " + topology.backendAddress().getHostAddress() + " lladdr " + topology.backendMac()
                + " dev " + dev[0] + " nud permanent\n"
                + "neigh replace " + topology.clientAddress().getHostAddress() + " lladdr " + topology.clientMac()
                + " dev " + dev[0] + " nud permanent\n";
        shell.execute(Command.of("ip", "-n", ns, "-batch", "-").withStdin(script)).requireSuccess();
        for (String other : List.of(topology.backendNamespace(), topology.clientNamespace())) {
            shell.execute(Command.of("ip", "-n", other, "neigh", "replace", vip.getHostAddress(), "lladdr", dev[1], "dev", "eth0",
                    "nud", "permanent")).requireSuccess();
        }
    }

    /**
     * Pins the neighbours of a pair: in each instance's namespace the backend and the client, and in
     * the backend namespace each instance's own address (the source of its health checks). The VIP
     * is not pinned in the client namespace: it moves with the MASTER, whose gratuitous ARP must be
     * able to update the entry.
     */
    private void pinPair(UUID pool) {
        List<InetAddress> own = service.loadBalancer(pool).instanceAddresses();
        StringBuilder backend = new StringBuilder();
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            String ns = settings.get("namespace_prefix") + InstanceProcesses.keys(pool, true).get(ordinal);
            String[] dev = topology.etherDevice(ns, ordinal == 0 ? "ns-" : "n" + ordinal + "-");
            String script = "neigh replace " + topology.backendAddress().getHostAddress() + " lladdr " + topology.backendMac()
                    + " dev " + dev[0] + " nud permanent\n"
                    + "neigh replace " + topology.clientAddress().getHostAddress() + " lladdr " + topology.clientMac()
                    + " dev " + dev[0] + " nud permanent\n";
            shell.execute(Command.of("ip", "-n", ns, "-batch", "-").withStdin(script)).requireSuccess();
            if (ordinal < own.size()) {
                backend.append("neigh replace ").append(own.get(ordinal).getHostAddress()).append(" lladdr ").append(dev[1])
                        .append(" dev eth0 nud permanent\n");
            }
        }
        shell.execute(Command.of("ip", "-n", topology.backendNamespace(), "-batch", "-").withStdin(backend.toString())).requireSuccess();
    }

    private static <T> T await(Pending<T> p) {
        try {
            return p.outcome().toCompletableFuture().get(OUTCOME_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the service did not complete: " + e, e);
        }
    }

    /** Polls the VIP from the client namespace until it answers 200. */
    private boolean awaitServing(InetAddress vip) {
        long deadline = System.nanoTime() + SERVE_TIMEOUT.toNanos();
        String url = "http://" + vip.getHostAddress() + "/";
        lastCurls = 0;
        while (System.nanoTime() < deadline) {
            CommandResult r = topology.exec(topology.clientNamespace(), Command.of("curl", "-s", "-o", "/dev/null", "--noproxy", "*",
                    "--max-time", "2", "-w", "%{http_code}", url).withTimeout(Duration.ofSeconds(10)));
            lastCurls++;
            if (r.stdout().strip().equals("200")) {
                return true;
            }
            sleep(Duration.ofMillis(20));
        }
        return false;
    }

    /** Checks every instance with one curl process (many URLs, sequentially); returns how many answered 200. */
    private int bulkAnswered(List<Instance> instances) {
        int ok = 0;
        for (int from = 0; from < instances.size(); from += 250) {
            List<String> argv = new ArrayList<>(List.of("curl", "-s", "--noproxy", "*", "--max-time", "3", "-w",
                    "\\n~~%{http_code}\\n"));
            for (Instance inst : instances.subList(from, Math.min(instances.size(), from + 250))) {
                argv.add("http://" + inst.vip() + "/");
            }
            CommandResult r = topology.exec(topology.clientNamespace(), Command.of(argv).withTimeout(Duration.ofSeconds(600)));
            ok += (int) r.stdout().lines().filter(l -> l.equals("~~200")).count();
        }
        return ok;
    }

    private Snapshot snapshot(int count) {
        gc();
        long heap = heapUsed() / 1024;
        Map<Long, String> programs = InstanceProcesses.programsUnder(stateDir);
        List<Long> live = programs.entrySet().stream().filter(e -> e.getValue().equals("haproxy")).map(Map.Entry::getKey).toList();
        int keepalived = 0;
        long keepalivedPss = 0;
        for (Map.Entry<Long, String> e : programs.entrySet()) {
            if (e.getValue().equals("keepalived")) {
                keepalived++;
                keepalivedPss += ProcStats.memory(e.getKey()).map(ProcStats.Memory::pssKib).orElse(0L);
            }
        }
        long rss = 0;
        long pss = 0;
        int measured = 0;
        for (long pid : live) {
            var m = ProcStats.memory(pid);
            if (m.isPresent()) {
                rss += m.get().rssKib();
                pss += m.get().pssKib();
                measured++;
            }
        }
        return new Snapshot(count, heap, live.size(), measured == 0 ? Double.NaN : (double) rss / measured,
                measured == 0 ? Double.NaN : (double) pss / measured, pss, ProcStats.openFdsOfThisJvm(), keepalived, keepalivedPss);
    }

    /** The live HAProxy of an instance (its key: the pool id, or {@code <pool id>-1}), or -1. */
    private long pid(String key) {
        return InstanceProcesses.pidIn(stateDir.resolve(key).resolve("pid"));
    }

    /** The HAProxy pid of every instance, by instance key. */
    private Map<String, Long> pids(List<UUID> pools) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (UUID p : pools) {
            for (String key : InstanceProcesses.keys(p, options.pairs())) {
                out.put(key, pid(key));
            }
        }
        return out;
    }

    private static long ticks(Iterable<Long> pids) {
        return sumOfKnown(pids, ProcStats::cpuTicks);
    }

    private static long cpuNanos(Iterable<Long> pids) {
        return sumOfKnown(pids, ProcStats::cpuNanos);
    }

    /** The sum of a per-process figure over the processes it is known for (positive). */
    private static long sumOfKnown(Iterable<Long> pids, java.util.function.LongUnaryOperator figure) {
        long sum = 0;
        for (long pid : pids) {
            long t = figure.applyAsLong(pid);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private double clockTicksPerSecond() {
        try {
            return Double.parseDouble(shell.execute(Command.of("getconf", "CLK_TCK")).stdout().strip());
        } catch (RuntimeException e) {
            return 100;
        }
    }

    /** Returns wall ms, JVM CPU ms, HAProxy CPU ms, observations. */
    private double[] sweep(List<UUID> pools, Map<String, Long> pids) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long hp0 = cpuNanos(pids.values());
        long t0 = System.nanoTime();
        Map<UUID, Observation> obs = driver.observeAll(pools);
        long wall = System.nanoTime() - t0;
        long cpu1 = os.getProcessCpuTime();
        long hp1 = cpuNanos(pids.values());
        return new double[] {wall / 1e6, (cpu1 - cpu0) / 1e6, (hp1 - hp0) / 1e6, obs.size()};
    }

    /**
     * Deletes everything through the service, in windows of {@link #TEARDOWN_WINDOW} load balancers
     * ({@link #PAIR_TEARDOWN_WINDOW} pairs):
     * submitting all N deletions at once would queue most of them behind the service's four driver
     * threads for longer than its driver deadline (60 s), and the service interrupts a call whose
     * deadline passed, which leaves its VIP in place.
     */
    private double teardown(List<UUID> pools) {
        long t0 = System.nanoTime();
        int size = options.pairs() ? PAIR_TEARDOWN_WINDOW : TEARDOWN_WINDOW;
        for (int from = 0; from < pools.size(); from += size) {
            List<UUID> window = pools.subList(from, Math.min(pools.size(), from + size));
            List<CompletableFuture<?>> vips = new ArrayList<>();
            for (UUID pool : window) {
                service.loadBalancer(pool).vip().ifPresent(v -> vips.add(service.deleteVip(v.id()).outcome().toCompletableFuture()));
            }
            awaitAll(vips, "VIP deletions");
            List<CompletableFuture<?>> rest = new ArrayList<>();
            for (UUID pool : window) {
                UUID m = monitorOfPool.get(pool);
                if (m != null) {
                    rest.add(service.disassociate(pool, m).outcome().toCompletableFuture());
                }
            }
            awaitAll(rest, "monitor disassociations");
            rest.clear();
            for (UUID pool : window) {
                try {
                    rest.add(service.deletePool(pool).outcome().toCompletableFuture());
                } catch (RuntimeException e) {
                    notes.add("pool " + pool + " could not be deleted: " + e.getMessage());
                }
            }
            awaitAll(rest, "pool deletions");
        }
        for (UUID pool : pools) {
            UUID m = monitorOfPool.get(pool);
            if (m != null) {
                try {
                    await(service.deleteHealthMonitor(m));
                } catch (RuntimeException e) {
                    notes.add("health monitor " + m + " could not be deleted: " + e.getMessage());
                }
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private void awaitAll(List<CompletableFuture<?>> futures, String what) {
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(600, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            notes.add(what + " did not all complete: " + e);
        }
    }

    /** Removes every instance (reconcile with nothing desired), the topology and the work directory. */
    private void cleanup() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        List<String> left = new ArrayList<>();
        List<RuntimeException> problems = new ArrayList<>();
        try {
            if (service != null) {
                service.close();
            }
        } catch (RuntimeException e) {
            problems.add(e);
        }
        if (settings != null) {
            LoadBalancerDriver d = null;
            try {
                if (driver != null) {
                    driver.close();
                }
                d = newDriver();
                var report = d.reconcile(List.of());
                if (!report.failed().isEmpty()) {
                    left.add("reconcile failed for " + report.failed().keySet());
                }
            } catch (RuntimeException e) {
                problems.add(e);
            } finally {
                if (d != null) {
                    d.close();
                }
            }
            InstanceProcesses.programsUnder(stateDir).forEach((pid, program) -> left.add(program + " process " + pid));
            try {
                List<String> prefixes = new ArrayList<>(List.of(settings.get("namespace_prefix")));
                synchronized (deviceKeys) {
                    for (String k : deviceKeys) {
                        prefixes.addAll(options.pairs() ? List.of("tap" + k, "t1p" + k, "ha0-" + k, "ha1-" + k) : List.of("tap" + k));
                    }
                }
                Leftovers.names(shell, prefixes).forEach(n -> left.add("namespace or device " + n));
            } catch (RuntimeException e) {
                problems.add(e);
            }
            left.addAll(Leftovers.entriesOf(stateDir));
        }
        if (topology != null) {
            try {
                topology.close();
            } catch (RuntimeException e) {
                left.add(e.getMessage());
            }
        }
        if (work != null) {
            try {
                MoreFiles.deleteRecursively(work);
            } catch (IOException e) {
                left.add("work directory " + work);
            }
        }
        problems.forEach(e -> left.add("cleanup error: " + e));
        leftovers = List.copyOf(left);
        if (!left.isEmpty()) {
            log.println("LEFT BEHIND: " + left);
        }
    }

    private void cleanupQuietly() {
        try {
            cleanup();
        } catch (RuntimeException | Error e) {
            System.err.println("capacity cleanup failed: " + e);
        }
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            sleep(Duration.ofMillis(100));
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Runs {@code lbaas bench capacity} with these arguments (see {@link org.lbaas.benchmarks.Bench}).
     *
     * @param args {@code --count N [--out DIR] ...}
     */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "capacity";
        System.arraycopy(args, 0, all, 1, args.length);
        org.lbaas.benchmarks.Bench.main(all);
    }
}

package org.lbaas.benchmarks.failover;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lbaas.benchmarks.Teardown;
import org.lbaas.benchmarks.client.AgentProcess;
import org.lbaas.benchmarks.failover.FailoverResult.Run;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.Leftovers;
import org.lbaas.lab.netns.NetnsTopology;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Measures failovers of the {@code haproxy-ns} driver's active/standby pairs (issue 14,
 * "Performance") in one run on one machine.
 *
 * <p>On a {@link NetnsTopology} (bridge, client namespace, backends {@code a b c} running test
 * backends) a driver with {@code topology=active_standby} on a temporary state directory and an HA
 * bridge of this run's name deploys three load balancers with members {@code a b c}: {@code SOURCE_IP}
 * persistence on TCP, {@code APP_COOKIE} (cookie {@code sid}, which the test backends set on
 * {@code /setcookie?name=sid}) and {@code HTTP_COOKIE} (HAProxy inserts {@code SRV}) on HTTP. Each has
 * sticky clients: for {@code SOURCE_IP} each from its own address added to the client namespace,
 * for the cookie kinds each with the cookie it was given. Then, for each {@link FailureKind},
 * {@code runs} times (rotating over the three load balancers):
 * <ol>
 *   <li>wait until the driver reports one ACTIVE and one STANDBY instance, note the member of each
 *       sticky client;</li>
 *   <li>start the load client loops on the VIP (half keep-alive, half one connection per request,
 *       1 s read timeout, 10 ms pause after a failed request, no retry);</li>
 *   <li>inject the failure into the ACTIVE instance; the time {@code t0} is taken just before;</li>
 *   <li>a probe client sends requests on new connections back to back (200 ms connect and read
 *       timeout, 2 ms apart) from just after the failure; failure to first success is the time from
 *       {@code t0} to the first 200 read (both JVMs read {@code CLOCK_MONOTONIC}, checked at start);
 *       at most 10 s;</li>
 *   <li>each sticky client sends a request (retrying for up to 3 s) and is kept when the same member
 *       answers; the driver's {@code probe} (is the failure reported) and {@code observe} (does the
 *       other instance become ACTIVE within five advert intervals and 0.5 s) are read;</li>
 *   <li>the failure is undone where the repair does not (link up again for {@code link-cut}),
 *       {@code driver.repair(lb)} runs (once more if it fails; the failure is reported as a problem
 *       of the run), and the harness waits (at most 20 s) until the pair has one ACTIVE and one
 *       STANDBY again; then the load stops and its failed requests are counted.</li>
 * </ol>
 * Everything is bounded in time and count. Everything it creates carries the topology's random
 * {@code lbt…} prefix or this run's port and pool ids, and is removed at the end, after a failure
 * and, through a shutdown hook, on interrupt (driver reconcile with nothing desired, the HA bridge,
 * the topology); what is still there is reported in {@link FailoverResult#leftovers()}. Needs root,
 * {@code ip}, {@code haproxy} and {@code keepalived}.
 *
 * <p>Command line: {@code lbaas bench failover [--runs N] [--kinds K,...] [--advert-interval MS]},
 * parsed by {@link org.lbaas.benchmarks.Bench}.
 */
public final class FailoverHarness {

    static final String TENANT = "failover";
    private static final int BACKEND_PORT = 8080;
    private static final int VIP_PORT = 80;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PAIR_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STICKY_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PROBE_TRY_MS = 200;
    private static final long AWAIT_MAX_MS = 10_000;
    /** Addresses the topology hands out ({@code .100} to {@code .254}): 3 VIPs, 6 instance addresses, sticky sources. */
    static final int MAX_STICKY_CLIENTS = 20;

    /**
     * What to run.
     *
     * @param runs runs of each failure kind
     * @param kinds the failures, in order, each once
     * @param advertInterval the pairs' VRRP advert interval (10 ms to 40950 ms, whole centiseconds)
     * @param stickyClients sticky clients per load balancer
     * @param loadClients load client loops (half keep-alive, rounded up, the rest one connection per request)
     */
    public record Options(int runs, List<FailureKind> kinds, Duration advertInterval, int stickyClients, int loadClients) {
        /**
         * Validates.
         *
         * @param runs runs per kind
         * @param kinds failures
         * @param advertInterval advert interval
         * @param stickyClients sticky clients
         * @param loadClients load loops
         */
        public Options {
            kinds = List.copyOf(kinds);
            Objects.requireNonNull(advertInterval, "advertInterval");
            if (runs < 1 || runs > 1000) {
                throw new IllegalArgumentException("runs must be 1 to 1000, not " + runs);
            }
            if (kinds.isEmpty() || kinds.stream().distinct().count() != kinds.size()) {
                throw new IllegalArgumentException("kinds must name at least one failure, each once: " + kinds);
            }
            long ms = advertInterval.toMillis();
            if (ms < 10 || ms > 40_950 || ms % 10 != 0 || !advertInterval.equals(Duration.ofMillis(ms))) {
                throw new IllegalArgumentException("advert interval must be 10 to 40950 ms in whole centiseconds, not " + ms + " ms");
            }
            if (stickyClients < 1 || stickyClients > MAX_STICKY_CLIENTS) {
                throw new IllegalArgumentException("sticky clients must be 1 to " + MAX_STICKY_CLIENTS + ", not " + stickyClients);
            }
            if (loadClients < 1 || loadClients > 64) {
                throw new IllegalArgumentException("load clients must be 1 to 64, not " + loadClients);
            }
        }

        /**
         * Defaults around a number of runs.
         *
         * @param runs runs per kind
         * @return every kind, 100 ms adverts, 4 sticky clients per load balancer, 4 load loops
         */
        public static Options of(int runs) {
            return new Options(runs, List.of(FailureKind.values()), Duration.ofMillis(100), 4, 4);
        }
    }

    /** A sticky client: its source address ({@code -}: any) and cookie, if any. */
    private static final class Sticky {
        final String source;
        String cookie;

        Sticky(String source) {
            this.source = source;
        }
    }

    /** A deployed load balancer with its sticky clients. */
    private record Target(String persistence, LoadBalancer lb, List<Sticky> sticky) {
        String vip() {
            return lb.vip().orElseThrow().address().getHostAddress();
        }

        UUID id() {
            return lb.id();
        }

        String portKey() {
            return lb.vip().orElseThrow().portId().toString().substring(0, 11);
        }
    }

    private final Options options;
    private final PrintStream log;
    private final ShellExecutor shell = ShellExecutor.system();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final List<String> notes = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<LoadBalancer> deployed = new ArrayList<>();
    private NetnsTopology topology;
    private Path work;
    private Path stateDir;
    private String driverPrefix;
    private String haBridge;
    private volatile LoadBalancerDriver driver;
    private volatile AgentProcess agent;
    private List<String> leftovers = List.of();

    private FailoverHarness(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Runs every failure and removes everything it created.
     *
     * @param options what to run
     * @param log where progress goes
     * @return the figures, problems and leftovers
     */
    public static FailoverResult run(Options options, PrintStream log) {
        FailoverHarness h = new FailoverHarness(Objects.requireNonNull(options, "options"), Objects.requireNonNull(log, "log"));
        Teardown.measured("failover-cleanup", h::measure, h::cleanupQuietly, h.notes, log);
        return new FailoverResult((int) options.advertInterval().toMillis(), options.loadClients(), options.stickyClients(),
                options.kinds(), h.runs, h.notes, h.leftovers);
    }

    // ------------------------------------------------------------------ set-up

    private void measure() {
        log.println("failover: building the topology");
        topology = NetnsTopology.builder().backends("a", "b", "c").create();
        topology.startBackends();
        try {
            work = Files.createTempDirectory("lbt-fo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stateDir = work.resolve("st");
        driverPrefix = topology.namePrefix() + "q";
        haBridge = topology.namePrefix() + "h";
        Map<String, String> settings = new HashMap<>();
        settings.put("state_dir", stateDir.toString());
        settings.put("namespace_prefix", driverPrefix);
        settings.put("bridge", topology.bridge());
        settings.put("stop_grace", "3s");
        // keepalived sends the gratuitous ARPs of a takeover itself
        settings.put("arping_binary", "none");
        settings.put("ipv6_dad", "skip");
        settings.put("topology", "active_standby");
        settings.put("ha_bridge", haBridge);
        settings.put("advert_interval", options.advertInterval().toMillis() + "ms");
        driver = new HaproxyNsDriverProvider().create(new DriverConfig(settings, shell, Clock.systemUTC()));
        agent = AgentProcess.start(topology.client().namespace(), work.resolve("agent.log"));
        agent.requireSameClock();
        log.println("failover: topology " + topology + ", HA bridge " + haBridge + ", state " + stateDir);

        List<Sticky> sources = new ArrayList<>();
        String prefixLength = topology.ipv4Subnet().substring(topology.ipv4Subnet().indexOf('/') + 1);
        for (int i = 0; i < options.stickyClients(); i++) {
            String a = topology.allocateIpv4().getHostAddress();
            topology.exec(NetnsTopology.CLIENT, Command.of("ip", "addr", "add", a + "/" + prefixLength, "dev", "eth0")
                    .withTimeout(IP_TIMEOUT)).requireSuccess();
            sources.add(new Sticky(a));
        }
        targets.add(deploy("SOURCE_IP", Protocol.TCP, SessionPersistence.sourceIp(), sources));
        targets.add(deploy("APP_COOKIE", Protocol.HTTP, SessionPersistence.appCookie("sid"), anySource()));
        targets.add(deploy("HTTP_COOKIE", Protocol.HTTP, SessionPersistence.httpCookie(), anySource()));
        for (Target t : targets) {
            establish(t);
        }

        for (FailureKind kind : options.kinds()) {
            for (int i = 0; i < options.runs(); i++) {
                Target t = targets.get(i % targets.size());
                Run r = runOnce(kind, i + 1, t);
                runs.add(r);
                log.printf("failover: %s #%d (%s): first success %s ms, %d failed / %d answered, sticky %d/%d, VIP moved %s,"
                                + " probe reported %s%s%n", kind.label(), i + 1, t.persistence(), FailoverResult.ms(r.firstSuccessMs()),
                        r.failed(), r.answered(), r.stickyKept(), r.stickyChecked(), r.vipMoved(), r.probeReported(),
                        r.problem().map(p -> "; PROBLEM: " + p).orElse(""));
            }
        }
        log.println("failover: done measuring");
    }

    private List<Sticky> anySource() {
        List<Sticky> out = new ArrayList<>();
        for (int i = 0; i < options.stickyClients(); i++) {
            out.add(new Sticky("-"));
        }
        return out;
    }

    private Target deploy(String persistence, Protocol protocol, SessionPersistence sp, List<Sticky> sticky) {
        UUID poolId = UUID.randomUUID();
        UUID subnetId = UUID.randomUUID();
        Subnet subnet = Subnet.of(subnetId, topology.ipv4Subnet(), topology.ipv4Gateway().getHostAddress());
        Pool pool = Pool.builder().id(poolId).tenantId(TENANT).subnetId(subnetId).protocol(protocol)
                .lbMethod(LbMethod.ROUND_ROBIN).status(Status.ACTIVE).build();
        Vip v = Vip.builder().id(UUID.randomUUID()).tenantId(TENANT).subnetId(subnetId).address(topology.allocateIpv4())
                .portId(UUID.randomUUID()).protocolPort(VIP_PORT).protocol(protocol).poolId(poolId).sessionPersistence(sp)
                .status(Status.ACTIVE).build();
        List<Member> members = new ArrayList<>();
        for (String b : List.of("a", "b", "c")) {
            members.add(Member.builder().id(UUID.randomUUID()).tenantId(TENANT).poolId(poolId).address(topology.host(b).ipv4())
                    .protocolPort(BACKEND_PORT).weight(1).adminStateUp(true).status(Status.ACTIVE).build());
        }
        List<InetAddress> instances = List.of(topology.allocateIpv4(), topology.allocateIpv4());
        LoadBalancer lb = new LoadBalancer(subnet, pool, Optional.of(v), members, List.of()).withInstanceAddresses(instances);
        synchronized (deployed) {
            deployed.add(lb);
        }
        ApplyResult r = driver.apply(Optional.empty(), lb);
        if (r.action() != ApplyResult.Action.DEPLOYED) {
            throw new IllegalStateException("deploy of the " + persistence + " load balancer: the driver did " + r);
        }
        Target t = new Target(persistence, lb, sticky);
        awaitPair(t).orElseThrow(() -> new IllegalStateException("the " + persistence + " pair did not get one ACTIVE and one STANDBY"
                + " instance within " + PAIR_TIMEOUT + ": " + driver.observe(poolId)));
        agent.probe(t.vip(), VIP_PORT, PROBE_TIMEOUT);
        log.println("failover: deployed the " + persistence + " load balancer " + poolId + " on VIP " + t.vip());
        return t;
    }

    /** Gives each sticky client its member: a cookie for the cookie kinds, and checks that it sticks. */
    private void establish(Target t) {
        for (Sticky s : t.sticky()) {
            String path = t.persistence().equals("APP_COOKIE") ? "/setcookie?name=sid" : "/s";
            String[] first = get(s.source, t.vip(), path, null);
            if (first == null) {
                throw new IllegalStateException("a sticky client of the " + t.persistence() + " load balancer got no answer");
            }
            String wanted = switch (t.persistence()) {
                case "APP_COOKIE" -> "sid=";
                case "HTTP_COOKIE" -> "SRV=";
                default -> null;
            };
            if (wanted != null) {
                if (!first[1].startsWith(wanted)) {
                    throw new IllegalStateException("the " + t.persistence() + " load balancer's answer set no " + wanted
                            + "... cookie: Set-Cookie " + first[1]);
                }
                s.cookie = first[1];
            }
            for (int i = 0; i < 3; i++) {
                String m = member(t, s, STICKY_TIMEOUT);
                if (!first[0].equals(m)) {
                    throw new IllegalStateException("a sticky client of the " + t.persistence() + " load balancer went from "
                            + first[0] + " to " + m + " without any failure");
                }
            }
        }
    }

    // ------------------------------------------------------------------ one run

    private Run runOnce(FailureKind kind, int index, Target t) {
        Optional<Observation> healthy = awaitPair(t);
        if (healthy.isEmpty()) {
            driver.repair(t.lb());
            healthy = awaitPair(t);
        }
        if (healthy.isEmpty()) {
            return skipped(kind, index, t, "the pair had no ACTIVE and STANDBY instance before the run: " + driver.observe(t.id()));
        }
        String activeName = healthy.get().active().orElseThrow().name();
        int ordinal = activeName.equals(namespace(t, 0)) ? 0 : 1;
        Map<Sticky, String> before = new HashMap<>();
        for (Sticky s : t.sticky()) {
            String m = member(t, s, Duration.ofSeconds(1));
            if (m != null) {
                before.put(s, m);
            }
        }
        int ka = (options.loadClients() + 1) / 2;
        agent.startLoad(t.vip(), VIP_PORT, ka, options.loadClients() - ka, 120_000, 50_000_000, Duration.ofSeconds(1),
                Duration.ofMillis(10));
        List<String> problems = new ArrayList<>();
        double firstMs = Double.POSITIVE_INFINITY;
        int kept = 0;
        boolean moved = false;
        boolean reported = false;
        String outcome;
        try {
            Teardown.sleep(Duration.ofMillis(200));
            long t0 = System.nanoTime();
            inject(kind, t, ordinal);
            String r = agent.call("await - " + t.vip() + " " + VIP_PORT + " " + PROBE_TRY_MS + " " + AWAIT_MAX_MS);
            String[] f = r.split(" ");
            if (f[0].equals("ok")) {
                firstMs = (Long.parseLong(f[1]) - t0) / 1e6;
            } else {
                problems.add("the VIP did not serve within " + AWAIT_MAX_MS + " ms: " + r);
            }
            for (Map.Entry<Sticky, String> e : before.entrySet()) {
                if (e.getValue().equals(member(t, e.getKey(), STICKY_TIMEOUT))) {
                    kept++;
                }
            }
            reported = driver.probe(List.of(t.id())).containsKey(t.id());
            moved = otherBecomesActive(t, ordinal);
            undo(kind, t, ordinal);
            repair(t, problems);
            Teardown.sleep(Duration.ofMillis(200));
        } finally {
            outcome = agent.stopLoad();
        }
        String[] o = outcome.split(" ");
        if (o.length < 4 || !o[0].equals("done")) {
            throw new IllegalStateException("the client agent answered " + outcome);
        }
        if (!o[3].equals("-")) {
            log.println("failover:   failed requests by reason: " + o[3]);
        }
        return new Run(kind, index, t.persistence(), firstMs, Long.parseLong(o[1]), Long.parseLong(o[2]), kept, before.size(), moved,
                reported, problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
    }

    /**
     * Repairs the pair and waits for one ACTIVE and one STANDBY; a failed repair is noted and tried
     * once more, so that the next run finds a healthy pair.
     */
    private void repair(Target t, List<String> problems) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                ApplyResult rep = driver.repair(t.lb());
                if (awaitPair(t).isPresent()) {
                    return;
                }
                problems.add("no ACTIVE and STANDBY within " + PAIR_TIMEOUT + " after repair " + attempt + " (" + rep + "): "
                        + driver.observe(t.id()));
            } catch (RuntimeException e) {
                problems.add("repair " + attempt + " failed: " + e.getMessage());
            }
        }
    }

    /**
     * Whether the driver reports the other instance ACTIVE within five advert intervals and half a
     * second (a BACKUP takes over about three intervals after the last advert it heard).
     */
    private boolean otherBecomesActive(Target t, int failedOrdinal) {
        long deadline = System.nanoTime() + options.advertInterval().multipliedBy(5).plusMillis(500).toNanos();
        while (true) {
            boolean moved = driver.observe(t.id()).flatMap(Observation::active).map(InstanceStatus::name)
                    .filter(n -> n.equals(namespace(t, 1 - failedOrdinal))).isPresent();
            if (moved || System.nanoTime() > deadline) {
                return moved;
            }
            Teardown.sleep(Duration.ofMillis(20));
        }
    }

    private static Run skipped(FailureKind kind, int index, Target t, String why) {
        return new Run(kind, index, t.persistence(), Double.POSITIVE_INFINITY, 0, 0, 0, 0, false, false, Optional.of(why));
    }

    private void inject(FailureKind kind, Target t, int ordinal) {
        Path dir = stateDir.resolve(key(t, ordinal));
        switch (kind) {
            case HAPROXY_KILL -> kill(dir.resolve("pid"), "haproxy", dir);
            case KEEPALIVED_KILL -> {
                // the parent first: it would start a new VRRP child for one killed under it
                kill(dir.resolve("keepalived.pid"), "keepalived", dir);
                kill(dir.resolve("vrrp.pid"), "keepalived", dir);
            }
            case LINK_CUT -> ip("link", "set", "dev", vipHostDevice(t, ordinal), "down");
            case NETNS_DELETE -> ip("netns", "del", namespace(t, ordinal));
        }
    }

    private void undo(FailureKind kind, Target t, int ordinal) {
        if (kind == FailureKind.LINK_CUT) {
            ip("link", "set", "dev", vipHostDevice(t, ordinal), "up");
        }
    }

    /** SIGKILL of the process in a pid file, only when its command line names this instance's directory. */
    private static void kill(Path pidFile, String program, Path dir) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip().split("\\s+")[0]);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + pidFile + ": " + e, e);
        }
        String cmd = commandLine(pid);
        if (!cmd.contains(program) || !cmd.contains(dir.toString())) {
            throw new IllegalStateException("process " + pid + " of " + pidFile + " is not this instance's " + program + ": " + cmd);
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        shell.execute(Command.of(argv).withTimeout(IP_TIMEOUT)).requireSuccess();
    }

    /** The instance's key: the pool id for ordinal 0, {@code <pool id>-1} for ordinal 1. */
    private static String key(Target t, int ordinal) {
        return t.id() + (ordinal == 0 ? "" : "-" + ordinal);
    }

    private String namespace(Target t, int ordinal) {
        return driverPrefix + key(t, ordinal);
    }

    /** The host-side veth of an instance's VIP device: {@code tap} (ordinal 0) or {@code t1p} and the port id's first 11 characters. */
    private static String vipHostDevice(Target t, int ordinal) {
        return (ordinal == 0 ? "tap" : "t" + ordinal + "p") + t.portKey();
    }

    /** Waits until the driver reports one ACTIVE and one STANDBY instance; the observation, or empty after the bound. */
    private Optional<Observation> awaitPair(Target t) {
        long deadline = System.nanoTime() + PAIR_TIMEOUT.toNanos();
        while (true) {
            Optional<Observation> o = driver.observe(t.id());
            if (o.isPresent() && o.get().instances().stream().map(InstanceStatus::role).sorted().toList()
                    .equals(List.of(InstanceStatus.Role.ACTIVE, InstanceStatus.Role.STANDBY))) {
                return o;
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Teardown.sleep(Duration.ofMillis(50));
        }
    }

    /** One request; {@code [backend, set-cookie]} for a 200, else null. */
    private String[] get(String source, String vip, String path, String cookie) {
        String r = agent.call("get " + source + " " + vip + " " + VIP_PORT + " 500 " + path + (cookie == null ? "" : " " + cookie));
        String[] f = r.split(" ");
        if (f.length == 4 && f[0].equals("ok") && f[1].equals("200") && !f[2].equals("-")) {
            return new String[] {f[2], f[3]};
        }
        return null;
    }

    /** The member that answers a sticky client, retrying until the bound; null when none did. */
    private String member(Target t, Sticky s, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            String[] r = get(s.source, t.vip(), "/s", s.cookie);
            if (r != null) {
                return r[0];
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Teardown.sleep(Duration.ofMillis(20));
        }
    }

    // ------------------------------------------------------------------ cleanup

    private void cleanupQuietly() {
        Teardown.once(cleaned, this::cleanup, notes, log);
    }

    private void cleanup() {
        Runnable bridge = () -> {
            if (haBridge != null && shell.execute(Command.of("ip", "link", "show", "dev", haBridge).withTimeout(IP_TIMEOUT)).exitCode() == 0) {
                shell.execute(Command.of("ip", "link", "del", "dev", haBridge).withTimeout(IP_TIMEOUT)).requireSuccess();
            }
        };
        Teardown.Outcome o = Teardown.run(agent, driver, List.of(bridge), topology, this::findLeftovers, work);
        notes.addAll(o.problems());
        leftovers = o.leftovers();
    }

    /** Namespaces, devices and processes of this run that still exist, and state directories left. */
    private List<String> findLeftovers() {
        List<String> out = new ArrayList<>();
        if (topology == null) {
            return out;
        }
        List<String> prefixes = new ArrayList<>(List.of(topology.namePrefix()));
        synchronized (deployed) {
            for (LoadBalancer lb : deployed) {
                String port = lb.vip().orElseThrow().portId().toString().substring(0, 11);
                String pool = lb.id().toString().substring(0, 11);
                prefixes.addAll(List.of("tap" + port, "t1p" + port, "ha0-" + pool, "ha1-" + pool));
            }
        }
        try {
            out.addAll(Leftovers.names(shell, prefixes));
        } catch (RuntimeException e) {
            out.add("cannot list namespaces and devices: " + e.getMessage());
        }
        if (work != null) {
            out.addAll(Leftovers.processesMentioning(work));
            out.addAll(Leftovers.entriesOf(stateDir));
        }
        return out;
    }
}

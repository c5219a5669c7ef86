package org.lbaas.benchmarks.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.VipCreate;
import org.lbaas.benchmarks.Samples;
import org.lbaas.benchmarks.Teardown;
import org.lbaas.benchmarks.client.AgentProcess;
import org.lbaas.cluster.Agent;
import org.lbaas.cluster.AgentDrivers;
import org.lbaas.cluster.EmbeddedZooKeeper;
import org.lbaas.cluster.Placement;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.Leftovers;
import org.lbaas.lab.netns.NetnsTopology;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Part 2, failover across nodes: agents in this JVM, each a "node" with its own Curator client,
 * namespace prefix and state directory, with the {@code haproxy-ns} driver on one shared bridge (a
 * {@link NetnsTopology} with backends {@code a b} and a client namespace), a scheduler and a
 * controller over a real ZooKeeper; one load balancer (HTTP, members a and b, a VIP). Each run
 * kills the agent that serves the VIP (for pairs: the one running the ACTIVE instance): its client
 * closes without unregistering (ZooKeeper ends its session at once), its processes (HAProxy,
 * keepalived, the watchers) get SIGKILL by PID and its namespaces are deleted. A client in the
 * client namespace probes the VIP from just after the kill (new connections, 200 ms timeouts); the
 * figure is the kill to the first HTTP 200 through the VIP. The node then comes back (same id,
 * prefix and state directory: it reconciles, nothing is placed on it) before the next run.
 */
final class FailoverPart {

    record Outcome(String section, List<String> notes, List<String> leftovers) {
    }

    private record Node(String id, List<Path> stateDirs, List<String> prefixes, List<LoadBalancerDriver> drivers) {
    }

    private record Run(double firstSuccessMs, double placementMovedMs, String victim, Optional<String> problem) {
    }

    private static final int VIP_PORT = 80;
    private static final int BACKEND_PORT = 8080;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

    private final ClusterHarness.Options options;
    private final PrintStream log;
    private final ShellExecutor shell = ShellExecutor.system();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final List<String> notes = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private List<String> leftovers = List.of();
    private NetnsTopology topology;
    private Path work;
    private String haBridge;
    private EmbeddedZooKeeper zk;
    private LocalCluster cluster;
    private AgentProcess client;
    private UUID pool;
    private String vip;
    private final List<String> devicePrefixes = new ArrayList<>();

    private FailoverPart(ClusterHarness.Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    static Outcome run(ClusterHarness.Options options, PrintStream log) {
        FailoverPart h = new FailoverPart(options, log);
        Teardown.measured("cluster-failover-cleanup", h::measure, h::cleanupQuietly, h.notes, log);
        return new Outcome(h.table(), h.notes, h.leftovers);
    }

    private void measure() {
        topology = NetnsTopology.builder().backends("a", "b").create();
        topology.startBackends();
        work = SchedulingPart.tempDir("lbt-cfo");
        haBridge = topology.namePrefix() + "h";
        String connect = options.zookeeper();
        if (connect == null) {
            zk = EmbeddedZooKeeper.start(work.resolve("zk"), 0, ZooKeeperProcess.tickFor(options.sessionTimeout()));
            connect = zk.connectString();
        }
        cluster = new LocalCluster(connect, options.sessionTimeout());
        if (options.activeStandby()) {
            // the agents share this host: two drivers creating the missing HA bridge at once race ("File exists")
            shell.execute(Command.of("ip", "link", "add", "name", haBridge, "type", "bridge").withTimeout(IP_TIMEOUT)).requireSuccess();
            shell.execute(Command.of("ip", "link", "set", haBridge, "up").withTimeout(IP_TIMEOUT)).requireSuccess();
        }
        for (int i = 1; i <= options.failoverAgents(); i++) {
            startNode("node-" + i);
        }
        cluster.scheduler(options.grace());
        Subnet subnet = Subnet.of(UUID.randomUUID(), topology.ipv4Subnet(), topology.ipv4Gateway().getHostAddress());
        LoadBalancerDriver any = nodes.get("node-1").drivers().get(0);
        LoadBalancerService service = cluster.service(any.capabilities(), subnet, 4);
        client = AgentProcess.start(topology.client().namespace(), work.resolve("client.log"));
        client.requireSameClock();
        pool = Creations.await(service.createPool(PoolCreate.of(LocalCluster.TENANT, subnet.id(), Protocol.HTTP,
                LbMethod.ROUND_ROBIN)), "pool").id();
        for (String b : List.of("a", "b")) {
            Creations.await(service.createMember(MemberCreate.of(LocalCluster.TENANT, pool, topology.host(b).ipv4().getHostAddress(),
                    BACKEND_PORT)), "member");
        }
        Vip v = Creations.await(service.createVip(VipCreate.of(LocalCluster.TENANT, subnet.id(), VIP_PORT, Protocol.HTTP, pool)
                .withAddress(topology.allocateIpv4())), "vip");
        if (v.status() != Status.ACTIVE) {
            throw new IllegalStateException("the VIP is " + v.status() + ": " + v.statusDescription());
        }
        vip = v.address().getHostAddress();
        String port = v.portId().toString().substring(0, 11);
        String key = pool.toString().substring(0, 11);
        devicePrefixes.addAll(List.of("tap" + port, "t1p" + port, "ha0-" + key, "ha1-" + key));
        log.printf("cluster failover: %s, %d agents, topology %s, session timeout %d ms, grace %d ms, VIP %s%n", topology,
                options.failoverAgents(), options.activeStandby() ? "active-standby (placement split)" : "single",
                options.sessionTimeout().toMillis(), options.grace().toMillis(), vip);
        for (int i = 1; i <= options.runs(); i++) {
            Run r = runOnce();
            runs.add(r);
            log.printf("cluster failover #%d: killed %s, first success %.0f ms, placement moved %.0f ms%s%n", i, r.victim(),
                    r.firstSuccessMs(), r.placementMovedMs(), r.problem().map(p -> "; PROBLEM: " + p).orElse(""));
        }
    }

    private void startNode(String id) {
        Node n = nodes.computeIfAbsent(id, k -> {
            int ordinals = options.activeStandby() ? 2 : 1;
            List<Path> dirs = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (int o = 0; o < ordinals; o++) {
                dirs.add(work.resolve(id).resolve("o" + o));
                prefixes.add(topology.namePrefix() + k.substring(k.indexOf('-') + 1) + "o" + o + "-");
            }
            return new Node(id, dirs, prefixes, new ArrayList<>());
        });
        n.drivers().clear();
        for (int o = 0; o < n.stateDirs().size(); o++) {
            Map<String, String> s = new HashMap<>();
            s.put("state_dir", n.stateDirs().get(o).toString());
            s.put("namespace_prefix", n.prefixes().get(o));
            s.put("bridge", topology.bridge());
            s.put("stop_grace", "1s");
            s.put("ipv6_dad", "skip");
            if (options.activeStandby()) {
                s.put("topology", "active_standby");
                s.put("placement", "split");
                s.put("instance_ordinal", Integer.toString(o));
                s.put("ha_bridge", haBridge);
                // keepalived sends the gratuitous ARPs of a takeover itself
                s.put("arping_binary", "none");
            }
            n.drivers().add(new HaproxyNsDriverProvider().create(new DriverConfig(s, shell, Clock.systemUTC())));
        }
        AgentDrivers drivers = n.drivers().size() == 1 ? AgentDrivers.of(n.drivers().get(0)) : AgentDrivers.perOrdinal(n.drivers());
        cluster.agent(id, drivers, HaproxyNsDriverProvider.NAME);
    }

    private Run runOnce() {
        String victim;
        try {
            victim = awaitReady();
        } catch (RuntimeException e) {
            return new Run(Double.NaN, Double.NaN, "-", Optional.of(e.getMessage()));
        }
        AtomicLong moved = new AtomicLong(-1);
        AtomicBoolean done = new AtomicBoolean();
        long t0 = System.nanoTime();
        Thread watcher = new Thread(() -> {
            while (!done.get() && moved.get() < 0) {
                Placement p = cluster.view().placements().get(pool);
                if (p != null && !p.agents().contains(victim)) {
                    moved.set(System.nanoTime());
                }
                sleepQuietly(10);
            }
        }, "placement-watch");
        watcher.setDaemon(true);
        List<String> namespaces = killProcesses(nodes.get(victim));
        CompletableFuture<Agent> death = CompletableFuture.supplyAsync(() -> finishDeath(victim, namespaces));
        watcher.start();
        long maxMs = options.sessionTimeout().plus(options.grace()).plusSeconds(30).toMillis();
        String r = client.call("await - " + vip + " " + VIP_PORT + " 200 " + maxMs);
        String[] f = r.split(" ");
        List<String> problems = new ArrayList<>();
        Agent dead = death.join();
        double firstMs = Double.NaN;
        if (f[0].equals("ok")) {
            firstMs = (Long.parseLong(f[1]) - t0) / 1e6;
        } else {
            problems.add("the VIP did not answer within " + maxMs + " ms: " + r);
        }
        long until = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (moved.get() < 0 && System.nanoTime() < until) {
            sleepQuietly(20);
        }
        done.set(true);
        double movedMs = moved.get() < 0 ? Double.NaN : (moved.get() - t0) / 1e6;
        try {
            dead.close();
            Node n = nodes.get(victim);
            n.drivers().forEach(LoadBalancerDriver::close);
            startNode(victim);
        } catch (RuntimeException e) {
            problems.add("restarting " + victim + ": " + e.getMessage());
        }
        return new Run(firstMs, movedMs, victim, problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
    }

    /**
     * Waits until every agent is registered, the load balancer is placed on live agents and serves
     * (for pairs: one instance ACTIVE, the other STANDBY); returns the agent to kill.
     */
    private String awaitReady() {
        long until = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            var view = cluster.view();
            Placement p = view.placements().get(pool);
            if (view.agents().size() == options.failoverAgents() && p != null && view.agents().keySet().containsAll(p.agents())) {
                Optional<String> victim = active(p);
                if (victim.isPresent() && client.call("probe " + vip + " " + VIP_PORT + " 2000").startsWith("ok")) {
                    return victim.get();
                }
                last = "placement " + p.agents() + ", no serving instance yet";
            } else {
                last = "agents " + view.agents().keySet() + ", placement " + p;
            }
            sleepQuietly(50);
        }
        throw new IllegalStateException("not ready within " + READY_TIMEOUT + ": " + last);
    }

    /** The agent serving the VIP: the only one, or the one whose instance is ACTIVE while the other is STANDBY. */
    private Optional<String> active(Placement p) {
        if (!options.activeStandby()) {
            return Optional.of(p.agents().get(0));
        }
        if (p.agents().size() != 2) {
            return Optional.empty();
        }
        List<InstanceStatus.Role> roles = new ArrayList<>();
        for (int o = 0; o < 2; o++) {
            try {
                roles.add(nodes.get(p.agents().get(o)).drivers().get(o).observe(pool)
                        .flatMap(obs -> obs.instances().stream().findFirst()).map(InstanceStatus::role).orElse(null));
            } catch (RuntimeException e) {
                // the instance is not (yet) running there: not ready
                return Optional.empty();
            }
        }
        if (roles.contains(InstanceStatus.Role.ACTIVE) && roles.contains(InstanceStatus.Role.STANDBY)) {
            return Optional.of(p.agents().get(roles.indexOf(InstanceStatus.Role.ACTIVE)));
        }
        return Optional.empty();
    }

    /**
     * The node's processes die: SIGKILL by PID of every process whose command line names one of
     * its state directories (HAProxy, keepalived, the watchers) and of every process in its
     * namespaces; waits (at most 2 s) until each is gone or a zombie. Returns its namespaces.
     */
    private List<String> killProcesses(Node n) {
        List<ProcessHandle> killed = new ArrayList<>();
        for (Path dir : n.stateDirs()) {
            for (Long pid : Leftovers.commandLinesContaining(dir + "/").keySet()) {
                ProcessHandle.of(pid).ifPresent(killed::add);
            }
        }
        killed.forEach(ProcessHandle::destroyForcibly);
        List<String> namespaces = namespaces(n);
        for (String ns : namespaces) {
            for (String pid : shell.execute(Command.of("ip", "netns", "pids", ns).withTimeout(IP_TIMEOUT)).stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(h -> {
                        h.destroyForcibly();
                        killed.add(h);
                    });
                }
            }
        }
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!killed.stream().allMatch(FailoverPart::dead) && System.nanoTime() < until) {
            sleepQuietly(2);
        }
        return namespaces;
    }

    /** Gone, or a zombie (SIGKILL delivered; the parent has not reaped it yet). */
    private static boolean dead(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The rest of the node's death, while the client probes: its session ends, its namespaces go. */
    private Agent finishDeath(String id, List<String> namespaces) {
        Agent agent = cluster.kill(id);
        for (String ns : namespaces) {
            shell.execute(Command.of("ip", "netns", "del", ns).withTimeout(IP_TIMEOUT)).requireSuccess();
        }
        return agent;
    }

    private List<String> namespaces(Node n) {
        List<String> out = new ArrayList<>();
        for (String line : shell.execute(Command.of("ip", "netns", "list").withTimeout(IP_TIMEOUT)).requireSuccess().stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (n.prefixes().stream().anyMatch(name::startsWith) && !name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String table() {
        List<Double> first = runs.stream().map(Run::firstSuccessMs).filter(d -> !d.isNaN()).toList();
        List<Double> moved = runs.stream().map(Run::placementMovedMs).filter(d -> !d.isNaN()).toList();
        long session = options.sessionTimeout().toMillis();
        long grace = options.grace().toMillis();
        StringBuilder b = new StringBuilder("### Failover across nodes\n\n");
        b.append(String.format(Locale.ROOT, "%d runs, %d agents with haproxy-ns (%s) on one bridge, ZooKeeper %s; agents' session"
                        + " timeout %d ms, scheduler grace %d ms. Each run kills the agent serving the VIP%s: its ZooKeeper client"
                        + " closes without unregistering (the session ends at once: the figure holds no session timeout; a node that"
                        + " dies silently adds up to %d ms until ZooKeeper expires its session), SIGKILL of its processes, its"
                        + " namespaces deleted; a client probes the VIP (new connections, 200 ms timeouts).%n%n", runs.size(),
                options.failoverAgents(), options.activeStandby() ? "active/standby pairs, placement split" : "one instance",
                options.zookeeper() == null ? "embedded in this JVM" : "at " + options.zookeeper(), session, grace,
                options.activeStandby() ? " (the one running the ACTIVE instance)" : "", session));
        b.append("| measurement | median | p95 | max | runs |\n| --- | --- | --- | --- | --- |\n");
        row(b, "kill → the placement names another agent", moved);
        row(b, "kill → first HTTP 200 through the VIP", first);
        double p95 = Samples.percentile(first.isEmpty() ? List.of(Double.NaN) : first, 95);
        double target = options.activeStandby() ? 1000 : grace + 1000;
        b.append(String.format(Locale.ROOT, "%nTarget: %s: p95 %.0f ms %s.%n", options.activeStandby()
                ? "sub-second failover across nodes (≤ 1000 ms)" : "grace + 1 s beyond the session's end (≤ " + (grace + 1000) + " ms)",
                p95, first.size() == runs.size() && p95 <= target ? "PASS" : "MISS"));
        runs.stream().filter(r -> r.problem().isPresent()).forEach(r -> b.append("- problem (").append(r.victim()).append("): ")
                .append(r.problem().get()).append('\n'));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, List<Double> xs) {
        b.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %d |%n", name, Samples.median(xs),
                xs.isEmpty() ? Double.NaN : Samples.percentile(xs, 95), xs.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
                xs.size()));
    }

    // ------------------------------------------------------------------ cleanup

    private void cleanupQuietly() {
        Teardown.once(cleaned, this::cleanup, notes, log);
    }

    private void cleanup() {
        List<Runnable> steps = new ArrayList<>();
        if (cluster != null) {
            steps.add(cluster::close);
        }
        for (Node n : nodes.values()) {
            for (LoadBalancerDriver d : n.drivers()) {
                steps.add(() -> {
                    try {
                        if (!d.reconcile(List.of()).succeeded()) {
                            notes.add("cleanup reconcile failed on " + n.id());
                        }
                    } finally {
                        d.close();
                    }
                });
            }
        }
        if (zk != null) {
            steps.add(zk::close);
        }
        steps.add(() -> {
            if (haBridge != null && shell.execute(Command.of("ip", "link", "show", "dev", haBridge).withTimeout(IP_TIMEOUT)).exitCode() == 0) {
                shell.execute(Command.of("ip", "link", "del", "dev", haBridge).withTimeout(IP_TIMEOUT)).requireSuccess();
            }
        });
        Teardown.Outcome o = Teardown.run(client, null, steps, topology, this::findLeftovers, work);
        notes.addAll(o.problems());
        leftovers = o.leftovers();
    }

    private List<String> findLeftovers() {
        List<String> out = new ArrayList<>();
        if (topology == null) {
            return out;
        }
        try {
            List<String> prefixes = new ArrayList<>(devicePrefixes);
            prefixes.add(topology.namePrefix());
            out.addAll(Leftovers.names(shell, prefixes));
        } catch (RuntimeException e) {
            out.add("cannot list namespaces and devices: " + e.getMessage());
        }
        if (work != null) {
            out.addAll(Leftovers.processesMentioning(work));
            for (Node n : nodes.values()) {
                n.stateDirs().forEach(d -> out.addAll(Leftovers.entriesOf(d)));
            }
        }
        return out;
    }
}

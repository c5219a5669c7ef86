package org.lbaas.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.cluster.Agent;
import org.lbaas.cluster.AgentDrivers;
import org.lbaas.cluster.ClusterView;
import org.lbaas.cluster.EmbeddedZooKeeper;
import org.lbaas.cluster.Placement;
import org.lbaas.cluster.ZooKeeperClients;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.NetnsTopology;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;

/**
 * {@code lbaas demo --cluster}: a cluster on one host. An {@link EmbeddedZooKeeper} (tick 200 ms,
 * data in the demo's scratch directory), three {@link Agent}s in this process ({@code node-1..3},
 * each with its own haproxy-ns driver, namespace prefix and state directory: three "nodes" on the
 * demo's one bridge), a controller ({@link ClusterControl}: the service over ZooKeeper, a scheduler
 * with a grace period of 1 s) and a load balancer over two backends. It sends traffic through the
 * VIP, then kills the node that serves it as a crash would (its ZooKeeper session ends without
 * unregistering, its HAProxy processes get SIGKILL by pid, its namespaces are deleted) and measures
 * the time from the kill to the first request the VIP answers again, from another node.
 */
final class ClusterDemo {

    /** The demo's backends. */
    static final List<String> BACKENDS = List.of("web1", "web2");
    /** How many agents (nodes). */
    static final int NODES = 3;
    /** The embedded server's tick: sessions may last 0.4 s to 4 s. */
    static final Duration TICK = Duration.ofMillis(200);
    /** The agents' and the controller's session timeout. */
    static final Duration SESSION = Duration.ofSeconds(2);
    /** How long a dead agent's registration must be gone before its load balancers move. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** Longest wait for the VIP to answer after the kill. */
    static final Duration FAILOVER_WAIT = Duration.ofSeconds(20);
    /** The cluster's znode root. */
    static final String ROOT = "/lbaas";
    private static final String STEP = "lbaas demo --cluster";

    private final Host host;
    private final Consumer<String> say;
    private final Consumer<Map<String, Integer>> chart;

    /**
     * One agent of the demo.
     *
     * @param id the agent id
     * @param prefix its namespace prefix
     * @param stateDir its driver's state directory
     * @param driver its driver
     * @param client its ZooKeeper client
     * @param agent the agent
     */
    record Node(String id, String prefix, Path stateDir, LoadBalancerDriver driver, CuratorFramework client, Agent agent) {
    }

    ClusterDemo(Host host, Consumer<String> say, Consumer<Map<String, Integer>> chart) {
        this.host = host;
        this.say = say;
        this.chart = chart;
    }

    /** Builds and exercises the cluster; returns what must be found gone afterwards. */
    DemoCommand.Traces world(Cleanup cleanup) {
        NetnsTopology topology = DemoCommand.network(cleanup, BACKENDS, say);
        Path scratch = DemoCommand.scratch(cleanup);
        EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start(scratch.resolve("zookeeper"), 0, TICK);
        cleanup.push("stop the embedded ZooKeeper", zookeeper::close);
        String connect = zookeeper.connectString();
        say.accept("ZooKeeper: an embedded server at " + connect + " (tick " + TICK.toMillis() + " ms, data in "
                + scratch.resolve("zookeeper") + "); every client asks for sessions of " + SESSION.toSeconds() + " s");

        Map<String, Node> nodes = new LinkedHashMap<>();
        for (int i = 1; i <= NODES; i++) {
            Node n = node(cleanup, "node-" + i, DemoCommand.namespacePrefix(topology) + "n" + i + "-",
                    scratch.resolve("node-" + i).resolve("haproxy"), topology.bridge(), connect);
            nodes.put(n.id(), n);
            say.accept("agent " + n.id() + ": haproxy-ns, namespaces " + n.prefix() + "<pool id>, state in " + n.stateDir()
                    + ", on bridge " + topology.bridge() + " (fences after " + n.agent().fenceAfter().toMillis()
                    + " ms without ZooKeeper)");
        }

        CuratorFramework controllerClient = client(cleanup, "the controller", connect);
        LoadBalancer doc = NeutronJson.standard().readDocument(DemoCommand.document(topology, BACKENDS));
        ClusterControl control = ClusterControl.start(controllerClient, ROOT, nodes.get("node-1").driver().capabilities(), GRACE,
                "demo-controller");
        ReportingDriver driver = new ReportingDriver(control.driver());
        LoadBalancerService service = LoadBalancerService.builder().driver(driver).repository(control.repository())
                .subnets(SubnetRegistry.of(doc.subnet())).threads(2).providerName(DriverFactory.DEFAULT_DRIVER)
                .selfHealing(Duration.ZERO).build();
        cleanup.push("stop the controller", () -> {
            try {
                service.close();
            } finally {
                control.close();
            }
        });
        say.accept("controller: LoadBalancerService over ZooKeeperRepository and ClusterDriver, scheduler " + control.scheduler().id()
                + " (grace " + GRACE.toMillis() + " ms before a dead node's load balancers move)");

        say.accept("load balancer: " + Describe.summary(doc, false));
        Deployer deployer = new Deployer(service, driver, STEP, line -> say.accept("  " + line));
        UUID poolId = deployer.create(doc);
        cleanup.push("undeploy the load balancer", () -> deployer.remove(poolId));
        String serving = placedOn(controllerClient, poolId);
        say.accept("placement: the scheduler put it on " + serving + "; HAProxy runs in its namespace "
                + nodes.get(serving).prefix() + poolId);
        printStatus(controllerClient, connect);

        String vipUrl = "http://" + IpAddresses.toText(doc.vip().orElseThrow().address()) + ":80";
        DemoCommand.Traffic traffic = new DemoCommand.Traffic(topology);
        say.accept("traffic: " + DemoCommand.REQUESTS + " requests from the client through the VIP " + vipUrl + ":");
        chart.accept(traffic.spread(vipUrl, DemoCommand.REQUESTS, Optional.empty()));

        Node dead = nodes.get(serving);
        long killedAt = System.nanoTime();
        List<Long> killed = kill(dead);
        say.accept("failover: " + dead.id() + " dies: HAProxy pid " + killed + " killed with SIGKILL, its ZooKeeper session"
                + " closed without unregistering, its namespaces " + dead.prefix() + "* deleted");
        int failed = HaDemo.untilServed(topology, vipUrl, killedAt, FAILOVER_WAIT, STEP + ": failover");
        double ms = (System.nanoTime() - killedAt) / 1e6;
        String now = placedOn(controllerClient, poolId);
        if (now.equals(dead.id()) || !nodes.get(now).agent().serving().containsKey(poolId)) {
            throw new StepFailedException(STEP + ": failover", "the VIP answers, but the load balancer is placed on " + now
                    + ", which " + (now.equals(dead.id()) ? "was killed" : "does not serve it"));
        }
        say.accept(String.format("  the VIP answered again %.0f ms after the kill, from agent %s (namespace %s%s); %d request%s"
                + " of 0.3 s at most failed or timed out before", ms, now, nodes.get(now).prefix(), poolId, failed,
                failed == 1 ? "" : "s"));
        say.accept("traffic: " + DemoCommand.REQUESTS + " requests after the failover:");
        chart.accept(traffic.spread(vipUrl, DemoCommand.REQUESTS, Optional.empty()));
        printStatus(controllerClient, connect);
        String port = service.loadBalancer(poolId).vip().orElseThrow().portId().toString().substring(0, 11);
        return new DemoCommand.Traces(topology.namePrefix(), scratch, List.of("tap" + port));
    }

    /** Starts one agent with its own driver and client; {@code cleanup} stops it and removes what its driver runs. */
    private Node node(Cleanup cleanup, String id, String prefix, Path stateDir, String bridge, String connect) {
        LoadBalancerDriver driver = DriverFactory.create(DemoCommand.haproxySettings(host, stateDir, prefix, bridge),
                ShellExecutor.system());
        cleanup.push("remove the HAProxy instances of " + id, () -> {
            try {
                ReconcileReport r = driver.reconcile(List.of());
                if (!r.succeeded()) {
                    throw new IllegalStateException("reconcile failed: " + r.failed());
                }
            } finally {
                driver.close();
            }
        });
        CuratorFramework client = client(cleanup, "agent " + id, connect);
        Agent agent = Agent.builder().client(client).root(ROOT).agentId(id).driverName(DriverFactory.DEFAULT_DRIVER)
                .drivers(AgentDrivers.of(driver)).observeInterval(Duration.ofSeconds(1)).build().start();
        cleanup.push("stop agent " + id, agent::close);
        return new Node(id, prefix, stateDir, driver, client, agent);
    }

    private static CuratorFramework client(Cleanup cleanup, String who, String connect) {
        CuratorFramework client = ZooKeeperClients.connect(connect, SESSION, Duration.ofSeconds(10));
        cleanup.push("close the ZooKeeper client of " + who, client::close);
        return client;
    }

    /**
     * Kills a node as a crash would: SIGKILL to every HAProxy process of its state directory (by
     * pid), its ZooKeeper session closed without unregistering (the agent stopped without a
     * connection to unregister over), its namespaces deleted.
     *
     * @return the pids killed
     */
    private List<Long> kill(Node node) {
        String marker = node.stateDir() + "/";
        List<ProcessHandle> haproxy = ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("haproxy") && c.contains(marker)).orElse(false)).toList();
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle p : haproxy) {
            if (p.destroyForcibly()) {
                pids.add(p.pid());
            }
        }
        if (pids.isEmpty()) {
            throw new StepFailedException(STEP + ": kill " + node.id(), "no HAProxy process of " + node.stateDir() + " runs");
        }
        node.client().close();
        node.agent().close();
        String ip = host.findProgram("ip").orElseThrow().toString();
        CommandResult list = run(ip, "netns", "list");
        for (String line : list.stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(node.prefix())) {
                CommandResult r = run(ip, "netns", "delete", name);
                if (r.exitCode() != 0) {
                    throw new StepFailedException(STEP + ": kill " + node.id(), "ip netns delete " + name + ": " + r.stderr().strip());
                }
            }
        }
        return pids;
    }

    private static CommandResult run(String... argv) {
        return ShellExecutor.system().execute(Command.of(argv).withTimeout(Duration.ofSeconds(10)));
    }

    /** The agent a load balancer is placed on (ordinal 0). */
    private static String placedOn(CuratorFramework client, UUID poolId) {
        Placement p = ClusterView.read(client, ROOT).placements().get(poolId);
        if (p == null) {
            throw new StepFailedException(STEP + ": placement", "load balancer " + poolId + " is not placed");
        }
        return p.agents().get(0);
    }

    /** Prints {@code lbaas cluster status}. */
    private void printStatus(CuratorFramework client, String connect) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            ClusterCommand.StatusCommand.print(ClusterView.read(client, ROOT), p);
        }
        say.accept("lbaas cluster status --zookeeper " + connect + ":");
        text.toString(StandardCharsets.UTF_8).lines().forEach(l -> say.accept("  " + l));
    }
}

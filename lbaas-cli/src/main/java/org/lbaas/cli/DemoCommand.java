package org.lbaas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.lbaas.api.Repository;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;
import org.lbaas.lab.backend.TestBackendProcess;
import org.lbaas.lab.netns.Leftovers;
import org.lbaas.lab.netns.NetnsTopology;
import picocli.CommandLine.Option;

/**
 * {@code lbaas demo}: a load balancer at work in a world of network namespaces built for the
 * occasion, and removed afterwards (also on Ctrl-C).
 *
 * <ol>
 *   <li>a bridge, a client and three backends ({@code web1..3}, each a small HTTP server that
 *       reports its name) in their own namespaces ({@link NetnsTopology});</li>
 *   <li>an HTTP load balancer deployed through {@code LoadBalancerService} and the haproxy-ns
 *       driver: round robin, an HTTP health monitor on {@code /health} every second, HTTP_COOKIE
 *       persistence;</li>
 *   <li>traffic from the client: how it spreads, and that a cookie keeps a client on one backend;</li>
 *   <li>one backend fails its health check: the monitor takes it out, traffic avoids it, and it
 *       comes back when it recovers;</li>
 *   <li>live statistics, then everything removed and checked gone.</li>
 * </ol>
 *
 * <p>With {@code --ha} the load balancer is an active/standby pair ({@code topology=active_standby}
 * on an HA bridge of the demo's own), and instead of step 4 the demo kills the active HAProxy and
 * shows the failover ({@link HaDemo}); the HA bridge is removed with the rest.
 *
 * <p>With {@code --cluster} the load balancer runs on one of three agents of a cluster in this
 * process, and the demo kills that node and measures the failover to another ({@link ClusterDemo}).
 */
@picocli.CommandLine.Command(name = "demo", description = "build a small world in namespaces and watch a load balancer work",
        footer = {"Creates a bridge, three backend HTTP servers and a client in their own network namespaces, deploys an HTTP"
                + " load balancer with an HTTP health monitor and HTTP_COOKIE persistence, sends traffic and shows how it"
                + " spreads, makes one backend fail its health check and shows the monitor take it out, shows live"
                + " statistics, and removes everything it created, also on Ctrl-C. Needs root; on a Debian-family system it"
                + " installs haproxy, iproute2 and curl when they are missing (saying so). Takes well under a minute.",
                "", "With --ha the load balancer is an active/standby pair (HAProxy and keepalived in two namespaces, the VIP on"
                + " the VRRP master): instead of the failing backend, the demo kills the active HAProxy with SIGKILL, measures"
                + " the time to the first request the standby serves, shows the cookie client keep its backend, repairs the"
                + " pair (the repaired instance rejoins as STANDBY) and shows the roles; it also needs keepalived.",
                "", "With --cluster: an embedded ZooKeeper (sessions of 2 s), three agents in this process, each a \"node\" with"
                + " the haproxy-ns driver, its own namespace prefix and state directory, all on the demo's bridge, and a"
                + " controller (the service over ZooKeeper, its scheduler placing load balancers with a grace period of 1 s)."
                + " It deploys a load balancer over two backends, sends traffic, then kills the node that serves it (its"
                + " ZooKeeper session ends without unregistering, its HAProxy gets SIGKILL, its namespaces are deleted) and"
                + " measures the time until the VIP answers again from another node."})
final class DemoCommand extends LbaasCommand {

    static final List<String> BACKENDS = List.of("web1", "web2", "web3");
    static final String FAILING = "web2";
    static final int REQUESTS = 30;
    static final int STICKY_REQUESTS = 10;
    static final int MONITOR_DELAY = 1;
    static final int MONITOR_RETRIES = 2;
    private static final Duration HEALTH_WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--dry-run",
            description = "change nothing, root not needed: print the configuration and every command the demo would run")
    boolean dryRun;

    @Option(names = "--no-install", description = "never install missing packages, only name them")
    boolean noInstall;

    @Option(names = "--ha", description = "deploy an active/standby pair and show a failover: kill the active HAProxy,"
            + " traffic continues, the cookie client keeps its backend, repair brings the instance back as STANDBY")
    boolean ha;

    @Option(names = "--cluster", description = "a cluster on this host instead: an embedded ZooKeeper, three agents (nodes)"
            + " and a controller; kill the node that serves the load balancer and measure until another one serves it")
    boolean cluster;

    private PrintStream out;
    private long start;

    @Override
    public Integer call() {
        out = out();
        start = System.nanoTime();
        if (dryRun && ha) {
            throw new UsageException("--ha: not available with --dry-run (a pair's commands depend on the instance addresses"
                    + " the service allocates with the VIP); run 'lbaas demo --dry-run' for the single-instance plan");
        }
        if (cluster && (dryRun || ha)) {
            throw new UsageException("--cluster: not available with " + (dryRun ? "--dry-run" : "--ha") + " (run 'lbaas demo"
                    + " --cluster' alone)");
        }
        return dryRun ? dryRun() : live();
    }

    // ------------------------------------------------------------------------------ live

    private int live() {
        Prerequisites.requireRoot(this, "it creates network namespaces, a bridge and HAProxy processes");
        say("lbaas demo: an HTTP load balancer in network namespaces, built, exercised and removed (Ctrl-C cleans up too)");
        if (cluster) {
            say("lbaas demo --cluster: three agents (network nodes) behind an embedded ZooKeeper, a controller, and a node that"
                    + " dies (Ctrl-C cleans up too)");
        }
        Prerequisites.require(host(), out, "lbaas demo: prerequisites", ha
                ? List.of(Prerequisites.HAPROXY, Prerequisites.IP, Prerequisites.CURL, Prerequisites.KEEPALIVED)
                : List.of(Prerequisites.HAPROXY, Prerequisites.IP, Prerequisites.CURL), !noInstall);
        Path haproxy = host().findProgram("haproxy").orElseThrow();
        Path ip = host().findProgram("ip").orElseThrow();
        say("found " + firstLine(host().shell(), haproxy.toString(), "-v") + " (" + haproxy + "), " + ip
                + ", " + host().findProgram("curl").orElseThrow());
        if (ha) {
            Path keepalived = host().findProgram("keepalived").orElseThrow();
            say("found " + firstLine(host().shell(), keepalived.toString(), "--version") + " (" + keepalived + ")");
        }

        Cleanup cleanup = new Cleanup();
        cleanup.onShutdown(() -> {
            out.println();
            out.println("interrupted: removing everything the demo created ...");
            out.flush();
        });
        List<String> cleanupFailures;
        Traces traces;
        try {
            traces = cluster ? new ClusterDemo(host(), this::say, c -> chart(ClusterDemo.BACKENDS, c)).world(cleanup) : world(cleanup);
        } finally {
            say("cleanup: removing the load balancer, the backends, the namespaces and the bridge");
            cleanupFailures = cleanup.run();
        }
        cleanupFailures.forEach(f -> err().println("lbaas demo: cleanup: " + f));
        List<String> left = traces.leftovers(host().shell());
        if (!left.isEmpty() || !cleanupFailures.isEmpty()) {
            left.forEach(l -> err().println("lbaas demo: cleanup: left behind: " + l));
            return CliException.FAILURE;
        }
        say("nothing left behind: no namespace, device or process of " + traces.prefix() + " or q" + traces.prefix() + "-");
        say(String.format("done in %.1f s", seconds()));
        return 0;
    }

    /**
     * The demo's network: a bridge, a client and these backends in their own namespaces, the
     * backends' HTTP servers started; removed by {@code cleanup}.
     */
    static NetnsTopology network(Cleanup cleanup, List<String> backends, Consumer<String> say) {
        NetnsTopology topology = NetnsTopology.builder().backends(backends.toArray(String[]::new)).create();
        List<Long> backendPids = new java.util.concurrent.CopyOnWriteArrayList<>();
        cleanup.push("remove the backends, namespaces and bridge", () -> {
            topology.close();
            for (long pid : backendPids) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("backend process " + pid + " still runs");
                }
            }
        });
        say.accept("network: bridge " + topology.bridge() + ", subnet " + topology.ipv4Subnet() + ", namespaces "
                + String.join(", ", topology.hosts().values().stream().map(NetnsTopology.Host::namespace).toList()));
        Map<String, TestBackendProcess> processes = topology.startBackends();
        processes.values().forEach(p -> backendPids.add(p.pid()));
        say.accept("backends: " + String.join(", ", backends.stream().map(b -> b + " " + topology.host(b).ipv4().getHostAddress()
                + ":8080").toList()) + " (HTTP servers that answer with their name), client "
                + topology.client().ipv4().getHostAddress());
        return topology;
    }

    /** A scratch directory for the demo's state, deleted by {@code cleanup}. */
    static Path scratch(Cleanup cleanup) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("lbaas-demo-");
        } catch (IOException e) {
            throw new StepFailedException("lbaas demo: state directory", e.toString(), e);
        }
        cleanup.push("delete " + scratch, () -> {
            try {
                if (Files.exists(scratch)) {
                    MoreFiles.deleteRecursively(scratch);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return scratch;
    }

    /** The haproxy-ns settings of a demo node: its state directory and namespace prefix, the demo's bridge, the host's programs. */
    static Map<String, String> haproxySettings(Host host, Path stateDir, String prefix, String bridge) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("state_dir", stateDir.toString());
        settings.put("namespace_prefix", prefix);
        settings.put("bridge", bridge);
        settings.put("haproxy_binary", host.findProgram("haproxy").orElseThrow().toString());
        settings.put("ip_binary", host.findProgram("ip").orElseThrow().toString());
        host.findProgram("nsenter").ifPresent(p -> settings.put("nsenter_binary", p.toString()));
        settings.put("arping_binary", "none");
        settings.put("stop_grace", "2s");
        return settings;
    }

    /** Builds and exercises the world; returns what must be found gone afterwards. */
    private Traces world(Cleanup cleanup) {
        NetnsTopology topology = network(cleanup, BACKENDS, this::say);
        Path scratch = scratch(cleanup);
        String prefix = namespacePrefix(topology);
        Map<String, String> settings = haproxySettings(host(), scratch.resolve("haproxy"), prefix, topology.bridge());
        if (ha) {
            String haBridge = haBridge(topology);
            settings.put("topology", Shared.Topology.ACTIVE_STANDBY);
            settings.put("ha_bridge", haBridge);
            host().findProgram("keepalived").ifPresent(p -> settings.put("keepalived_binary", p.toString()));
            host().findProgram("sysctl").ifPresent(p -> settings.put("sysctl_binary", p.toString()));
            cleanup.push("delete the HA bridge " + haBridge, () -> {
                if (Files.exists(Path.of("/sys/class/net", haBridge))) {
                    CommandResult r = ShellExecutor.system().execute(Command.of(settings.get("ip_binary"), "link", "del", haBridge)
                            .withTimeout(Duration.ofSeconds(10)));
                    if (r.exitCode() != 0) {
                        throw new IllegalStateException("ip link del " + haBridge + ": " + r.stderr().strip());
                    }
                }
            });
        }
        LoadBalancer doc = NeutronJson.standard().readDocument(document(topology));
        Session session = Session.open("lbaas demo", settings, ShellExecutor.system(), Repository.inMemory(), List.of(doc.subnet()));
        cleanup.push("release the service", session::close);
        cleanup.push("remove every HAProxy instance of the demo", () -> {
            var report = session.driver().reconcile(List.of());
            if (!report.succeeded()) {
                throw new IllegalStateException("reconcile failed: " + report.failed());
            }
        });
        say("load balancer: " + Describe.summary(doc, false));
        say("  health monitor: " + Describe.monitor(doc.healthMonitors().get(0)));
        Deployer deployer = new Deployer(session.service(), session.driver(), "lbaas demo", line -> say("  " + line));
        UUID poolId = deployer.create(doc);
        cleanup.push("undeploy the load balancer", () -> deployer.remove(poolId));
        Map<UUID, String> backendOf = new LinkedHashMap<>();
        for (int i = 0; i < doc.members().size(); i++) {
            backendOf.put(doc.members().get(i).id(), BACKENDS.get(i));
        }
        HaDemo pair = new HaDemo(session, topology, scratch.resolve("haproxy"), prefix, poolId, this::say);
        String active = "";
        if (ha) {
            say("  HAProxy and keepalived run in namespaces " + String.join(" and ", InstanceRoles.namespaces(prefix, poolId))
                    + ", linked over the HA bridge " + settings.get("ha_bridge") + " (state in " + scratch.resolve("haproxy") + ")");
            active = pair.awaitPair("roles (VRRP elected a master; the VIP lives on the ACTIVE instance)");
        } else {
            say("  HAProxy runs in namespace " + prefix + poolId + " (state in " + scratch.resolve("haproxy") + ")");
        }

        String vipUrl = "http://" + IpAddresses.toText(doc.vip().orElseThrow().address()) + ":80";
        Traffic traffic = new Traffic(topology);
        Map<String, Integer> spread = traffic.spread(vipUrl, REQUESTS, Optional.empty());
        say("traffic: " + REQUESTS + " requests from the client, no cookie:");
        chart(spread);

        NetnsTopology.HttpResponse first = topology.httpGet(NetnsTopology.CLIENT, vipUrl + "/");
        String firstBackend = first.body().strip();
        String cookie = first.header("set-cookie").map(c -> c.split(";", 2)[0].strip())
                .orElseThrow(() -> new StepFailedException("lbaas demo: persistence", "the load balancer set no cookie"));
        Map<String, Integer> sticky = traffic.spread(vipUrl, STICKY_REQUESTS, Optional.of(cookie));
        say("persistence: the first response went to " + firstBackend + " and set the cookie " + cookie + ";");
        say("  " + STICKY_REQUESTS + " more requests with that cookie went to: " + describe(sticky));

        if (ha) {
            pair.repair(pair.failover(active, vipUrl, traffic, cookie, firstBackend, this::chart));
        } else {
            health(session, topology, poolId, backendOf, vipUrl, traffic);
        }

        PoolStats stats = session.service().stats(poolId);
        say("statistics of pool " + poolId + " (Neutron's stats, read live from HAProxy" + (ha ? ", the sum over both instances"
                : "") + "):");
        NeutronJson.standard().writeStats(stats).lines().forEach(l -> out.println("          " + l));
        healthTable(session, poolId, backendOf);
        out.flush();
        return new Traces(topology.namePrefix(), scratch, ha ? pairDevices(poolId) : List.of());
    }

    /** Step 4: a backend fails its health check, the monitor takes it out, it recovers. */
    private void health(Session session, NetnsTopology topology, UUID poolId, Map<UUID, String> backendOf, String vipUrl,
                        Traffic traffic) {
        say("health: " + FAILING + " now fails its health check (/health answers 503)");
        topology.httpGet(NetnsTopology.CLIENT, topology.backendUrl(FAILING, "/control/fail"));
        long failedAt = System.nanoTime();
        UUID failingMember = backendOf.entrySet().stream().filter(e -> e.getValue().equals(FAILING)).findFirst()
                .orElseThrow().getKey();
        awaitHealth(session, poolId, failingMember, MemberHealth.DOWN);
        say(String.format("  the monitor marked %s DOWN after %.1f s (a check every %d s, down after %d failures)", FAILING,
                (System.nanoTime() - failedAt) / 1e9, MONITOR_DELAY, MONITOR_RETRIES));
        healthTable(session, poolId, backendOf);
        Map<String, Integer> degraded = traffic.spread(vipUrl, REQUESTS, Optional.empty());
        say("traffic: " + REQUESTS + " requests while " + FAILING + " is DOWN:");
        chart(degraded);

        say("health: " + FAILING + " recovers");
        topology.httpGet(NetnsTopology.CLIENT, topology.backendUrl(FAILING, "/control/recover"));
        long recoveredAt = System.nanoTime();
        awaitHealth(session, poolId, failingMember, MemberHealth.UP);
        say(String.format("  the monitor marked %s UP again after %.1f s", FAILING, (System.nanoTime() - recoveredAt) / 1e9));
    }

    /**
     * The demo's HA bridge: the topology's prefix and {@code h}, so it is unique like the
     * topology's names and found by the leftover check if it were left behind.
     */
    static String haBridge(NetnsTopology topology) {
        return topology.namePrefix() + "h";
    }

    /** The prefixes of the host-side HA link devices of a pair ({@code ha<ordinal>-} and the pool id's first 11 characters). */
    static List<String> pairDevices(UUID poolId) {
        return List.of("ha0-" + poolId.toString().substring(0, 11), "ha1-" + poolId.toString().substring(0, 11));
    }

    /**
     * The load balancer's namespace prefix: unique like the topology's names, but not starting with
     * the topology's prefix, whose cleanup would otherwise count the load balancer's namespace as its own.
     */
    static String namespacePrefix(NetnsTopology topology) {
        return "q" + topology.namePrefix() + "-";
    }

    private void awaitHealth(Session session, UUID poolId, UUID member, MemberHealth wanted) {
        long deadline = System.nanoTime() + HEALTH_WAIT.toNanos();
        MemberHealth seen = null;
        while (System.nanoTime() < deadline) {
            seen = session.service().memberHealth(poolId).get(member);
            if (seen == wanted) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new StepFailedException("lbaas demo: health monitor", "member " + member + " is " + seen + ", not " + wanted
                + ", after " + HEALTH_WAIT.toSeconds() + " s");
    }

    private void healthTable(Session session, UUID poolId, Map<UUID, String> backendOf) {
        Map<UUID, MemberHealth> health = session.service().memberHealth(poolId);
        List<String> cells = new ArrayList<>();
        backendOf.forEach((id, name) -> cells.add(name + " " + Optional.ofNullable(health.get(id)).map(Enum::name).orElse("?")));
        say("  member health: " + String.join(", ", cells));
    }

    private void chart(Map<String, Integer> counts) {
        chart(BACKENDS, counts);
    }

    /** Prints how many requests each of these backends answered, then any other outcome. */
    private void chart(List<String> backends, Map<String, Integer> counts) {
        for (String b : backends) {
            int n = counts.getOrDefault(b, 0);
            out.println(String.format("          %-6s %3d  %s", b, n, "#".repeat(n)).stripTrailing());
        }
        counts.forEach((k, v) -> {
            if (!backends.contains(k)) {
                out.printf("          %-6s %3d%n", k, v);
            }
        });
        out.flush();
    }

    static String describe(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    /** The demo's load balancer document, in the format of {@code lbaas validate}. */
    static String document(NetnsTopology topology) {
        return document(topology, BACKENDS);
    }

    /** The demo's document with these backend hosts as members. */
    static String document(NetnsTopology topology, List<String> backends) {
        String tenant = "demo";
        ObjectNode root = JSON.createObjectNode();
        UUID subnetId = UUID.randomUUID();
        ObjectNode subnet = root.putObject("subnet");
        subnet.put("id", subnetId.toString());
        subnet.put("name", "demo");
        subnet.put("cidr", topology.ipv4Subnet());
        subnet.put("gateway_ip", topology.ipv4Gateway().getHostAddress());
        UUID poolId = UUID.randomUUID();
        ObjectNode pool = root.putObject("pool");
        pool.put("id", poolId.toString());
        pool.put("tenant_id", tenant);
        pool.put("name", "demo-web");
        pool.put("protocol", "HTTP");
        pool.put("lb_method", "ROUND_ROBIN");
        ObjectNode vip = root.putObject("vip");
        vip.put("id", UUID.randomUUID().toString());
        vip.put("name", "demo-vip");
        vip.put("address", topology.allocateIpv4().getHostAddress());
        vip.put("protocol_port", 80);
        vip.put("protocol", "HTTP");
        vip.putObject("session_persistence").put("type", "HTTP_COOKIE");
        ArrayNode members = root.putArray("members");
        for (String b : backends) {
            ObjectNode m = members.addObject();
            m.put("id", UUID.randomUUID().toString());
            m.put("address", topology.host(b).ipv4().getHostAddress());
            m.put("protocol_port", 8080);
        }
        ObjectNode monitor = root.putArray("health_monitors").addObject();
        monitor.put("id", UUID.randomUUID().toString());
        monitor.put("type", "HTTP");
        monitor.put("delay", MONITOR_DELAY);
        monitor.put("timeout", 1);
        monitor.put("max_retries", MONITOR_RETRIES);
        monitor.put("http_method", "GET");
        monitor.put("url_path", "/health");
        monitor.put("expected_codes", "200");
        return root.toPrettyString();
    }

    /**
     * What the live demo must find gone afterwards: namespaces and devices of its topology
     * ({@code prefix}) and of its load balancer ({@code q} + prefix), and its scratch state
     * directory with any process that names it; for a pair also its HA link devices ({@code others}).
     */
    record Traces(String prefix, Path scratch, List<String> others) {

        List<String> leftovers(ShellExecutor shell) {
            List<String> left = new ArrayList<>();
            List<String> prefixes = new ArrayList<>(List.of(prefix, "q" + prefix));
            prefixes.addAll(others);
            try {
                Leftovers.names(shell, prefixes).forEach(n -> left.add("namespace or device " + n));
            } catch (RuntimeException e) {
                left.add("cannot list namespaces and devices: " + e.getMessage());
            }
            if (Files.exists(scratch)) {
                left.add("directory " + scratch);
            }
            left.addAll(Leftovers.processesMentioning(scratch));
            return left;
        }
    }

    // ------------------------------------------------------------------------------ dry run

    private int dryRun() {
        out.println("# lbaas demo --dry-run: what the demo would do; nothing is changed and root is not needed");
        for (Prerequisites.Program p : List.of(Prerequisites.HAPROXY, Prerequisites.IP, Prerequisites.CURL)) {
            Optional<Path> found = host().findProgram(p.name());
            out.println("# " + p.name() + ": " + found.map(Path::toString).orElse("MISSING (" + p.purpose() + "; the demo"
                    + " installs the package " + p.debianPackage() + " with apt-get when run as root on Debian/Ubuntu)"));
        }
        // The topology's commands only build and remove namespaces, a bridge and veth pairs: printed as given, nothing
        // reads their (empty) answers.
        DryRunShellExecutor shell = new DryRunShellExecutor(out);
        out.println("# 1. the network: a bridge, and a client and three backends in their own namespaces");
        NetnsTopology topology = NetnsTopology.builder().executor(shell).backends(BACKENDS.toArray(String[]::new)).create();
        try {
            out.println("# 2. the backends: one small HTTP server (a JVM) in each backend namespace");
            for (String b : BACKENDS) {
                List<String> argv = TestBackendProcess.builder(b).namespace(topology.host(b).namespace()).bind("::").port(8080)
                        .argv();
                out.print(DryRunShellExecutor.shellLine(Command.of(argv)).replace(" &\n", "\n").stripTrailing() + " &\n");
            }
            String prefix = namespacePrefix(topology);
            String stateDir = "/tmp/lbaas-demo-XXXXXX/haproxy";
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("state_dir", stateDir);
            settings.put("namespace_prefix", prefix);
            settings.put("bridge", topology.bridge());
            settings.put("arping_binary", "none");
            LoadBalancer doc = NeutronJson.standard().readDocument(document(topology));
            out.println("# 3. the load balancer, through LoadBalancerService and the haproxy-ns driver: " + Describe.summary(doc, false));
            out.println("#    health monitor: " + Describe.monitor(doc.healthMonitors().get(0)));
            String vipUrl = "http://" + IpAddresses.toText(doc.vip().orElseThrow().address()) + ":80";
            // The driver's plan: built by the code a deploy runs, so it is what the live demo's deploy (through the
            // service, when the VIP is created) writes and runs; the pool id is the document's.
            out.println("#    the service creates the pool, the members and the monitor (the driver runs nothing for them),"
                    + " then the VIP: the driver writes this configuration and runs these commands:");
            DryRun.print(DryRun.plan("lbaas demo --dry-run", doc, settings), out);
            out.println("# HAProxy now serves " + vipUrl + " in namespace " + prefix + doc.id()
                    + " (the document's pool id)");
            out.println("# 4. traffic from the client namespace (" + REQUESTS + " requests; then " + STICKY_REQUESTS
                    + " with the cookie of the first response)");
            Traffic traffic = new Traffic(topology);
            traffic.spread(vipUrl, REQUESTS, Optional.empty());
            topology.exec(NetnsTopology.CLIENT, Traffic.curl(List.of("--include"), vipUrl + "/"));
            traffic.spread(vipUrl, STICKY_REQUESTS, Optional.of("SRV=<value of the first response's Set-Cookie>"));
            out.println("# 5. " + FAILING + " fails its health check; the demo then polls member health over HAProxy's stats socket"
                    + " (show stat, no command) until it reads DOWN, sends traffic again, and lets " + FAILING + " recover");
            topology.exec(NetnsTopology.CLIENT, Traffic.curl(List.of(), topology.backendUrl(FAILING, "/control/fail")));
            traffic.spread(vipUrl, REQUESTS, Optional.empty());
            topology.exec(NetnsTopology.CLIENT, Traffic.curl(List.of(), topology.backendUrl(FAILING, "/control/recover")));
            out.println("# 6. statistics are read over the stats socket too; then everything is removed: the driver stops"
                    + " HAProxy (SIGUSR1, SIGTERM after stop_grace), deletes namespace " + prefix + "<pool id> and its state"
                    + " directory, the backends get SIGTERM, and the topology is deleted:");
        } finally {
            topology.close();
        }
        out.println("# (dry run: nothing was changed)");
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------------------ helpers

    private void say(String line) {
        out.printf("[%5.1fs] %s%n", seconds(), line);
        out.flush();
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String firstLine(ShellExecutor shell, String... argv) {
        try {
            CommandResult r = shell.execute(Command.of(argv).withTimeout(Duration.ofSeconds(10)));
            return r.stdout().lines().findFirst().orElse(argv[0]).strip();
        } catch (RuntimeException e) {
            return argv[0];
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("lbaas demo", "interrupted", e);
        }
    }

    /** HTTP requests from the client namespace with curl. */
    static final class Traffic {
        private final NetnsTopology topology;

        Traffic(NetnsTopology topology) {
            this.topology = topology;
        }

        /**
         * Sends {@code n} requests over one keep-alive connection and counts who answered: a
         * backend's name (its response body), or {@code failed <status>}.
         */
        Map<String, Integer> spread(String baseUrl, int n, Optional<String> cookie) {
            List<String> extra = new ArrayList<>(List.of("--write-out", "~~%{http_code}\\n"));
            cookie.ifPresent(c -> extra.addAll(List.of("--header", "Cookie: " + c)));
            CommandResult r = topology.exec(NetnsTopology.CLIENT, curl(extra, baseUrl + "/r?[1-" + n + "]")
                    .withTimeout(Duration.ofSeconds(30)));
            Map<String, Integer> counts = new LinkedHashMap<>();
            String body = null;
            for (String line : r.stdout().split("\n")) {
                if (line.startsWith("~~")) {
                    String code = line.substring(2).strip();
                    String who = code.equals("200") && body != null ? body : "failed " + code;
                    counts.merge(who, 1, Integer::sum);
                    body = null;
                } else if (!line.isBlank()) {
                    body = line.strip();
                }
            }
            return counts;
        }

        static Command curl(List<String> options, String url) {
            List<String> argv = new ArrayList<>(List.of("curl", "--silent", "--globoff", "--noproxy", "*", "--max-time", "5"));
            argv.addAll(options);
            if (url.contains("[1-")) {
                argv.remove("--globoff");
            }
            argv.add(url);
            return Command.of(argv);
        }
    }
}

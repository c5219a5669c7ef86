package org.lbaas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.PoolView;
import org.lbaas.api.Repository;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.haproxy.DeployPlan;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deploy}, {@code update}, {@code undeploy}, {@code status}, {@code stats} and
 * {@code reconcile}: load balancers run for real by the haproxy-ns driver, kept in a
 * {@link StateDir}. The changing commands go through {@link LoadBalancerService}; {@code status}
 * and {@code stats} only read (the repository and the running instances), so they never repair or
 * restart anything.
 */
final class DeployCommands {

    private static final Logger LOG = LoggerFactory.getLogger(DeployCommands.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two-space indent and {@code "key": value}, as {@code NeutronJson} writes. */
    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = JSON.writer(
            new com.fasterxml.jackson.core.util.DefaultPrettyPrinter(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                    .withArrayIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n"))
                    .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n")));
    private static final String ROOT_REASON = "it creates network namespaces and runs HAProxy in them";

    private DeployCommands() {
    }

    // ------------------------------------------------------------------------------ declarations

    @Command(name = "deploy", description = "deploy a load balancer document with HAProxy in a network namespace",
            footer = {"Goes through LoadBalancerService, as an application would: creates the pool, its members and health"
                    + " monitors, associates them and creates the VIP, each under the document's id, then prints the pool id."
                    + " Deploying a document again (after a failure or a kill) creates what is missing and accepts what exists."
                    + " If a first deploy fails, what it created is removed again. Needs root (network namespaces), except"
                    + " with --dry-run."})
    static final class DeployCommand extends Shared.PlacedCommand {
        @Parameters(paramLabel = "FILE", description = Shared.FILE)
        String file;
        @Option(names = "--dry-run", description = "change nothing: print the configuration and every command a deploy would run")
        boolean dryRun;

        @Override
        public Integer call() {
            return deploy(this);
        }
    }

    @Command(name = "update", description = "change a deployed load balancer to match its document",
            footer = {"Applies only the differences, object by object (member changes go through HAProxy's runtime API where"
                    + " possible, without a reload). Attributes that LBaaS v1 fixes at creation (protocol, addresses) are"
                    + " replaced by removing and re-creating the object."})
    static final class UpdateCommand extends Shared.PlacedCommand {
        @Parameters(paramLabel = "FILE", description = "the load balancer document of a deployed pool (same pool id)")
        String file;

        @Override
        public Integer call() {
            return update(this);
        }
    }

    @Command(name = "undeploy", description = "remove a deployed load balancer and everything made for it")
    static final class UndeployCommand extends Shared.StateDirCommand {
        @Parameters(paramLabel = "POOL_ID", description = Shared.POOL_ID)
        String poolId;

        @Override
        public Integer call() {
            return undeploy(this);
        }
    }

    @Command(name = "status", description = "list deployed load balancers: namespace, pid, status, member health",
            footer = {"With --topology active-standby, each load balancer lists its two instances (namespaces PREFIX<pool id>"
                    + " and PREFIX<pool id>-1) with their roles (ACTIVE, STANDBY, FAULT or UNKNOWN, since when) and their"
                    + " HAProxy pids, and the pair is DEGRADED while one instance is down."})
    static final class StatusCommand extends Shared.StateDirCommand {
        @Override
        public Integer call() {
            return status(this);
        }
    }

    @Command(name = "stats", description = "print a pool's statistics (Neutron JSON) and its members' health",
            footer = {"For an active/standby pair the statistics are the sum over both instances, member health is the"
                    + " active instance's, and \"instances\" lists each instance's name (namespace), role and since."})
    static final class StatsCommand extends Shared.StateDirCommand {
        @Parameters(paramLabel = "POOL_ID", description = Shared.POOL_ID)
        String poolId;

        @Override
        public Integer call() {
            return stats(this);
        }
    }

    @Command(name = "reconcile", description = "repair what runs so that it matches what is deployed",
            footer = {"Adopts healthy HAProxy instances without restarting them, restarts crashed ones and removes instances"
                    + " (namespaces, processes, files) of pools that are not deployed; namespaces and devices another owner"
                    + " recorded are left alone and listed. Exits 1 if a load balancer could not be repaired."})
    static final class ReconcileCommand extends Shared.PlacedCommand {
        @Override
        public Integer call() {
            return reconcile(this);
        }
    }

    // ------------------------------------------------------------------------------ deploy

    static int deploy(DeployCommand inv) {
        String cmd = "lbaas deploy";
        LoadBalancer lb = Documents.read(inv.file, inv.io());
        StateDir dir = inv.stateDir();
        if (inv.dryRun) {
            return dryRun(inv, dir, lb);
        }
        Prerequisites.requireRoot(inv, ROOT_REASON);
        Map<String, String> settings = withPrograms(dir.driverSettings(inv.placement.given(), false), inv.host());
        Prerequisites.require(inv.host(), inv.err(), cmd + ": prerequisites", Shared.Topology.activeStandby(settings)
                ? List.of(Prerequisites.HAPROXY, Prerequisites.IP, Prerequisites.KEEPALIVED)
                : List.of(Prerequisites.HAPROXY, Prerequisites.IP), false);
        Prerequisites.requireBridge(cmd + ": interface", settings);
        StateDir.Held lock = dir.lock(cmd);
        try {
            DeployedDocument.refuseLegacy(dir, cmd);
            dir.driverSettings(inv.placement.given(), true);
            try (Session s = Session.open(cmd, settings, inv.host().shell(), Repository.fileStore(dir.store()),
                    List.of(lb.subnet()))) {
                requireSupported(s.driver(), lb);
                UUID poolId = new Deployer(s.service(), s.driver(), cmd, LOG::info, dir.journal()).create(lb);
                inv.out().println(poolId);
            }
        } finally {
            lock.close();
        }
        return 0;
    }

    /**
     * Prints what a deploy does, without doing it: the objects go through the service one by one,
     * and only the VIP's creation makes the driver deploy (before it, the load balancer is not
     * deployable and the driver runs nothing); the driver's {@code plan} says what that deploy
     * writes and runs.
     */
    private static int dryRun(DeployCommand inv, StateDir dir, LoadBalancer lb) {
        String cmd = "lbaas deploy --dry-run";
        Map<String, String> real = dir.driverSettings(inv.placement.given(), false);
        inv.out().println("# " + cmd + ": " + Describe.summary(lb));
        if (!lb.isDeployable()) {
            DryRun.requireSupported(cmd, lb, real);
            inv.out().println("# Nothing is changed. A deploy creates the objects through LoadBalancerService, and the"
                    + " haproxy-ns driver runs no command.");
            inv.out().println("# " + (lb.vip().isEmpty() ? "The document has no VIP" : "The VIP is admin down")
                    + ": the objects are created, but nothing runs.");
            inv.out().println("# (dry run: nothing was changed)");
            return 0;
        }
        DeployPlan plan = DryRun.plan(cmd, lb, real);
        inv.out().println("# Nothing is changed. A deploy creates the pool, its members and health monitors through"
                + " LoadBalancerService (the haproxy-ns driver runs nothing for them), then the VIP: on a host that has"
                + " nothing of this load balancer, the driver then writes this configuration (in an owner-only directory,"
                + " beside the instance's network record) and runs these commands, in order:");
        DryRun.print(plan, inv.out());
        String ns = real.getOrDefault("namespace_prefix", "qlbaas-") + lb.id();
        inv.out().println("# HAProxy now serves " + Describe.vip(lb.vip().orElseThrow()) + " in namespace " + ns
                + "; the driver waits until its stats socket answers, and deploy prints the pool id. If a step fails,"
                + " the driver undoes the steps before it, in reverse.");
        inv.out().println("# (dry run: nothing was changed)");
        return 0;
    }

    /**
     * Refuses a document the driver cannot carry, before anything is created. The instance
     * addresses a driver needs are not the document's to give: the service allocates them with the
     * VIP, so their absence here is not a failure.
     */
    private static void requireSupported(LoadBalancerDriver driver, LoadBalancer lb) {
        List<String> unsupported = Failures.lines(driver.capabilities().unsupported(lb).stream()
                .filter(v -> !(v.path().equals("instance_addresses") && lb.instanceAddresses().isEmpty())).toList());
        if (!unsupported.isEmpty()) {
            throw new InvalidInputException(unsupported);
        }
    }

    // ------------------------------------------------------------------------------ update

    static int update(UpdateCommand inv) {
        String cmd = "lbaas update";
        LoadBalancer lb = Documents.read(inv.file, inv.io());
        StateDir dir = inv.stateDir();
        Prerequisites.requireRoot(inv, ROOT_REASON);
        StateDir.Held lock = dir.lock(cmd);
        try {
            DeployedDocument.refuseLegacy(dir, cmd);
            UUID poolId = lb.pool().id();
            if (!Files.isDirectory(dir.store())) {
                throw notDeployed(dir, poolId);
            }
            Map<String, String> settings = withPrograms(dir.driverSettings(inv.placement.given(), true), inv.host());
            try (Session s = Session.open(cmd, settings, inv.host().shell(), Repository.fileStore(dir.store()),
                    List.of(lb.subnet()))) {
                requireSupported(s.driver(), lb);
                Deployer deployer = new Deployer(s.service(), s.driver(), cmd, LOG::info, dir.journal());
                if (s.service().listPools().stream().noneMatch(p -> p.id().equals(poolId))) {
                    deployer.settle();
                    throw notDeployed(dir, poolId);
                }
                List<String> changes = deployer.converge(lb);
                if (changes.isEmpty()) {
                    inv.out().println("pool " + poolId + ": nothing to change");
                } else {
                    inv.out().println("pool " + poolId + ": " + String.join("; ", changes));
                }
            }
        } finally {
            lock.close();
        }
        return 0;
    }

    private static InvalidInputException notDeployed(StateDir dir, UUID poolId) {
        return new InvalidInputException("pool.id: no pool " + poolId + " is deployed in " + dir.root()
                + "; deploy the document with 'lbaas deploy'");
    }

    // ------------------------------------------------------------------------------ undeploy

    static int undeploy(UndeployCommand inv) {
        String cmd = "lbaas undeploy";
        UUID id = poolId(inv.poolId);
        StateDir dir = inv.stateDir();
        Prerequisites.requireRoot(inv, ROOT_REASON);
        requireStateDir(dir, id);
        StateDir.Held lock = dir.lock(cmd);
        try {
            Optional<DeployedDocument> legacy = DeployedDocument.byEitherId(dir, id);
            UUID poolId = legacy.map(DeployedDocument::poolId).orElse(id);
            try (Session s = Session.open(cmd, withPrograms(dir.driverSettings(Map.of(), false), inv.host()), inv.host().shell(),
                    Repository.fileStore(dir.store()), List.of())) {
                Deployer deployer = new Deployer(s.service(), s.driver(), cmd, LOG::info, dir.journal());
                if (s.service().listPools().stream().noneMatch(p -> p.id().equals(poolId))) {
                    deployer.settle();
                    legacy.ifPresent(d -> d.delete(dir));
                    throw new InvalidInputException("POOL_ID: no pool " + id + " is deployed in " + dir.root());
                }
                deployer.remove(poolId);
                legacy.ifPresent(d -> d.delete(dir));
            }
            inv.out().println("undeployed pool " + poolId);
        } finally {
            lock.close();
        }
        return 0;
    }

    // ------------------------------------------------------------------------------ status

    static int status(StatusCommand inv) {
        StateDir dir = inv.stateDir();
        Prerequisites.requireRoot(inv, "it reads the state directory and HAProxy's owner-only stats sockets");
        if (!Files.isDirectory(dir.store())) {
            inv.out().println("no load balancers deployed in " + dir.root());
            return 0;
        }
        Repository.Contents contents = Repository.fileStore(dir.store()).load();
        List<StoredLoadBalancer> stored = contents.loadBalancers();
        Map<UUID, org.lbaas.model.HealthMonitor> monitors = new java.util.HashMap<>();
        contents.healthMonitors().forEach(m -> monitors.put(m.id(), m));
        if (stored.isEmpty()) {
            inv.out().println("no load balancers deployed in " + dir.root());
            return 0;
        }
        Map<String, String> settings = dir.driverSettings(Map.of(), false);
        String prefix = settings.getOrDefault("namespace_prefix", "qlbaas-");
        List<UUID> served = stored.stream().filter(s -> s.vip().map(Vip::adminStateUp).orElse(false)).map(StoredLoadBalancer::id).toList();
        Inspection seen = inspect(inv, settings, stored.stream().map(StoredLoadBalancer::id).toList(), served);
        Map<UUID, Observation> observed = seen.observed();
        List<DeployedDocument> docs = DeployedDocument.all(dir);
        boolean pairs = Shared.Topology.activeStandby(settings);
        for (StoredLoadBalancer s : stored) {
            UUID id = s.id();
            // the driver's probe says whether it serves: a live HAProxy of ours in its namespace; a dead or
            // foreign pid, or a deleted namespace, is not "running", and its member health is not shown
            Optional<String> down = Optional.ofNullable(seen.down().get(id));
            // a pair with one instance down still serves from the other: its observation (member health as the
            // active instance sees it, each instance's role) is shown; it is absent when neither instance runs
            Optional<Observation> o = down.isPresent() && !pairs ? Optional.empty() : Optional.ofNullable(observed.get(id));
            String doc = docs.stream().filter(d -> d.poolId().equals(id)).findFirst()
                    .map(d -> "  (document pool " + d.documentPoolId() + ")").orElse("");
            inv.out().println("pool " + id + "  " + (s.pool().name().isEmpty() ? "" : s.pool().name() + "  ")
                    + s.pool().protocol() + " " + s.pool().lbMethod() + "  " + status(s.pool().status(), s.pool().statusDescription())
                    + doc);
            inv.out().println("  vip        " + s.vip().map(v -> Describe.vipDetails(v) + "  " + status(v.status(), v.statusDescription()))
                    .orElse("none (nothing deployed)"));
            if (pairs && served.contains(id)) {
                inv.out().println("  pair       " + (down.isPresent() ? "DEGRADED: " + down.get() + " (lbaas reconcile repairs it)"
                        : seen.probed() ? "running" : "state unknown (the driver could not be asked)"));
                InstanceRoles.lines(InstanceRoles.namespaces(prefix, id), o,
                        ns -> ns.startsWith(prefix) ? pid(dir, ns.substring(prefix.length())) : Optional.empty())
                        .forEach(inv.out()::println);
            } else {
                inv.out().println("  namespace  " + prefix + id + "  " + state(served.contains(id), down, seen.probed(),
                        pid(dir, id.toString())));
            }
            for (Member m : s.members()) {
                String health = o.map(ob -> Optional.ofNullable(ob.memberHealth().get(m.id())).map(MemberHealth::name)
                        .orElse("unknown")).orElse("-");
                inv.out().println("  member     " + Describe.endpoint(m) + "  weight " + m.weight() + "  "
                        + status(m.status(), m.statusDescription()) + "  health " + health);
            }
            for (PoolMonitorAssociation a : s.associations()) {
                inv.out().println("  monitor    " + Optional.ofNullable(monitors.get(a.monitorId())).map(Describe::monitor)
                        .orElse(a.monitorId().toString()) + "  " + status(a.status(), a.statusDescription()));
            }
        }
        return 0;
    }

    /** What runs of a single-instance load balancer, as the driver's probe and its pid file say. */
    private static String state(boolean served, Optional<String> down, boolean probed, Optional<Long> pid) {
        if (!served) {
            return "nothing runs";
        } else if (down.isPresent()) {
            return "HAProxy NOT running: " + down.get() + " (lbaas reconcile restarts it)";
        } else if (!probed) {
            return pid.map(p -> "haproxy pid " + p + " (state unknown: the driver could not be asked)").orElse("state unknown");
        }
        return pid.map(p -> "haproxy pid " + p + " running").orElse("running");
    }

    private static String status(Status status, String description) {
        return status + (description.isEmpty() ? "" : " (" + description + ")");
    }

    /** The live pid in an instance's pid file ({@code haproxy/<instance key>/pid}; the key of ordinal 0 is the pool id). */
    private static Optional<Long> pid(StateDir dir, String instanceKey) {
        return InstanceRoles.livePid(dir.haproxy().resolve(instanceKey).resolve("pid"));
    }

    /**
     * What status saw: the driver's probe of the served load balancers (reason by id for those not
     * served; {@code probed} false when the driver could not be asked) and their observations.
     */
    private record Inspection(boolean probed, Map<UUID, String> down, Map<UUID, Observation> observed) {
    }

    private static Inspection inspect(LbaasCommand inv, Map<String, String> settings, List<UUID> ids, List<UUID> served) {
        try (LoadBalancerDriver driver = DriverFactory.create(settings, inv.host().shell())) {
            Map<UUID, String> down;
            boolean probed = true;
            try {
                down = driver.probe(served);
            } catch (DriverException e) {
                inv.err().println(inv.name() + ": probe: " + CliException.oneLine(e.operatorMessage()));
                down = Map.of();
                probed = false;
            }
            Map<UUID, Observation> observed;
            try {
                observed = driver.observeAll(ids);
            } catch (DriverException e) {
                inv.err().println(inv.name() + ": read statistics: " + CliException.oneLine(e.operatorMessage()));
                observed = Map.of();
            }
            return new Inspection(probed, down, observed);
        } catch (DriverException e) {
            inv.err().println(inv.name() + ": start the driver: " + CliException.oneLine(e.operatorMessage()));
            return new Inspection(false, Map.of(), Map.of());
        }
    }

    // ------------------------------------------------------------------------------ stats

    static int stats(StatsCommand inv) {
        UUID id = poolId(inv.poolId);
        StateDir dir = inv.stateDir();
        Prerequisites.requireRoot(inv, "it reads HAProxy's owner-only stats sockets");
        requireStateDir(dir, id);
        UUID poolId = id;
        StoredLoadBalancer s = Repository.fileStore(dir.store()).load().loadBalancers().stream()
                .filter(l -> l.id().equals(poolId)).findFirst()
                .orElseThrow(() -> new InvalidInputException("POOL_ID: no pool " + id + " is deployed in " + dir.root()));
        Optional<Observation> o;
        try (LoadBalancerDriver driver = DriverFactory.create(dir.driverSettings(Map.of(), false), inv.host().shell())) {
            o = driver.observe(poolId);
        }
        PoolStats stats = o.map(Observation::stats).orElse(PoolStats.ZERO);
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(NeutronJson.standard().writeStats(stats));
            root.put("pool_id", poolId.toString());
            root.put("running", o.isPresent());
            List<org.lbaas.driver.spi.InstanceStatus> instances = o.map(Observation::instances).orElse(List.of());
            if (!instances.isEmpty()) {
                ArrayNode list = root.putArray("instances");
                for (org.lbaas.driver.spi.InstanceStatus i : instances) {
                    ObjectNode n = list.addObject();
                    n.put("name", i.name());
                    n.put("role", i.role().name());
                    i.since().ifPresentOrElse(t -> n.put("since", t.toString()), () -> n.putNull("since"));
                }
            }
            ArrayNode members = root.putArray("members");
            for (Member m : s.members()) {
                ObjectNode n = members.addObject();
                n.put("id", m.id().toString());
                n.put("address", IpAddresses.toText(m.address()));
                n.put("protocol_port", m.protocolPort());
                n.put("status", m.status().name());
                n.put("health", o.map(ob -> Optional.ofNullable(ob.memberHealth().get(m.id())).map(MemberHealth::name)
                        .orElse("UNKNOWN")).orElse("UNKNOWN"));
            }
            inv.out().print(PRETTY.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new StepFailedException("lbaas stats: write JSON", e.toString(), e);
        }
        return 0;
    }

    // ------------------------------------------------------------------------------ reconcile

    static int reconcile(ReconcileCommand inv) {
        String cmd = "lbaas reconcile";
        StateDir dir = inv.stateDir();
        Prerequisites.requireRoot(inv, ROOT_REASON);
        Map<String, String> settings = withPrograms(dir.driverSettings(inv.placement.given(), true), inv.host());
        StateDir.Held lock = dir.lock(cmd);
        try (Session s = Session.open(cmd, settings, inv.host().shell(), Repository.fileStore(dir.store()), List.of())) {
            new Deployer(s.service(), s.driver(), cmd, LOG::info, dir.journal()).settle();
            ReconcileReport r = s.startupReconcile().orElseGet(() -> s.driver().reconcile(desired(s.service())));
            int pools = s.service().listPools().size();
            inv.out().println("reconcile: " + Describe.plural(pools, "load balancer") + " deployed in " + dir.root());
            r.adopted().forEach(id -> inv.out().println("  adopted   " + id + "  (runs as deployed; left untouched)"));
            r.repaired().forEach(id -> inv.out().println("  repaired  " + id + "  (restarted or re-applied)"));
            r.removed().forEach(id -> inv.out().println("  removed   " + id + "  (ran without being deployed)"));
            r.foreign().stream().sorted().forEach(f -> inv.out().println("  left alone  " + f
                    + "  (not made by this state directory; another owner's, never changed)"));
            List<String> failures = new ArrayList<>();
            r.failed().forEach((id, e) -> failures.add(cmd + ": " + id + ": " + CliException.oneLine(e.operatorMessage())));
            for (PoolView p : s.service().listPools()) {
                if (inError(s.service(), p)) {
                    PoolView after = await(cmd, s.service().retry(p.id()).outcome().toCompletableFuture());
                    boolean ok = !inError(s.service(), after);
                    inv.out().println("  retried   " + p.id() + "  (" + (ok ? "now " + after.pool().status() : "still in ERROR") + ")");
                    if (!ok) {
                        failures.add(cmd + ": " + p.id() + ": still in ERROR after a retry"
                                + s.driver().lastFailure(p.id()).map(f -> ": " + f).orElse(""));
                    }
                }
            }
            if (r.adopted().isEmpty() && r.repaired().isEmpty() && r.removed().isEmpty() && r.foreign().isEmpty()
                    && failures.isEmpty()) {
                inv.out().println("  nothing to do");
            }
            failures.forEach(inv.err()::println);
            return failures.isEmpty() ? 0 : CliException.FAILURE;
        } finally {
            lock.close();
        }
    }

    private static List<LoadBalancer> desired(LoadBalancerService service) {
        return service.listPools().stream().map(p -> service.loadBalancer(p.id())).toList();
    }

    private static boolean inError(LoadBalancerService service, PoolView p) {
        if (p.pool().status() == Status.ERROR || p.healthMonitorsStatus().stream().anyMatch(a -> a.status() == Status.ERROR)) {
            return true;
        }
        LoadBalancer lb = service.loadBalancer(p.id());
        return lb.vip().map(v -> v.status() == Status.ERROR).orElse(false)
                || lb.members().stream().anyMatch(m -> m.status() == Status.ERROR);
    }

    private static <T> T await(String step, java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(Deployer.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException(step, "interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw Failures.of(step, e);
        }
    }

    // ------------------------------------------------------------------------------ shared

    /**
     * The settings of a real run, with {@code haproxy}, {@code ip} and {@code nsenter} (and for
     * active/standby pairs {@code keepalived} and {@code sysctl}) as absolute paths when they are
     * installed off the {@code PATH} (often {@code /usr/sbin} for a non-login shell).
     */
    static Map<String, String> withPrograms(Map<String, String> settings, Host host) {
        Map<String, String> s = new java.util.LinkedHashMap<>(settings);
        host.findProgram("haproxy").ifPresent(p -> s.putIfAbsent("haproxy_binary", p.toString()));
        host.findProgram("ip").ifPresent(p -> s.putIfAbsent("ip_binary", p.toString()));
        host.findProgram("nsenter").ifPresent(p -> s.putIfAbsent("nsenter_binary", p.toString()));
        if (Shared.Topology.activeStandby(settings)) {
            host.findProgram("keepalived").ifPresent(p -> s.putIfAbsent("keepalived_binary", p.toString()));
            host.findProgram("sysctl").ifPresent(p -> s.putIfAbsent("sysctl_binary", p.toString()));
        }
        return s;
    }

    private static UUID poolId(String raw) {
        try {
            UUID id = UUID.fromString(raw);
            if (!id.toString().equals(raw.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(raw);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("POOL_ID: not a pool id (a UUID such as 3f2b...-...): '" + raw + "'");
        }
    }

    private static void requireStateDir(StateDir dir, UUID id) {
        if (!Files.isDirectory(dir.store())) {
            throw new InvalidInputException("POOL_ID: no pool " + id + " is deployed in " + dir.root()
                    + " (nothing is deployed there)");
        }
    }
}

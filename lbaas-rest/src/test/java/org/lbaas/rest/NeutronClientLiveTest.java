package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.Cidr;
import org.lbaas.model.Subnet;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * Debian's {@code neutron} command (python3-neutronclient) runs the v1 walk-through against an
 * embedded server: {@code lb-pool-create}, two {@code lb-member-create},
 * {@code lb-healthmonitor-create}, {@code lb-healthmonitor-associate}, {@code lb-vip-create},
 * {@code lb-pool-stats}, every {@code list} / {@code show} / {@code update}, the client's view of
 * three errors (a second VIP for the pool, deleting a pool in use, delay below timeout: our message
 * and the status in its debug log), then disassociate and the deletes in order. First with the
 * in-memory driver; then with {@code haproxy-ns} in a throw-away namespace topology, sending real
 * HTTP through the VIP the client created, and a third member with no backend behind it, which
 * {@code lb-member-list} shows {@code INACTIVE} once its health checks fail (as v1 did).
 *
 * <p>The client authenticates with {@code OS_AUTH_TYPE=token_endpoint}, {@code OS_TOKEN} and
 * {@code OS_URL}. Each run's commands and output are written to
 * {@code target/neutron-client-<driver>.log}. Skipped where {@code neutron} (or, for HAProxy,
 * root, ip, haproxy, curl) is missing, except with {@code CI=true}, where that fails.
 */
@Tag("live")
@DisplayName("the real neutron client drives lbaas-rest")
class NeutronClientLiveTest {

    static final String TOKEN = "live-" + UUID.randomUUID();
    static final String TENANT = "tenant-live";

    @BeforeAll
    static void requireNeutron() {
        require(onPath("neutron"), "the live client test needs the neutron command: apt-get install python3-neutronclient");
    }

    private static void require(boolean condition, String message) {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(condition, message + " (CI=true, so this fails instead of skipping)");
        } else {
            assumeTrue(condition, message);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : (System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------- the two runs

    @Test
    @DisplayName("in-memory driver: the whole walk-through, errors included")
    void inMemoryDriver() {
        Subnet subnet = new Subnet(UUID.randomUUID(), "private-subnet", Cidr.parse("10.0.0.0/24"),
                Optional.of(RestFixture.addr("10.0.0.1")));
        LoadBalancerDriver driver = new InMemoryDriverProvider().create(DriverConfig.defaults());
        try (Served served = serve(driver, subnet, "in-memory")) {
            new Walkthrough(served, "in-memory", "private-subnet", List.of("10.0.0.11", "10.0.0.12"), Optional.empty(),
                    Optional.empty(), (vip, roundRobin) -> { }).run();
        } finally {
            driver.close();
        }
    }

    @Test
    @DisplayName("haproxy-ns driver: the walk-through, with real HTTP through the VIP")
    void haproxyNsDriverServesRealTraffic(@TempDir Path temp) {
        require("root".equals(System.getProperty("user.name")), "the HAProxy run needs root (namespaces)");
        require(onPath("ip") && onPath("haproxy") && onPath("curl"), "the HAProxy run needs ip, haproxy and curl");
        NetnsTopology topology = NetnsTopology.builder().backends("a", "b").create();
        LoadBalancerDriver driver = null;
        try {
            topology.startBackends();
            Path state = temp.resolve("st");
            Map<String, String> settings = new HashMap<>();
            settings.put("state_dir", state.toString());
            settings.put("namespace_prefix", topology.namePrefix() + "q");
            settings.put("bridge", topology.bridge());
            settings.put("stop_grace", "3s");
            settings.put("arping_binary", "none");
            settings.put("ipv6_dad", "skip");
            driver = new HaproxyNsDriverProvider().create(new DriverConfig(settings, ShellExecutor.system(), Clock.systemUTC()));
            Subnet subnet = new Subnet(UUID.randomUUID(), "live-subnet", Cidr.parse(topology.ipv4Subnet()),
                    Optional.of(topology.ipv4Gateway()));
            String vipAddress = topology.allocateIpv4().getHostAddress();
            // an address in the subnet with nothing behind it: its health checks fail
            String deadAddress = topology.allocateIpv4().getHostAddress();
            List<String> members = List.of(topology.host("a").ipv4().getHostAddress(), topology.host("b").ipv4().getHostAddress());
            try (Served served = serve(driver, subnet, "haproxy-ns")) {
                new Walkthrough(served, "haproxy-ns", "live-subnet", members, Optional.of(vipAddress), Optional.of(deadAddress),
                        (vip, roundRobin) -> {
                    Map<String, Integer> answered = new TreeMap<>();
                    for (int i = 0; i < 10; i++) {
                        NetnsTopology.HttpResponse r = topology.httpGet(NetnsTopology.CLIENT, "http://" + vip + ":80/hello?" + i);
                        assertEquals(200, r.status(), r.body());
                        answered.merge(r.header("x-backend").orElse("?"), 1, Integer::sum);
                    }
                    if (roundRobin) {
                        assertEquals(Map.of("a", 5, "b", 5), answered, "round robin over both members through the VIP");
                    }
                    served.log("traffic through " + vip + ":80 from the client namespace: " + answered);
                }).run();
            }
        } finally {
            try {
                if (driver != null) {
                    ReconcileReport cleanup = driver.reconcile(List.of());
                    driver.close();
                    assertTrue(cleanup.succeeded(), "cleanup: " + cleanup.failed());
                }
            } finally {
                topology.close();
            }
        }
    }

    // ------------------------------------------------------------------------------- the server

    /** An embedded server over a driver, and a log of the client's commands. */
    static final class Served implements AutoCloseable {
        final LoadBalancerService service;
        final LbaasRestServer server;
        final Path log;

        Served(LoadBalancerService service, LbaasRestServer server, Path log) {
            this.service = service;
            this.server = server;
            this.log = log;
        }

        void log(String line) {
            try {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                service.close();
            }
        }
    }

    static Served serve(LoadBalancerDriver driver, Subnet subnet, String name) {
        SubnetRegistry subnets = SubnetRegistry.of(subnet);
        LoadBalancerService service = LoadBalancerService.builder().driver(driver).subnets(subnets).providerName(name)
                .driverDeadline(Duration.ofSeconds(60)).build();
        LbaasRestServer server = LbaasRestServer.builder().service(service).subnets(subnets)
                .auth(Authenticator.staticToken(TOKEN, TENANT)).port(0).shutdownGrace(Duration.ZERO).build().start();
        Path log = Path.of(System.getProperty("lbaas.build.outputDirectory", "target/classes")).getParent()
                .resolve("neutron-client-" + name + ".log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Served(service, server, log);
    }

    // ------------------------------------------------------------------------------- the client

    /** One run of the neutron command. */
    record Run(List<String> args, int exit, String stdout, String stderr) {
        JsonNode json() {
            try {
                return RestFixture.MAPPER.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("neutron " + args + " did not print JSON: " + stdout + "\n" + stderr, e);
            }
        }

        Run ok() {
            assertEquals(0, exit, () -> "neutron " + String.join(" ", args) + " failed:\n" + stdout + "\n" + stderr);
            return this;
        }
    }

    /** The walk-through of the LBaaS v1 write-up, as a user types it. */
    static final class Walkthrough {
        private final Served served;
        private final String provider;
        private final String subnetName;
        private final List<String> memberAddresses;
        private final Optional<String> vipAddress;
        private final Optional<String> deadAddress;
        private final java.util.function.BiConsumer<String, Boolean> traffic;

        Walkthrough(Served served, String provider, String subnetName, List<String> memberAddresses, Optional<String> vipAddress,
                    Optional<String> deadAddress, java.util.function.BiConsumer<String, Boolean> traffic) {
            this.deadAddress = deadAddress;
            this.served = served;
            this.provider = provider;
            this.subnetName = subnetName;
            this.memberAddresses = memberAddresses;
            this.vipAddress = vipAddress;
            this.traffic = traffic;
        }

        Run neutron(String... args) {
            List<String> command = new ArrayList<>();
            command.add("neutron");
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
            pb.environment().put("OS_AUTH_TYPE", "token_endpoint");
            pb.environment().put("OS_TOKEN", TOKEN);
            pb.environment().put("OS_URL", served.server.endpoint().toString());
            try {
                Path out = Files.createTempFile("neutron-out", ".txt");
                Path err = Files.createTempFile("neutron-err", ".txt");
                try {
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile()));
                    Process p = pb.start();
                    if (!p.waitFor(120, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new AssertionError("neutron " + List.of(args) + " did not finish within 120 s");
                    }
                    Run run = new Run(List.of(args), p.exitValue(), Files.readString(out), Files.readString(err));
                    served.log("$ neutron " + String.join(" ", args) + "   (exit " + run.exit() + ")");
                    run.stdout().lines().forEach(l -> served.log("  " + l));
                    boolean debug = args[0].equals("--debug");
                    run.stderr().lines().filter(l -> !l.contains("neutron CLI is deprecated"))
                            .filter(l -> !debug || l.contains("RESP: [") || l.startsWith("ERROR") || l.startsWith("Neutron server"))
                            .forEach(l -> served.log("  ! " + l));
                    return run;
                } finally {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        String field(String command, String name, String column) {
            return neutron(command, name, "-f", "value", "-c", column).ok().stdout().strip();
        }

        void await(String what, BooleanSupplier condition) {
            RestFixture.poll(Duration.ofSeconds(90), Duration.ofMillis(300),
                    () -> condition.getAsBoolean() ? Optional.of(what) : Optional.empty())
                    .orElseThrow(() -> new AssertionError("timed out waiting for " + what));
        }

        /** Runs a command that must fail, and checks the message and the HTTP status in the debug log. */
        void expectError(int status, String message, String... args) {
            List<String> all = new ArrayList<>(List.of("--debug"));
            all.addAll(List.of(args));
            Run r = neutron(all.toArray(new String[0]));
            assertNotEquals(0, r.exit(), "neutron " + List.of(args) + " should have failed");
            assertTrue(r.stderr().contains(message), () -> "the client shows our message '" + message + "':\n" + r.stderr());
            assertTrue(r.stderr().contains("RESP: [" + status + "]"), () -> "status " + status + " in:\n" + r.stderr());
        }

        void run() {
            served.log("# lbaas-rest at " + served.server.endpoint() + ", driver " + provider
                    + "; OS_AUTH_TYPE=token_endpoint OS_URL=" + served.server.endpoint() + " OS_TOKEN=<token>");
            // pool
            JsonNode pool = neutron("lb-pool-create", "--name", "web", "--lb-method", "ROUND_ROBIN", "--protocol", "HTTP",
                    "--subnet-id", subnetName, "-f", "json").ok().json();
            String poolId = pool.get("id").asText();
            assertEquals("PENDING_CREATE", pool.get("status").asText());
            assertEquals(TENANT, pool.get("tenant_id").asText());
            assertEquals(provider, pool.get("provider").asText());
            // members
            List<String> members = new ArrayList<>();
            for (String address : memberAddresses) {
                JsonNode m = neutron("lb-member-create", "--address", address, "--protocol-port", "8080", "web", "-f", "json")
                        .ok().json();
                assertEquals(8080, m.get("protocol_port").asInt());
                assertEquals(poolId, m.get("pool_id").asText());
                members.add(m.get("id").asText());
            }
            // health monitor, associated
            JsonNode monitor = neutron("lb-healthmonitor-create", "--delay", "2", "--type", "HTTP", "--max-retries", "2",
                    "--timeout", "1", "--url-path", "/health", "-f", "json").ok().json();
            String monitorId = monitor.get("id").asText();
            assertEquals(2, monitor.get("delay").asInt());
            assertTrue(neutron("lb-healthmonitor-associate", monitorId, "web").ok().stdout()
                    .contains("Associated health monitor " + monitorId));
            // VIP
            List<String> vipArgs = new ArrayList<>(List.of("lb-vip-create", "--name", "vip1", "--protocol-port", "80",
                    "--protocol", "HTTP", "--subnet-id", subnetName));
            vipAddress.ifPresent(a -> vipArgs.addAll(List.of("--address", a)));
            vipArgs.addAll(List.of("web", "-f", "json"));
            JsonNode vip = neutron(vipArgs.toArray(new String[0])).ok().json();
            String vipId = vip.get("id").asText();
            String address = vip.get("address").asText();
            vipAddress.ifPresent(a -> assertEquals(a, address));
            await("vip1 ACTIVE", () -> field("lb-vip-show", "vip1", "status").equals("ACTIVE"));
            await("pool web ACTIVE", () -> field("lb-pool-show", "web", "status").equals("ACTIVE"));
            await("members ACTIVE", () -> members.stream().allMatch(m -> field("lb-member-show", m, "status").equals("ACTIVE")));
            traffic.accept(address, true);
            // stats
            JsonNode stats = neutron("lb-pool-stats", "web", "-f", "json").ok().json();
            assertTrue(stats.get("total_connections").asLong() > 0, stats.toString());
            assertTrue(stats.get("bytes_out").asLong() > 0, stats.toString());
            // lists and shows
            JsonNode pools = neutron("lb-pool-list", "-f", "json").ok().json();
            assertEquals(1, pools.size());
            assertEquals("web", pools.get(0).get("name").asText());
            assertEquals(2, neutron("lb-member-list", "-f", "json").ok().json().size());
            assertEquals(monitorId, neutron("lb-healthmonitor-list", "-f", "json").ok().json().get(0).get("id").asText());
            assertEquals(address, neutron("lb-vip-list", "-f", "json").ok().json().get(0).get("address").asText());
            JsonNode shownPool = neutron("lb-pool-show", "web", "-f", "json").ok().json();
            assertEquals(vipId, shownPool.get("vip_id").asText());
            assertTrue(shownPool.get("members").toString().contains(members.get(1)), shownPool.toString());
            assertTrue(shownPool.get("health_monitors").toString().contains(monitorId), shownPool.toString());
            assertTrue(neutron("lb-healthmonitor-show", monitorId, "-f", "json").ok().json().get("pools").toString().contains(poolId));
            assertEquals(memberAddresses.get(0), neutron("lb-member-show", members.get(0), "-f", "json").ok().json().get("address")
                    .asText());
            // a member whose health checks fail is INACTIVE in lb-member-list, as in v1; the healthy ones stay ACTIVE
            deadAddress.ifPresent(dead -> {
                String deadId = neutron("lb-member-create", "--address", dead, "--protocol-port", "8080", "web", "-f", "json")
                        .ok().json().get("id").asText();
                List<String> healthy = List.copyOf(members);
                members.add(deadId);
                await("member " + dead + " (no backend) INACTIVE and the others ACTIVE in lb-member-list", () -> {
                    Map<String, String> status = new HashMap<>();
                    neutron("lb-member-list", "-f", "json").ok().json()
                            .forEach(m -> status.put(m.get("id").asText(), m.get("status").asText()));
                    return "INACTIVE".equals(status.get(deadId)) && healthy.stream().allMatch(m -> "ACTIVE".equals(status.get(m)));
                });
                assertEquals("INACTIVE", field("lb-member-show", deadId, "status"));
            });
            // the client's view of errors
            expectError(409, "already has vip " + vipId, "lb-vip-create", "--name", "vip2", "--protocol-port", "81",
                    "--protocol", "HTTP", "--subnet-id", subnetName, "web");
            expectError(409, "is in use by vip " + vipId, "lb-pool-delete", "web");
            expectError(400, "health_monitor.timeout", "lb-healthmonitor-create", "--delay", "3", "--type", "HTTP",
                    "--max-retries", "3", "--timeout", "10");
            String unknown = UUID.randomUUID().toString();
            expectError(404, "member " + unknown + " not found", "lb-member-show", unknown);
            // updates
            assertTrue(neutron("lb-pool-update", "web", "--lb-method", "LEAST_CONNECTIONS").ok().stdout().contains("Updated pool: web"));
            neutron("lb-member-update", members.get(0), "--weight", "5").ok();
            neutron("lb-healthmonitor-update", monitorId, "--delay", "3").ok();
            neutron("lb-vip-update", "vip1", "--connection-limit", "100").ok();
            assertEquals("LEAST_CONNECTIONS", field("lb-pool-show", "web", "lb_method"));
            assertEquals("5", field("lb-member-show", members.get(0), "weight"));
            assertEquals("3", field("lb-healthmonitor-show", monitorId, "delay"));
            assertEquals("100", field("lb-vip-show", "vip1", "connection_limit"));
            await("vip1 ACTIVE after the updates", () -> field("lb-vip-show", "vip1", "status").equals("ACTIVE"));
            await("pool ACTIVE after the updates", () -> field("lb-pool-show", "web", "status").equals("ACTIVE"));
            traffic.accept(address, false);
            // tear down in order
            assertTrue(neutron("lb-healthmonitor-disassociate", monitorId, "web").ok().stdout()
                    .contains("Disassociated health monitor " + monitorId));
            neutron("lb-vip-delete", "vip1").ok();
            await("vip1 gone", () -> neutron("lb-vip-list", "-f", "json").ok().json().isEmpty());
            for (String m : members) {
                neutron("lb-member-delete", m).ok();
            }
            neutron("lb-pool-delete", "web").ok();
            neutron("lb-healthmonitor-delete", monitorId).ok();
            await("everything gone", () -> neutron("lb-pool-list", "-f", "json").ok().json().isEmpty()
                    && neutron("lb-member-list", "-f", "json").ok().json().isEmpty()
                    && neutron("lb-healthmonitor-list", "-f", "json").ok().json().isEmpty());
            assertTrue(served.service.listPools().isEmpty());
        }
    }
}

package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.lab.netns.NetnsTopology;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/**
 * An active/standby pair on one host, with real HAProxy and keepalived in two namespaces, an HA
 * bridge made by the driver and HTTP traffic from the client namespace: a deploy elects one
 * MASTER, a SIGKILL of the active HAProxy moves the VIP to the standby (measured), repair brings
 * the failed instance back as STANDBY without taking the VIP back, and undeploy leaves nothing.
 */
class ActiveStandbyLiveTest extends LiveEnvTest {

    private HaproxyNsDriver ha;
    private String haBridge;

    @BeforeEach
    void pairDriver() {
        haBridge = env.topology.namePrefix() + "h";
        ha = env.newDriver(Map.of("topology", "active_standby", "ha_bridge", haBridge, "advert_interval", "100ms"));
    }

    @AfterEach
    void removePairs() {
        try {
            var report = ha.reconcile(List.of());
            assertTrue(report.succeeded(), "cleanup reconcile failed: " + report.failed());
            assertEquals(List.of(), keepalivedLeftovers(), "keepalived left behind");
        } finally {
            org.lbaas.driver.spi.shell.ShellExecutor.system().execute(Command.of("ip", "link", "del", haBridge));
        }
    }

    private List<String> keepalivedLeftovers() {
        List<String> out = new ArrayList<>();
        // keepalived and HAProxy by their configuration file, the death watchers by their lock file
        HostView.system().processes().stream()
                .filter(p -> p.argv().stream().anyMatch(a -> a.startsWith(env.stateDir.toString())))
                .forEach(p -> out.add("process " + p.pid() + " " + p.argv()));
        return out;
    }

    private LoadBalancer pairLb() {
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b", "c");
        InetAddress i0 = env.topology.allocateIpv4();
        InetAddress i1 = env.topology.allocateIpv4();
        return lb.withInstanceAddresses(List.of(i0, i1));
    }

    private InstanceFiles files(LoadBalancer lb, int ordinal) {
        return ha.files(new InstanceId(lb.id(), ordinal));
    }

    private int activeOrdinal(LoadBalancer lb) {
        Observation o = ha.observe(lb.id()).orElseThrow();
        InstanceStatus active = o.active().orElseThrow(() -> new AssertionError("no active instance: " + o.instances()));
        return active.name().equals(ha.namespace(new InstanceId(lb.id(), 0))) ? 0 : 1;
    }

    /** Milliseconds from now until a request through the VIP succeeds (each try bounded to 300 ms). */
    private double untilServed(LoadBalancer lb, long t0) {
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            CommandResult r = env.topology.exec(NetnsTopology.CLIENT, Command.of("curl", "-s", "--noproxy", "*", "--connect-timeout", "0.1", "--max-time", "0.3",
                    "-g", "-o", "/dev/null", "-w", "%{http_code}", env.url(lb, "/r")).withTimeout(Duration.ofSeconds(5)));
            if (r.stdout().strip().equals("200")) {
                return (System.nanoTime() - t0) / 1e6;
            }
        }
        throw new AssertionError("the VIP did not answer within 10 s");
    }

    /**
     * SIGKILLs the active instance's HAProxy, measures the time to the first request served
     * through the VIP (under a second), checks the other instance is now active.
     *
     * @return the ordinal that was active before
     */
    private int killActiveHaproxyAndMeasure(LoadBalancer lb, String label) throws Exception {
        int active = activeOrdinal(lb);
        long pid = Long.parseLong(Files.readString(files(lb, active).pidFile()).strip());
        long t0 = System.nanoTime();
        org.lbaas.driver.spi.shell.ShellExecutor.system().execute(Command.of("kill", "-KILL", Long.toString(pid)));
        double ms = untilServed(lb, t0);
        System.out.printf("MEASURED %sactive HAProxy SIGKILL to first served request: %.0f ms%n", label, ms);
        assertTrue(ms < 1000, "failover took " + ms + " ms");
        assertEquals(1 - active, activeOrdinal(lb));
        return active;
    }

    @Test
    void aKilledActiveHaproxyFailsOverAndRepairBringsItBackAsStandby() throws Exception {
        LoadBalancer lb = pairLb();
        ApplyResult r = ha.apply(Optional.empty(), lb);
        assertEquals(ApplyResult.Action.DEPLOYED, r.action(), r.toString());
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(lb, 30))));
        Observation o = ha.observe(lb.id()).orElseThrow();
        assertEquals(2, o.instances().size(), o.toString());
        List<InstanceStatus.Role> roles = o.instances().stream().map(InstanceStatus::role).sorted().toList();
        assertEquals(List.of(InstanceStatus.Role.ACTIVE, InstanceStatus.Role.STANDBY), roles, o.instances().toString());
        assertEquals(ApplyResult.Action.UNCHANGED, ha.apply(Optional.of(lb), lb).action());

        int active = killActiveHaproxyAndMeasure(lb, "");
        assertTrue(ha.probe(List.of(lb.id())).containsKey(lb.id()), "the dead instance is reported by probe");

        ApplyResult repaired = ha.repair(lb);
        assertEquals(ApplyResult.Action.DEPLOYED, repaired.action(), repaired.toString());
        Thread.sleep(500);
        assertEquals(1 - active, activeOrdinal(lb), "the repaired instance must not take the VIP back");
        Observation after = ha.observe(lb.id()).orElseThrow();
        assertEquals(List.of(InstanceStatus.Role.ACTIVE, InstanceStatus.Role.STANDBY),
                after.instances().stream().map(InstanceStatus::role).sorted().toList(), after.instances().toString());
        assertEquals(Map.of(), ha.probe(List.of(lb.id())));
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count());

        long u0 = System.nanoTime();
        ApplyResult removed = ha.apply(Optional.of(lb), lb.withVip(Optional.empty()));
        System.out.printf("MEASURED undeploy of a pair: %.0f ms%n", (System.nanoTime() - u0) / 1e6);
        assertEquals(ApplyResult.Action.UNDEPLOYED, removed.action());
        assertEquals(List.of(), env.leftovers());
        assertEquals(List.of(), keepalivedLeftovers());
        assertTrue(HostView.system().deviceExists(haBridge), "the HA bridge stays for other pairs");
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            String hostDevice = "ha" + ordinal + "-" + lb.id().toString().substring(0, 11);
            assertTrue(!HostView.system().deviceExists(hostDevice), hostDevice + " left behind");
        }
    }

    @Test
    void anIpv6VipMovesWithUnsolicitedNeighbourAdvertisements() throws Exception {
        LoadBalancer lb = Lbs.lb(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), env.topology.ipv6Subnet(), null,
                NetnsTopology.format(env.topology.allocateIpv6()), Protocol.HTTP);
        for (String b : List.of("a", "b")) {
            lb = Lbs.withMember(lb, Lbs.member(lb, java.util.UUID.randomUUID(), NetnsTopology.format(env.topology.host(b).ipv6()), 8080));
        }
        LoadBalancer pair = lb.withInstanceAddresses(List.of(env.topology.allocateIpv6(), env.topology.allocateIpv6()));
        assertEquals(ApplyResult.Action.DEPLOYED, ha.apply(Optional.empty(), pair).action());
        assertEquals(Map.of("a", 5, "b", 5), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(pair, 10))));
        killActiveHaproxyAndMeasure(pair, "IPv6 VIP: ");
        ha.remove(pair.id());
    }

    @Test
    void theServiceAllocatesTheInstanceAddressesAndAVipDeleteRemovesThePair() throws Exception {
        org.lbaas.model.Subnet subnet = org.lbaas.model.Subnet.of(java.util.UUID.randomUUID(), env.topology.ipv4Subnet(),
                env.topology.ipv4Gateway().getHostAddress());
        try (org.lbaas.api.LoadBalancerService service = org.lbaas.api.LoadBalancerService.builder().driver(ha)
                .subnets(org.lbaas.api.SubnetRegistry.of(subnet)).build()) {
            java.util.UUID pool = LoadBalancerServiceLiveTest.done(service.createPool(org.lbaas.api.PoolCreate.of("t", subnet.id(),
                    Protocol.HTTP, org.lbaas.model.LbMethod.ROUND_ROBIN))).id();
            for (String b : List.of("a", "b")) {
                LoadBalancerServiceLiveTest.done(service.createMember(org.lbaas.api.MemberCreate.of("t", pool,
                        env.topology.host(b).ipv4().getHostAddress(), 8080)));
            }
            java.util.UUID monitor = LoadBalancerServiceLiveTest.done(service.createHealthMonitor(org.lbaas.api.HealthMonitorCreate
                    .of("t", org.lbaas.model.MonitorType.HTTP, 1, 1, 2).withHttp(org.lbaas.model.HttpMethod.GET, "/health", "200"))).id();
            LoadBalancerServiceLiveTest.done(service.associate(pool, monitor));
            org.lbaas.model.Vip vip = LoadBalancerServiceLiveTest.done(service.createVip(org.lbaas.api.VipCreate.of("t", subnet.id(), 80,
                    Protocol.HTTP, pool).withAddress(env.topology.allocateIpv4())));
            assertEquals(org.lbaas.model.Status.ACTIVE, vip.status(), vip.statusDescription());
            LoadBalancer lb = service.loadBalancer(pool);
            assertEquals(2, lb.instanceAddresses().size(), lb.instanceAddresses().toString());
            assertTrue(!lb.instanceAddresses().contains(vip.address()));
            assertEquals(Map.of("a", 5, "b", 5), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(lb, 10))));
            String address0 = ha.files(new InstanceId(pool, 0)).readNetwork().orElseThrow().address();
            assertEquals(lb.instanceAddresses().get(0).getHostAddress(), address0, "instance 0 plumbs its own address");
            long t0 = System.nanoTime();
            LoadBalancerServiceLiveTest.done(service.deleteVip(vip.id()));
            System.out.printf("MEASURED VIP delete of a pair through the service: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertEquals(List.of(), env.leftovers());
            assertEquals(List.of(), service.loadBalancer(pool).instanceAddresses(), "released with the VIP");
        }
    }

    /**
     * {@code placement=split}: two drivers with their own state directories (as on two hosts), one
     * running ordinal 0 and the other ordinal 1, sharing only the HA bridge's network, form one pair:
     * they choose the same HA slot from the pool id, one becomes MASTER, and a SIGKILL of its HAProxy
     * moves the VIP to the other driver's instance.
     */
    @Test
    void twoDriversEachRunningOneOrdinalFormOnePair() throws Exception {
        java.nio.file.Path otherState = env.stateDir.resolveSibling("st-host-b");
        HaproxyNsDriver a = env.newDriver(Map.of("topology", "active_standby", "placement", "split", "instance_ordinal", "0",
                "ha_bridge", haBridge));
        HaproxyNsDriver b = env.newDriver(Map.of("topology", "active_standby", "placement", "split", "instance_ordinal", "1",
                "ha_bridge", haBridge, "state_dir", otherState.toString()));
        LoadBalancer lb = pairLb();
        try {
            assertEquals(ApplyResult.Action.DEPLOYED, a.apply(Optional.empty(), lb).action());
            assertEquals(ApplyResult.Action.DEPLOYED, b.apply(Optional.empty(), lb).action());
            int slotA = a.files(new InstanceId(lb.id(), 0)).readNetwork().orElseThrow().ha().orElseThrow().slot();
            int slotB = b.files(new InstanceId(lb.id(), 1)).readNetwork().orElseThrow().ha().orElseThrow().slot();
            assertEquals(slotA, slotB, "both sides choose the pair's slot from the pool id");
            await("one MASTER", Duration.ofSeconds(5), () -> roleOf(a, lb).orElse(null) == InstanceStatus.Role.ACTIVE
                    || roleOf(b, lb).orElse(null) == InstanceStatus.Role.ACTIVE);
            assertEquals(Map.of("a", 5, "b", 5, "c", 5), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(lb, 15))));
            HaproxyNsDriver active = roleOf(a, lb).orElse(null) == InstanceStatus.Role.ACTIVE ? a : b;
            HaproxyNsDriver standby = active == a ? b : a;
            int ordinal = active == a ? 0 : 1;
            long pid = Long.parseLong(Files.readString(active.files(new InstanceId(lb.id(), ordinal)).pidFile()).strip());
            long t0 = System.nanoTime();
            org.lbaas.driver.spi.shell.ShellExecutor.system().execute(Command.of("kill", "-KILL", Long.toString(pid)));
            double ms = untilServed(lb, t0);
            System.out.printf("MEASURED split placement: active HAProxy SIGKILL to first served request: %.0f ms%n", ms);
            assertTrue(ms < 1000, "failover took " + ms + " ms");
            assertEquals(Optional.of(InstanceStatus.Role.ACTIVE), roleOf(standby, lb), "the other driver's instance took over");
            assertEquals(ApplyResult.Action.DEPLOYED, active.repair(lb).action());
        } finally {
            assertTrue(a.reconcile(List.of()).succeeded());
            assertTrue(b.reconcile(List.of()).succeeded());
        }
    }

    /** The death watcher is a process of its own: a killed HAProxy fails over while no driver runs at all. */
    @Test
    void aKilledHaproxyFailsOverWithNoDriverRunning() throws Exception {
        LoadBalancer lb = pairLb();
        HaproxyNsDriver oneShot = env.newDriver(Map.of("topology", "active_standby", "ha_bridge", haBridge));
        oneShot.apply(Optional.empty(), lb);
        oneShot.close();
        int active = killActiveHaproxyAndMeasure(lb, "no driver running: ");
        assertEquals(ApplyResult.Action.DEPLOYED, ha.repair(lb).action());
        assertEquals(1 - active, activeOrdinal(lb), "the repaired instance rejoins as standby");
        assertEquals(Map.of(), ha.probe(List.of(lb.id())));
    }

    /** A new driver over the same state directory (a JVM restart) adopts both instances and undeploys them quickly. */
    @Test
    void aNewDriverAdoptsBothInstancesWithoutRestartingThem() throws Exception {
        LoadBalancer lb = pairLb();
        ha.apply(Optional.empty(), lb);
        long pid0 = Long.parseLong(Files.readString(files(lb, 0).pidFile()).strip());
        long pid1 = Long.parseLong(Files.readString(files(lb, 1).pidFile()).strip());
        HaproxyNsDriver restarted = env.newDriver(Map.of("topology", "active_standby", "ha_bridge", haBridge));
        var report = restarted.reconcile(List.of(lb));
        assertEquals(java.util.Set.of(lb.id()), report.adopted(), report.toString());
        assertEquals(pid0, Long.parseLong(Files.readString(files(lb, 0).pidFile()).strip()));
        assertEquals(pid1, Long.parseLong(Files.readString(files(lb, 1).pidFile()).strip()));
        env.requests(lb, 10);
        long t0 = System.nanoTime();
        restarted.remove(lb.id());
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("MEASURED undeploy of an adopted pair after traffic: %.0f ms%n", ms);
        assertEquals(List.of(), env.leftovers());
    }

    private static Optional<InstanceStatus.Role> roleOf(HaproxyNsDriver driver, LoadBalancer lb) {
        return driver.observe(lb.id()).flatMap(o -> o.instances().stream().findFirst()).map(InstanceStatus::role);
    }
}

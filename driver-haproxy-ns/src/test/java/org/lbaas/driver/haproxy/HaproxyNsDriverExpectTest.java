package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;

/**
 * The exact commands (shell and runtime API, in order) of each operation, against golden
 * transcripts in {@code src/test/resources/expect/}. {@code $ ...} lines are shell commands (their
 * standard input indented with {@code |}), {@code > ...} lines runtime API commands.
 */
class HaproxyNsDriverExpectTest {

    static final UUID POOL = UUID.fromString("6f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a01");
    static final UUID PORT = UUID.fromString("9c8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a04");
    static final UUID M1 = Lbs.uuid(1);
    static final UUID M2 = Lbs.uuid(2);
    static final UUID M3 = Lbs.uuid(3);
    /** The pool of {@link #other()}. */
    static final UUID OTHER_POOL = UUID.fromString("1a2b3c4d-3c1a-4c55-9a8e-0d7e2b1f4a0b");

    @TempDir
    Path temp;

    Sim sim;

    @BeforeEach
    void setUp() {
        sim = new Sim(temp.resolve("state"));
    }

    static LoadBalancer lb() {
        LoadBalancer lb = Lbs.lb(POOL, PORT, "10.0.0.0/24", "10.0.0.1", "10.0.0.10", Protocol.HTTP);
        lb = Lbs.withMember(lb, Lbs.member(lb, M1, "192.168.1.11", 8080));
        return Lbs.withMember(lb, Lbs.member(lb, M2, "192.168.1.12", 8080));
    }

    /** A second load balancer beside {@link #lb()}: TCP, no members, VIP 10.0.0.20. */
    static LoadBalancer other() {
        return Lbs.lb(OTHER_POOL, UUID.fromString("2b3c4d5e-5e4d-4c3b-9a1f-0e9d8c7b6a0c"), "10.0.0.0/24", "10.0.0.1", "10.0.0.20",
                Protocol.TCP);
    }

    private LoadBalancer deployed(HaproxyNsDriver d) {
        LoadBalancer lb = lb();
        assertEquals(ApplyResult.Action.DEPLOYED, d.apply(Optional.empty(), lb).action());
        sim.clearRecords();
        return lb;
    }

    @Test
    void deployLinuxBridgeIpv4() throws Exception {
        ApplyResult r = sim.driver().apply(Optional.empty(), lb());
        assertEquals(ApplyResult.Action.DEPLOYED, r.action());
        Golden.assertMatches("deploy-linuxbridge-ipv4", sim.transcriptText());
        Path cfg = sim.stateDir.resolve(POOL.toString()).resolve("haproxy.cfg");
        Golden.assertMatches("deploy-linuxbridge-ipv4.haproxy.cfg", Files.readString(cfg).replace(sim.stateDir.toString(), "$STATE"));
        assertEquals(Files.readString(cfg), Files.readString(cfg.resolveSibling("haproxy.cfg.good")));
    }

    @Test
    void deployOpenVswitch() throws Exception {
        sim.extraSettings.put("interface_driver", "ovs");
        sim.extraSettings.put("bridge", "br-int");
        sim.driver().apply(Optional.empty(), lb());
        Golden.assertMatches("deploy-ovs", sim.transcriptText());
    }

    @Test
    void deployNoopPutsTheVipOnLoopback() throws Exception {
        sim.extraSettings.put("interface_driver", "noop");
        sim.driver().apply(Optional.empty(), lb());
        Golden.assertMatches("deploy-noop", sim.transcriptText());
    }

    @Test
    void deployIpv6WaitsForDuplicateAddressDetection() throws Exception {
        LoadBalancer lb = Lbs.lb(POOL, PORT, "fd00:1::/64", "fd00:1::1", "fd00:1::10", Protocol.TCP);
        lb = Lbs.withMember(lb, Lbs.member(lb, M1, "fd00:2::11", 8080));
        sim.driver().apply(Optional.empty(), lb);
        Golden.assertMatches("deploy-ipv6-dad", sim.transcriptText());
    }

    @Test
    void memberChangesGoThroughTheRuntimeApiAndTheFileIsKeptInStep() throws Exception {
        HaproxyNsDriver d = sim.driver();
        LoadBalancer lb = deployed(d);
        Member m1 = lb.member(M1).orElseThrow();
        LoadBalancer next = Lbs.replaceMember(lb, m1.toBuilder().weight(5).build());
        next = Lbs.replaceMember(next, next.member(M2).orElseThrow().toBuilder().adminStateUp(false).build());
        next = Lbs.withMember(next, Lbs.member(next, M3, "192.168.1.13", 8080));
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, d.apply(Optional.of(lb), next).action());
        LoadBalancer removed = Lbs.withoutMember(next, M1);
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, d.apply(Optional.of(next), removed).action());
        Golden.assertMatches("update-runtime", sim.transcriptText());
        assertEquals(ApplyResult.Action.UNCHANGED, d.apply(Optional.of(removed), removed).action());
        String onDisk = Files.readString(sim.stateDir.resolve(POOL.toString()).resolve("haproxy.cfg"));
        assertEquals(new MinimalConfigRenderer(sim.settings()).render(removed, d.files(d.instance(POOL))), onDisk);
    }

    @Test
    void nonMemberChangesReloadWithSocketTransfer() throws Exception {
        HaproxyNsDriver d = sim.driver();
        LoadBalancer lb = deployed(d);
        assertEquals(ApplyResult.Action.RELOADED, d.apply(Optional.of(lb), Lbs.method(lb, LbMethod.LEAST_CONNECTIONS)).action());
        Golden.assertMatches("update-reload", sim.transcriptText());
    }

    @Test
    void aNewMemberWithCookiePersistenceNeedsAReload() throws Exception {
        HaproxyNsDriver d = sim.driver();
        LoadBalancer lb = Lbs.persistence(lb(), SessionPersistence.httpCookie());
        d.apply(Optional.empty(), lb);
        sim.clearRecords();
        LoadBalancer next = Lbs.withMember(lb, Lbs.member(lb, M3, "192.168.1.13", 8080));
        assertEquals(ApplyResult.Action.RELOADED, d.apply(Optional.of(lb), next).action());
        assertEquals(List.of("show stat -1 2 -1"), sim.runtime.commands);
        // weight changes of existing cookie members stay on the runtime path
        sim.clearRecords();
        LoadBalancer weighted = Lbs.replaceMember(next, next.member(M1).orElseThrow().toBuilder().weight(7).build());
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, d.apply(Optional.of(next), weighted).action());
        assertEquals(List.of("set weight " + POOL + "/" + M1 + " 7"), sim.runtime.commands);
    }

    @Test
    void aRefusedRuntimeCommandFallsBackToAReload() throws Exception {
        HaproxyNsDriver d = sim.driver();
        LoadBalancer lb = deployed(d);
        sim.runtime.answers.put("add server", c -> "Backend must use a dynamic load balancing to support dynamic servers.\n");
        LoadBalancer next = Lbs.withMember(lb, Lbs.member(lb, M3, "192.168.1.13", 8080));
        ApplyResult r = d.apply(Optional.of(lb), next);
        assertEquals(ApplyResult.Action.RELOADED, r.action());
        assertTrue(r.detail().contains("dynamic load balancing"), r.detail());
        Golden.assertMatches("update-runtime-refused", sim.transcriptText());
    }

    @Test
    void undeployStopsSoftlyThenRemovesNamespaceAndState() throws Exception {
        HaproxyNsDriver d = sim.driver();
        LoadBalancer lb = deployed(d);
        assertEquals(ApplyResult.Action.UNDEPLOYED, d.apply(Optional.of(lb), Lbs.vip(lb, v -> v.adminStateUp(false))).action());
        Golden.assertMatches("undeploy", sim.transcriptText());
        assertTrue(sim.host.namespaces.isEmpty() && sim.host.devices.isEmpty() && sim.host.processes.isEmpty());
        assertTrue(!Files.exists(sim.stateDir.resolve(POOL.toString())));
    }

    @Test
    void reconcileAdoptsRestartsAndRemoves() throws Exception {
        HaproxyNsDriver d = sim.driver();
        LoadBalancer healthy = deployed(d);
        UUID crashedPool = UUID.fromString("7f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a02");
        UUID orphanPool = UUID.fromString("8f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a03");
        LoadBalancer crashed = Lbs.lb(crashedPool, UUID.fromString("ac8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a05"), "10.0.0.0/24", "10.0.0.1", "10.0.0.11", Protocol.TCP);
        crashed = Lbs.withMember(crashed, Lbs.member(crashed, M3, "192.168.1.13", 22));
        LoadBalancer orphan = Lbs.lb(orphanPool, UUID.fromString("bc8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a06"), "10.0.0.0/24", "10.0.0.1", "10.0.0.12", Protocol.TCP);
        d.apply(Optional.empty(), crashed);
        d.apply(Optional.empty(), orphan);
        long crashedPid = sim.pidIn(d.files(d.instance(crashedPool)).pidFile()).orElseThrow();
        sim.host.processes.remove(crashedPid);
        // namespaces with our prefix that this state directory did not make (another state
        // directory's, or another v1-style tool's): reported, never touched
        sim.host.namespaces.add("qlbaas-9f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a04");
        sim.host.namespaces.add("qlbaas-not-a-uuid");
        sim.clearRecords();
        HaproxyNsDriver fresh = sim.driver();
        ReconcileReport report = fresh.reconcile(List.of(healthy, crashed));
        assertEquals(java.util.Set.of(POOL), report.adopted());
        assertEquals(java.util.Set.of(crashedPool), report.repaired());
        assertEquals(java.util.Set.of(orphanPool), report.removed(), "only our own orphan");
        assertEquals(java.util.Set.of("namespace qlbaas-9f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a04: not recorded in " + sim.stateDir,
                "namespace qlbaas-not-a-uuid: not recorded in " + sim.stateDir), report.foreign());
        assertTrue(report.succeeded());
        Golden.assertMatches("reconcile", sim.transcriptText());
        assertTrue(sim.host.namespaces.contains("qlbaas-9f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a04"), "foreign namespaces are left alone");
        assertTrue(sim.host.namespaces.contains("qlbaas-not-a-uuid"), "foreign names are left alone");
    }
}

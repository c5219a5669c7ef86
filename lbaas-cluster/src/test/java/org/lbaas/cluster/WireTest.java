package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.Vip;

/** The znodes' JSON: every record round-trips, and reading refuses anything else, naming the path. */
class WireTest {

    static final String PATH = "/lbaas/x/y";

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a work item round-trips, with and without a load balancer")
    void workRoundTrip() {
        Pool pool = Pool.builder().id(UUID.randomUUID()).tenantId("t").subnetId(ClusterFixture.SUBNET.id()).protocol(Protocol.HTTP)
                .lbMethod(LbMethod.ROUND_ROBIN).build();
        LoadBalancer lb = new LoadBalancer(ClusterFixture.SUBNET, pool, Optional.empty(), List.of(), List.of());
        WorkItem w = new WorkItem(7, 2, Optional.of(lb));
        assertEquals(w, Wire.readWork(PATH, Wire.write(w)));
        WorkItem removal = new WorkItem(8, 1, Optional.empty());
        assertEquals(removal, Wire.readWork(PATH, Wire.write(removal)));
        assertTrue(new String(Wire.write(removal), StandardCharsets.UTF_8).contains("\"load_balancer\":null"));
    }

    @Test
    @DisplayName("a work item keeps the load balancer's instance addresses, which the document leaves out (an active/standby pair's agents need them)")
    void workKeepsInstanceAddresses() throws Exception {
        UUID poolId = UUID.randomUUID();
        Pool pool = Pool.builder().id(poolId).tenantId("t").subnetId(ClusterFixture.SUBNET.id()).protocol(Protocol.HTTP)
                .lbMethod(LbMethod.ROUND_ROBIN).build();
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId("t").subnetId(ClusterFixture.SUBNET.id())
                .address(InetAddress.getByName("10.20.0.100")).portId(UUID.randomUUID()).protocolPort(80).protocol(Protocol.HTTP)
                .poolId(poolId).build();
        LoadBalancer lb = new LoadBalancer(ClusterFixture.SUBNET, pool, Optional.of(vip), List.of(), List.of())
                .withInstanceAddresses(List.of(InetAddress.getByName("10.20.0.2"), InetAddress.getByName("10.20.0.3")));
        WorkItem w = new WorkItem(3, 2, Optional.of(lb));
        WorkItem read = Wire.readWork(PATH, Wire.write(w));
        assertEquals(w, read);
        assertEquals(lb.instanceAddresses(), read.loadBalancer().orElseThrow().instanceAddresses());
        MalformedZnodeException e = assertThrows(MalformedZnodeException.class, () -> Wire.readWork(PATH,
                bytes("{\"format\":1,\"generation\":1,\"instances\":1,\"load_balancer\":null,\"instance_addresses\":[\"x\"]}")));
        assertTrue(e.getMessage().contains("instance_addresses"), e.getMessage());
    }

    @Test
    @DisplayName("an agent registration, a placement and a report with an observation round-trip")
    void othersRoundTrip() {
        AgentInfo a = new AgentInfo("node-1", "in-memory", ClusterDriver.DEFAULT_CAPABILITIES.withInstanceAddresses(2),
                Instant.ofEpochMilli(1_700_000_000_000L));
        assertEquals(a, Wire.readAgent("/lbaas/agents/node-1", Wire.write(a)));
        Placement p = new Placement(List.of("node-1", "node-2"));
        assertEquals(p, Wire.readPlacement(PATH, Wire.write(p)));
        Observation ob = new Observation(new PoolStats(1, 2, 3, 4), Map.of(UUID.randomUUID(), MemberHealth.UP), true,
                List.of(new InstanceStatus("ns-0", InstanceStatus.Role.ACTIVE, Optional.of(Instant.ofEpochMilli(5))),
                        new InstanceStatus("ns-1", InstanceStatus.Role.STANDBY, Optional.empty())));
        Report r = new Report(3, 1, Report.Outcome.APPLIED, Optional.of(ApplyResult.Action.RELOADED), "", "", Optional.of(ob),
                Instant.ofEpochMilli(9));
        assertEquals(r, Wire.readReport(PATH, Wire.write(r)));
        Report failed = new Report(4, 0, Report.Outcome.FAILED, Optional.empty(), "tenant", "operator", Optional.empty(),
                Instant.ofEpochMilli(10));
        assertEquals(failed, Wire.readReport(PATH, Wire.write(failed)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "{not json", "{}", "{\"format\":2,\"agents\":[\"a\"]}", "{\"format\":\"1\",\"agents\":[\"a\"]}",
        "{\"format\":1}", "{\"format\":1,\"agents\":[\"a\"],\"more\":1}", "{\"format\":1,\"agents\":\"a\"}",
        "{\"format\":1,\"agents\":[]}", "{\"format\":1,\"agents\":[\"a\",\"a\"]}", "{\"format\":1,\"agents\":[1]}",
        "{\"format\":1,\"agents\":[\"UPPER\"]}"})
    @DisplayName("a malformed placement is refused with the znode's path")
    void placementStrict(String text) {
        MalformedZnodeException e = assertThrows(MalformedZnodeException.class, () -> Wire.readPlacement(PATH, bytes(text)));
        assertTrue(e.getMessage().startsWith("malformed znode " + PATH + ": "), e.getMessage());
        assertEquals(PATH, e.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"format\":1,\"generation\":0,\"instances\":1,\"load_balancer\":null}",
        "{\"format\":1,\"generation\":1,\"instances\":0,\"load_balancer\":null}",
        "{\"format\":1,\"generation\":1.5,\"instances\":1,\"load_balancer\":null}",
        "{\"format\":1,\"generation\":1,\"instances\":1}",
        "{\"format\":1,\"generation\":1,\"instances\":1,\"load_balancer\":\"x\"}",
        "{\"format\":1,\"generation\":1,\"instances\":1,\"load_balancer\":{\"pool\":{}}}"})
    @DisplayName("a malformed work item is refused with the znode's path")
    void workStrict(String text) {
        MalformedZnodeException e = assertThrows(MalformedZnodeException.class, () -> Wire.readWork(PATH, bytes(text)));
        assertTrue(e.getMessage().contains(PATH), e.getMessage());
    }

    @Test
    @DisplayName("a report with an unknown outcome or action, and a registration under another name, are refused")
    void reportAndAgentStrict() {
        Report r = new Report(1, 0, Report.Outcome.REMOVED, Optional.empty(), "", "", Optional.empty(), Instant.EPOCH);
        String text = new String(Wire.write(r), StandardCharsets.UTF_8);
        MalformedZnodeException outcome = assertThrows(MalformedZnodeException.class,
                () -> Wire.readReport(PATH, bytes(text.replace("\"removed\"", "\"gone\""))));
        assertTrue(outcome.getMessage().contains("'gone'"), outcome.getMessage());
        assertThrows(MalformedZnodeException.class,
                () -> Wire.readReport(PATH, bytes(text.replace("\"action\":null", "\"action\":\"EXPLODED\""))));
        AgentInfo a = new AgentInfo("node-1", "x", ClusterDriver.DEFAULT_CAPABILITIES, Instant.EPOCH);
        MalformedZnodeException other = assertThrows(MalformedZnodeException.class,
                () -> Wire.readAgent("/lbaas/agents/node-2", Wire.write(a)));
        assertTrue(other.getMessage().contains("differs from the znode's name"), other.getMessage());
    }

    @Test
    @DisplayName("agent ids and roots are checked with an error naming the value and the rule")
    void names() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZnodePaths.checkAgentId("Node 1"));
        assertTrue(e.getMessage().contains("'Node 1'") && e.getMessage().contains("lower-case letters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZnodePaths.checkAgentId("a".repeat(64)));
        assertEquals("a".repeat(63), ZnodePaths.checkAgentId("a".repeat(63)));
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class, () -> ZnodePaths.checkRoot("lbaas/"));
        assertTrue(root.getMessage().contains("'lbaas/'"), root.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Agent.builder().agentId("x_y"));
    }
}

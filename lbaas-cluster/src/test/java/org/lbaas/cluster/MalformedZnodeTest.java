package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.model.Status;

/** Znodes written by hand that break the wire format are reported with their path and skipped. */
class MalformedZnodeTest extends ZooKeeperTest {

    static void write(CuratorFramework c, String path, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (c.checkExists().forPath(path) == null) {
            c.create().creatingParentsIfNeeded().forPath(path, data);
        } else {
            c.setData().forPath(path, data);
        }
    }

    @Test
    @DisplayName("malformed work and placement znodes are reported and skipped; agents and scheduler keep working")
    void reportedAndSkipped() throws Exception {
        InMemoryDriver a = ClusterFixture.inMemory();
        InMemoryDriver b = ClusterFixture.inMemory();
        Agent agentA = zk.agent("node-a", a);
        Agent agentB = zk.agent("node-b", b);
        Scheduler scheduler = zk.scheduler("controller-1", Scheduler.DEFAULT_GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        UUID first = ClusterFixture.deploy(service);
        String runsFirst = zk.placements().get(first).agents().get(0);
        Agent owner = runsFirst.equals("node-a") ? agentA : agentB;
        InMemoryDriver ownerDriver = runsFirst.equals("node-a") ? a : b;

        CuratorFramework hand = zk.client();
        String notJson = "/lbaas/work/" + UUID.randomUUID();
        String wrongFormat = "/lbaas/work/" + UUID.randomUUID();
        String badAgent = "/lbaas/placements/" + UUID.randomUUID();
        String brokenPlacement = "/lbaas/placements/" + first;
        write(hand, notJson, "{not json");
        write(hand, wrongFormat, "{\"format\":2,\"generation\":1,\"instances\":1,\"load_balancer\":null}");
        write(hand, badAgent, "{\"format\":1,\"agents\":[\"Node_A\"]}");
        write(hand, brokenPlacement, "{\"format\":1,\"agents\":\"node-a\",\"extra\":true}");

        Set<String> bad = Set.of(notJson, wrongFormat, badAgent, brokenPlacement);
        for (Agent agent : new Agent[] {agentA, agentB}) {
            ClusterFixture.eventually(agent + " reports every malformed znode", Duration.ofSeconds(10),
                    () -> agent.malformed().keySet().containsAll(bad));
        }
        ClusterFixture.eventually("the scheduler reports them", Duration.ofSeconds(10),
                () -> scheduler.malformed().keySet().containsAll(bad));
        Map<String, String> seen = agentA.malformed();
        assertTrue(seen.get(notJson).contains(notJson) && seen.get(notJson).contains("not JSON"), seen.get(notJson));
        assertTrue(seen.get(wrongFormat).contains("format must be 1"), seen.get(wrongFormat));
        assertTrue(seen.get(badAgent).contains("Node_A") && seen.get(badAgent).contains("lower-case"), seen.get(badAgent));
        assertTrue(seen.get(brokenPlacement).contains("unknown [extra]"), seen.get(brokenPlacement));
        assertTrue(zk.view().malformed().containsKey(badAgent), "cluster status lists it too");

        // both keep working: a new load balancer is placed and applied
        UUID second = ClusterFixture.deploy(service);
        assertEquals(Status.ACTIVE, service.getPool(second).pool().status());
        assertTrue(a.runningIds().contains(second) || b.runningIds().contains(second));
        // what runs for the pool whose placement broke is left as it is
        assertTrue(ownerDriver.runningIds().contains(first), "skipped, not removed");
        assertTrue(owner.serving().containsKey(first));
        assertFalse(agentA.isFenced() || agentB.isFenced());
        assertEquals(Set.of("node-a", "node-b"), zk.view().agents().keySet());

        // repaired by hand: the reports go away
        hand.delete().forPath(notJson);
        hand.delete().forPath(wrongFormat);
        hand.delete().forPath(badAgent);
        ClusterFixture.eventually("the agents and scheduler forget the deleted znodes", Duration.ofSeconds(10),
                () -> agentA.malformed().keySet().equals(Set.of(brokenPlacement))
                        && scheduler.malformed().keySet().equals(Set.of(brokenPlacement)));
    }
}

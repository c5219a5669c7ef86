package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.model.Status;

/** Where the scheduler puts load balancers: spread by load, and the two instances of a pair on two agents. */
class PlacementTest extends ZooKeeperTest {

    @Test
    @DisplayName("6 load balancers over 3 agents: 2 on each, every one running on its agent and ACTIVE")
    void spread() {
        List<InMemoryDriver> drivers = new ArrayList<>();
        for (String id : List.of("node-a", "node-b", "node-c")) {
            InMemoryDriver d = ClusterFixture.inMemory();
            drivers.add(d);
            zk.agent(id, d);
        }
        zk.scheduler("controller-1", Scheduler.DEFAULT_GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        ClusterView view = zk.view();
        assertEquals(Map.of("node-a", 2, "node-b", 2, "node-c", 2), view.load(), view.placements().toString());
        for (UUID pool : pools) {
            assertEquals(Status.ACTIVE, service.getPool(pool).pool().status());
            assertEquals(1, view.placements().get(pool).agents().size());
            String agent = view.placements().get(pool).agents().get(0);
            InMemoryDriver d = drivers.get(List.of("node-a", "node-b", "node-c").indexOf(agent));
            assertTrue(d.runningIds().contains(pool), pool + " runs on " + agent);
        }
        assertEquals(6, drivers.stream().mapToInt(d -> d.runningIds().size()).sum(), "each runs exactly once");
        assertEquals(java.util.Optional.of("controller-1"), view.leader());
    }

    @Test
    @DisplayName("instances=2 (ACTIVE_STANDBY capabilities): the two ordinals run on two different agents")
    void antiAffinity() {
        List<InMemoryDriver> drivers = new ArrayList<>();
        List<String> ids = List.of("node-a", "node-b", "node-c");
        for (String id : ids) {
            InMemoryDriver d = ClusterFixture.inMemory();
            drivers.add(d);
            zk.agent(id, d);
        }
        zk.scheduler("controller-1", Scheduler.DEFAULT_GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES.withInstanceAddresses(2)));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        ClusterView view = zk.view();
        for (UUID pool : pools) {
            List<String> placed = view.placements().get(pool).agents();
            assertEquals(2, placed.size(), "two instances of " + pool);
            assertNotEquals(placed.get(0), placed.get(1), "the pair's ordinals share no agent");
            for (String agent : placed) {
                assertTrue(drivers.get(ids.indexOf(agent)).runningIds().contains(pool), pool + " runs on " + agent);
            }
            assertEquals(Status.ACTIVE, service.getPool(pool).pool().status());
        }
        assertEquals(Map.of("node-a", 2, "node-b", 2, "node-c", 2), view.load(), "6 instances spread over 3 agents");
    }

    @Test
    @DisplayName("a joining agent moves nothing; rebalance() then moves instances to it until loads differ by at most 1")
    void joinThenRebalance() {
        InMemoryDriver a = ClusterFixture.inMemory();
        InMemoryDriver b = ClusterFixture.inMemory();
        zk.agent("node-a", a);
        zk.agent("node-b", b);
        Scheduler scheduler = zk.scheduler("controller-1", Scheduler.DEFAULT_GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        Map<UUID, Placement> before = zk.placements();
        InMemoryDriver c = ClusterFixture.inMemory();
        zk.agent("node-c", c);
        ClusterFixture.eventually("node-c registered", Duration.ofSeconds(5), () -> zk.view().agents().size() == 3);
        assertEquals(before, zk.placements(), "joining changes no placement");
        assertTrue(c.runningIds().isEmpty());

        assertEquals(1, scheduler.rebalance(), "2,2,0 becomes 2,1,1 with one move");
        ClusterFixture.eventually("the moved instance runs on node-c only", Duration.ofSeconds(10),
                () -> c.runningIds().size() == 1 && a.runningIds().size() + b.runningIds().size() == 3);
        assertEquals(Map.of("node-a", 2, "node-b", 1, "node-c", 1).values().stream().sorted().toList(),
                zk.view().load().values().stream().sorted().toList());
        UUID moved = c.runningIds().iterator().next();
        assertEquals(List.of("node-c"), zk.placements().get(moved).agents());
        assertEquals(0, scheduler.rebalance(), "balanced: nothing more moves");
    }
}

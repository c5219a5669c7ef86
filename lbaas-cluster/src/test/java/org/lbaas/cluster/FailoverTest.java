package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.model.Status;

/**
 * Faults of a three-server ZooKeeper ensemble's clients and servers: an agent's session ends, one
 * ZooKeeper server dies, the scheduler's leader goes.
 */
class FailoverTest extends ZooKeeperTest {

    static final Duration GRACE = Duration.ofSeconds(2);
    static final List<String> IDS = List.of("node-a", "node-b", "node-c");

    final Map<String, InMemoryDriver> drivers = new LinkedHashMap<>();
    final Map<String, CuratorFramework> clients = new LinkedHashMap<>();
    final Map<String, Agent> agents = new LinkedHashMap<>();

    @Override
    ClusterFixture fixture() throws Exception {
        return ClusterFixture.threeServers();
    }

    void startAgents(int sessionMs) {
        for (String id : IDS) {
            InMemoryDriver d = ClusterFixture.inMemory();
            CuratorFramework c = zk.client(zk.connect, sessionMs);
            drivers.put(id, d);
            clients.put(id, c);
            agents.put(id, zk.agent(id, d, c, b -> b));
        }
    }

    /** The agents each pool is placed on now. */
    Map<UUID, List<String>> placed(List<UUID> pools) {
        Map<UUID, Placement> all = zk.placements();
        Map<UUID, List<String>> out = new LinkedHashMap<>();
        pools.forEach(p -> out.put(p, all.containsKey(p) ? all.get(p).agents() : List.of()));
        return out;
    }

    boolean runsElsewhere(List<UUID> pools, String dead) {
        Map<UUID, List<String>> now = placed(pools);
        return pools.stream().allMatch(p -> !now.get(p).isEmpty() && !now.get(p).contains(dead)
                && drivers.get(now.get(p).get(0)).runningIds().contains(p));
    }

    /**
     * Ends the victim's session as a crash would: its client closes without the agent unregistering
     * (the ephemeral registration goes with the session), and measures until every one of its load
     * balancers is placed on and running in another agent.
     */
    long killAndMeasure(String victim, List<UUID> pools) {
        long t0 = System.nanoTime();
        clients.get(victim).close();
        ClusterFixture.eventually("the load balancers of " + victim + " running on other agents",
                GRACE.plusSeconds(10), () -> runsElsewhere(pools, victim));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    List<UUID> poolsOn(String agent, List<UUID> pools) {
        return placed(pools).entrySet().stream().filter(e -> e.getValue().contains(agent)).map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    @Test
    @DisplayName("an agent's session ends: its instances are placed on and run by other agents within grace + 2 s")
    void sessionExpiryReassigns() {
        startAgents(ClusterFixture.SESSION_MS);
        zk.scheduler("controller-1", GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        List<UUID> victims = poolsOn("node-a", pools);
        assertEquals(2, victims.size(), placed(pools).toString());
        long millis = killAndMeasure("node-a", victims);
        System.out.println("cluster: agent session ended -> its " + victims.size() + " load balancers running elsewhere in "
                + millis + " ms (grace " + GRACE.toMillis() + " ms)");
        assertTrue(millis <= GRACE.toMillis() + 2000, "reassigned in " + millis + " ms, more than grace + 2 s");
        Map<UUID, List<String>> after = placed(pools);
        after.values().forEach(a -> assertFalse(a.contains("node-a"), after.toString()));
        assertEquals(Map.of("node-b", 3, "node-c", 3), zk.view().load(), "the moved instances spread by load");
        ClusterFixture.eventually("the service sees every pool ACTIVE", Duration.ofSeconds(10),
                () -> pools.stream().allMatch(p -> service.getPool(p).pool().status() == Status.ACTIVE));
        // a load balancer created now still lands on a live agent
        UUID late = ClusterFixture.deploy(service);
        assertEquals(Status.ACTIVE, service.getPool(late).pool().status());
        assertFalse(placed(List.of(late)).get(late).contains("node-a"));
    }

    @Test
    @DisplayName("losing one ZooKeeper server of three changes nothing: placements stay, a new load balancer is applied")
    void losingOneServerChangesNothing() throws Exception {
        startAgents(10_000);
        zk.sessionMs = 10_000;
        zk.scheduler("controller-1", GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        Map<UUID, List<String>> before = placed(pools);
        org.apache.curator.test.InstanceSpec killed = zk.server(true);
        assertTrue(zk.ensemble.killServer(killed), "killed the quorum leader " + killed);

        UUID late = ClusterFixture.deploy(service);
        assertEquals(Status.ACTIVE, service.getPool(late).pool().status(), "applied with two servers of three");
        String lateAgent = placed(List.of(late)).get(late).get(0);
        assertTrue(drivers.get(lateAgent).runningIds().contains(late));
        assertEquals(before, placed(pools), "no placement moved");
        for (UUID p : pools) {
            assertTrue(drivers.get(before.get(p).get(0)).runningIds().contains(p), p + " still runs where it was");
            assertEquals(Status.ACTIVE, service.getPool(p).pool().status());
        }
        agents.values().forEach(a -> assertEquals(0, a.fences(), a + " never fenced itself"));
        assertEquals(Set.copyOf(IDS), zk.view().agents().keySet(), "every agent still registered");
    }

    @Test
    @DisplayName("losing the scheduler's leader elects another that places new load balancers and moves a dead agent's")
    void schedulerLeaderLoss() {
        startAgents(ClusterFixture.SESSION_MS);
        Scheduler first = zk.scheduler("controller-1", GRACE);
        ClusterFixture.eventually("controller-1 leads", Duration.ofSeconds(10), first::isLeader);
        Scheduler second = zk.scheduler("controller-2", GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        assertFalse(second.isLeader(), "exactly one scheduler is active");
        first.close();
        ClusterFixture.eventually("controller-2 takes over", Duration.ofSeconds(10), second::isLeader);
        ClusterFixture.eventually("the cluster view names controller-2", Duration.ofSeconds(5),
                () -> zk.view().leader().equals(java.util.Optional.of("controller-2")));

        UUID late = ClusterFixture.deploy(service);
        pools.add(late);
        assertEquals(Status.ACTIVE, service.getPool(late).pool().status(), "placed by the new leader");

        String victim = placed(List.of(late)).get(late).get(0);
        List<UUID> victims = poolsOn(victim, pools);
        long millis = killAndMeasure(victim, victims);
        System.out.println("cluster: after a leader change, agent death -> running elsewhere in " + millis + " ms");
        assertTrue(millis <= GRACE.toMillis() + 2000, "reassigned in " + millis + " ms");
    }
}

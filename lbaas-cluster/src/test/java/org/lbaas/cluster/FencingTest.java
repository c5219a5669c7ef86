package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.model.Status;

/**
 * A network partition of one agent fences it.
 *
 * <p><b>The partition.</b> The ensemble has three real servers. The partitioned agent's client
 * reaches ZooKeeper only through a TCP forwarder ({@link TcpProxy}) on a loopback port, its node's
 * one network path; every other client (the other agent, the scheduler, the controller) talks to
 * the servers directly. Cutting the forwarder drops the agent's connection and refuses every
 * reconnection, exactly as a broken link of its node would, while all three servers and every other
 * client carry on: they notice only the agent's session expiring on the servers after its
 * timeout. A real loss of connectivity of a real client, not a simulated state change. (The
 * agent's client does not track the ensemble's configuration, which would let it go round the
 * forwarder to the servers listed in {@code /zookeeper/config}.)
 *
 * <p><b>What must hold.</b> The agent stops serving its load balancers (its driver runs none)
 * after {@code fence_after} (a third of its 3 s session), well before its session expires and the
 * scheduler's grace period (2 s after that) moves them; so, sampled every few milliseconds, no
 * load balancer ever runs on both agents at once.
 */
class FencingTest extends ZooKeeperTest {

    @Override
    ClusterFixture fixture() throws Exception {
        return ClusterFixture.threeServers();
    }

    @Test
    @DisplayName("a partitioned agent stops serving before its load balancers are moved: never two nodes serve one")
    void partitionFences() throws Exception {
        InstanceSpec server = zk.ensemble.getInstances().iterator().next();
        TcpProxy link = zk.closeLater(new TcpProxy(server.getPort()));
        InMemoryDriver cut = ClusterFixture.inMemory();
        InMemoryDriver other = ClusterFixture.inMemory();
        CuratorFramework cutClient = zk.pinnedClient(link.connectString(), 3000);
        Agent partitioned = zk.agent("node-p", cut, cutClient, b -> b);
        zk.agent("node-q", other);
        zk.scheduler("controller-1", Duration.ofSeconds(2));
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        Set<UUID> onCut = Set.copyOf(cut.runningIds());
        assertEquals(2, onCut.size(), "the partitioned agent serves its share: " + zk.placements());
        assertFalse(partitioned.isFenced());

        long t0 = System.nanoTime();
        link.cut();
        long fencedAt = -1;
        long movedAt = -1;
        long until = t0 + Duration.ofSeconds(20).toNanos();
        while ((fencedAt < 0 || movedAt < 0) && System.nanoTime() < until) {
            Set<UUID> a = cut.runningIds();
            Set<UUID> b = other.runningIds();
            long now = System.nanoTime();
            for (UUID p : onCut) {
                assertFalse(a.contains(p) && b.contains(p), p + " served by both agents "
                        + (now - t0) / 1_000_000 + " ms after the partition");
            }
            if (fencedAt < 0 && a.isEmpty()) {
                fencedAt = now;
            }
            if (movedAt < 0 && b.containsAll(onCut)) {
                movedAt = now;
            }
            Thread.sleep(2);
        }
        assertTrue(fencedAt > 0, "the partitioned agent never stopped serving");
        assertTrue(movedAt > 0, "its load balancers never moved to node-q");
        long fenceMs = (fencedAt - t0) / 1_000_000;
        long moveMs = (movedAt - t0) / 1_000_000;
        System.out.println("cluster: partition -> fenced after " + fenceMs + " ms (fence_after "
                + partitioned.fenceAfter().toMillis() + " ms), moved and serving elsewhere after " + moveMs + " ms");
        assertTrue(partitioned.isFenced());
        assertTrue(fenceMs <= partitioned.fenceAfter().toMillis() + 1000, "fenced " + fenceMs + " ms after the partition");
        assertTrue(fencedAt < movedAt, "fenced before the scheduler moved its load balancers");
        ClusterFixture.eventually("every pool ACTIVE on node-q", Duration.ofSeconds(10),
                () -> pools.stream().allMatch(p -> service.getPool(p).pool().status() == Status.ACTIVE));
        assertEquals(Set.copyOf(pools), other.runningIds());
    }
}

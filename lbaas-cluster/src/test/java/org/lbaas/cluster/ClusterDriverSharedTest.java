package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.cluster.ClusterFixture.eventually;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.model.LoadBalancer;

/** The cluster driver beside other controllers: store versions on work, self-healing on the leader's controller only. */
class ClusterDriverSharedTest extends ZooKeeperTest {

    static final Duration GRACE = Duration.ofSeconds(1);

    @Test
    @DisplayName("an apply of an older store version than the work's is UNCHANGED, superseded, and leaves the work alone")
    void olderStoreVersionNeverReplacesWork() throws Exception {
        CuratorFramework c = zk.client();
        ZooKeeperRepository store = ZooKeeperRepository.create(c);
        StoredLoadBalancer doc = ZooKeeperTestObjects.loadBalancer("web", 1);
        store.save(doc); // this controller knows version 0
        LoadBalancer desired = new LoadBalancer(doc.poolSubnet(), doc.pool(), Optional.empty(), List.of(), List.of());
        String work = "/lbaas/work/" + doc.id();
        c.create().creatingParentsIfNeeded().forPath(work, Wire.write(new WorkItem(3, 1, Optional.of(desired), 5)));
        ClusterDriver driver = zk.closeLater(ClusterDriver.builder().client(c).store(store)
                .applyTimeout(Duration.ofSeconds(2)).build());

        ApplyResult r = driver.apply(Optional.empty(), desired);

        assertEquals(ApplyResult.Action.UNCHANGED, r.action());
        assertTrue(r.detail().contains("superseded") && r.detail().contains("store version 5"), r.detail());
        WorkItem there = Wire.readWork(work, c.getData().forPath(work));
        assertEquals(3, there.generation());
        assertEquals(5, there.storeVersion());
    }

    @Test
    @DisplayName("probe: nothing on a controller whose scheduler does not lead; on the leader's, a missing agent only after the grace period")
    void probeOnTheLeaderAfterGrace() {
        Agent agent = zk.agent("node-1", ClusterFixture.inMemory());
        Scheduler leader = zk.scheduler("controller-1", GRACE);
        eventually("controller-1 leads", Duration.ofSeconds(10), leader::isLeader);
        Scheduler follower = zk.scheduler("controller-2", GRACE);
        ClusterDriver onLeader = zk.closeLater(ClusterDriver.builder().client(zk.client()).scheduler(leader)
                .applyTimeout(Duration.ofSeconds(15)).build());
        ClusterDriver onFollower = zk.closeLater(ClusterDriver.builder().client(zk.client()).scheduler(follower)
                .applyTimeout(Duration.ofSeconds(15)).build());
        LoadBalancerService service = zk.closeLater(LoadBalancerService.builder().driver(onLeader)
                .repository(org.lbaas.api.Repository.inMemory()).subnets(org.lbaas.api.SubnetRegistry.of(ClusterFixture.SUBNET))
                .selfHealing(Duration.ZERO).build());
        UUID pool = ClusterFixture.deploy(service);
        assertEquals(Map.of(), onLeader.probe(List.of(pool)));

        long gone = System.nanoTime();
        agent.close(); // its registration goes; there is no other agent to move to
        eventually("the leader's driver sees the agent gone", Duration.ofSeconds(5),
                () -> !onLeader.probe(List.of(pool)).isEmpty() || onLeaderMissing(onLeader));
        eventually("the leader's driver reports the pool", Duration.ofSeconds(10), () -> onLeader.probe(List.of(pool))
                .getOrDefault(pool, "").contains("has not been registered for 1000 ms"));
        long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gone);
        assertTrue(after >= GRACE.toMillis(), "reported after " + after + " ms, within the grace period");
        assertEquals(Map.of(), onFollower.probe(List.of(pool)), "the follower's controller does not heal");
    }

    /** Whether the driver already tracks a missing agent (its first probe after the registration went). */
    private static boolean onLeaderMissing(ClusterDriver d) {
        return d.missingAgents() > 0;
    }
}

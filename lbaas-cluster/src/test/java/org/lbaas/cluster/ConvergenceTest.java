package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;

/** Many load balancers over many agents, through a three-server ensemble. */
class ConvergenceTest extends ZooKeeperTest {

    static final int POOLS = 200;

    @Override
    ClusterFixture fixture() throws Exception {
        return ClusterFixture.threeServers();
    }

    @Test
    @DisplayName("200 load balancers over 5 agents converge: every one ACTIVE, each running once, placements balanced within 1")
    void twoHundredOverFive() {
        Map<String, InMemoryDriver> drivers = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            InMemoryDriver d = ClusterFixture.inMemory();
            drivers.put("node-" + i, d);
            zk.agent("node-" + i, d);
        }
        zk.scheduler("controller-1", Scheduler.DEFAULT_GRACE);
        zk.scheduler("controller-2", Scheduler.DEFAULT_GRACE);
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        long t0 = System.nanoTime();
        List<Pending<PoolView>> pools = new ArrayList<>();
        for (int i = 0; i < POOLS; i++) {
            pools.add(service.createPool(PoolCreate.of(ClusterFixture.TENANT, ClusterFixture.SUBNET.id(), Protocol.HTTP,
                    LbMethod.ROUND_ROBIN)));
        }
        List<UUID> ids = new ArrayList<>();
        pools.forEach(p -> ids.add(ClusterFixture.done(p).id()));
        List<Pending<?>> next = new ArrayList<>();
        for (UUID id : ids) {
            next.add(service.createMember(MemberCreate.of(ClusterFixture.TENANT, id, "10.20.1.7", 8080)));
            next.add(service.createVip(VipCreate.of(ClusterFixture.TENANT, ClusterFixture.SUBNET.id(), 80, Protocol.HTTP, id)));
        }
        next.forEach(ClusterFixture::done);
        ClusterFixture.eventually("every pool ACTIVE", Duration.ofSeconds(60),
                () -> ids.stream().allMatch(id -> service.getPool(id).pool().status() == Status.ACTIVE));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        ClusterView view = zk.view();
        Map<String, Integer> load = view.load();
        System.out.println("cluster: " + POOLS + " load balancers (600 changes) over 5 agents converged in " + millis
                + " ms; load " + load);
        assertEquals(Set.copyOf(ids), view.placements().keySet());
        assertTrue(Collections.max(load.values()) - Collections.min(load.values()) <= 1, "balanced within 1: " + load);
        Set<UUID> seen = new HashSet<>();
        drivers.forEach((agent, d) -> {
            for (UUID id : d.runningIds()) {
                assertTrue(seen.add(id), id + " runs on two agents");
                assertEquals(List.of(agent), view.placements().get(id).agents(), id + " runs where it is placed");
                assertEquals(1, d.running(id).orElseThrow().members().size());
            }
        });
        assertEquals(Set.copyOf(ids), seen, "every load balancer runs");
    }
}

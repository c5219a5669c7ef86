package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Status;

/** A restarted agent adopts what its driver still runs instead of deploying it again. */
class AgentRestartTest extends ZooKeeperTest {

    /** The in-memory driver, recording every apply's action. */
    static final class Recording extends ForwardingDriver {
        final InMemoryDriver inner;
        final List<ApplyResult.Action> applies = new CopyOnWriteArrayList<>();

        Recording(InMemoryDriver inner) {
            this.inner = inner;
        }

        @Override
        protected LoadBalancerDriver delegate() {
            return inner;
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            ApplyResult r = super.apply(previous, desired);
            applies.add(r.action());
            return r;
        }
    }

    @Test
    @DisplayName("a crashed agent restarted with the same id and driver adopts its running instances: no DEPLOYED apply")
    void restartAdopts() {
        Recording driver = new Recording(ClusterFixture.inMemory());
        CuratorFramework first = zk.client();
        Agent agent = zk.agent("node-a", driver, first, b -> b);
        zk.scheduler("controller-1", Duration.ofSeconds(30));
        LoadBalancerService service = zk.service(zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES));
        List<UUID> pools = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pools.add(ClusterFixture.deploy(service));
        }
        assertEquals(Set.copyOf(pools), driver.inner.runningIds());
        Map<UUID, Placement> placements = zk.placements();

        // the crash: the connection goes first (no unregistering), then the agent's threads
        first.close();
        agent.close();
        driver.applies.clear();

        Agent restarted = zk.agent("node-a", driver, zk.client(), b -> b);
        ReconcileReport report = restarted.lastReconcile().orElseThrow();
        assertEquals(Set.copyOf(pools), report.adopted(), "adopted what runs: " + report);
        assertEquals(Set.of(), report.repaired());
        assertEquals(Set.of(), report.removed());
        // (the controller's self-healing may have re-sent a load balancer while node-a was away: that
        // apply finds it running, UNCHANGED; what must never happen is a deployment)
        assertTrue(driver.applies.stream().allMatch(a -> a == ApplyResult.Action.UNCHANGED), "nothing deployed again: "
                + driver.applies);
        assertEquals(Set.copyOf(pools), driver.inner.runningIds());
        assertEquals(placements, zk.placements(), "no placement moved");
        assertEquals(Set.of("node-a"), zk.view().agents().keySet(), "registered again under its id");

        // and it keeps working: a change reaches it as one in-place apply
        ClusterFixture.done(service.createMember(MemberCreate.of(ClusterFixture.TENANT, pools.get(0), "10.20.1.8", 8080)));
        assertTrue(driver.applies.contains(ApplyResult.Action.CHANGED_IN_PLACE), driver.applies.toString());
        assertTrue(driver.applies.stream().noneMatch(a -> a == ApplyResult.Action.DEPLOYED), driver.applies.toString());
        assertEquals(Status.ACTIVE, service.getPool(pools.get(0)).pool().status());
        assertEquals(2, driver.inner.running(pools.get(0)).orElseThrow().members().size());
        assertTrue(restarted.serving().keySet().containsAll(pools));
    }
}

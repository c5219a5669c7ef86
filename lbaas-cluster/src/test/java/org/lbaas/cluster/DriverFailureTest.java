package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;

/** An agent's driver failure reaches the controller's service as the driver said it. */
class DriverFailureTest extends ZooKeeperTest {

    static final String TENANT_MESSAGE = "the load balancer could not be started";
    static final String OPERATOR_MESSAGE = "haproxy -c: exit 1: parse error in line 7";

    /** The in-memory driver, refusing every deployable load balancer once {@code failing} is set. */
    static final class Failing extends ForwardingDriver {
        final InMemoryDriver inner = ClusterFixture.inMemory();
        volatile boolean failing;

        @Override
        protected LoadBalancerDriver delegate() {
            return inner;
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            if (failing && desired.isDeployable()) {
                throw new DriverException(TENANT_MESSAGE, OPERATOR_MESSAGE, false);
            }
            return super.apply(previous, desired);
        }
    }

    @Test
    @DisplayName("an agent's DriverException comes back from ClusterDriver.apply with both messages; the pool ends ERROR")
    void failureSurfaces() {
        Failing driver = new Failing();
        zk.agent("node-a", driver);
        zk.scheduler("controller-1", Scheduler.DEFAULT_GRACE);
        ClusterDriver cluster = zk.clusterDriver(ClusterDriver.DEFAULT_CAPABILITIES);
        LoadBalancerService service = zk.service(cluster);
        PoolView pool = ClusterFixture.done(service.createPool(PoolCreate.of(ClusterFixture.TENANT,
                ClusterFixture.SUBNET.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN)));
        UUID id = pool.id();
        ClusterFixture.done(service.createMember(MemberCreate.of(ClusterFixture.TENANT, id, "10.20.1.7", 8080)));
        ClusterFixture.done(service.createVip(VipCreate.of(ClusterFixture.TENANT, ClusterFixture.SUBNET.id(), 80,
                Protocol.HTTP, id)));
        assertEquals(Status.ACTIVE, service.getPool(id).pool().status(), "applied while the driver works");

        driver.failing = true;
        ClusterFixture.done(service.updatePool(id, PoolUpdate.empty().withName("renamed")));

        var view = service.getPool(id).pool();
        assertEquals(Status.ERROR, view.status(), "the pool ends ERROR");
        assertTrue(view.statusDescription().contains(TENANT_MESSAGE), view.statusDescription());

        LoadBalancer lb = service.loadBalancer(id);
        DriverException e = assertThrows(DriverException.class, () -> cluster.apply(Optional.empty(), lb));
        assertTrue(e.tenantMessage().contains(TENANT_MESSAGE), e.tenantMessage());
        assertTrue(e.operatorMessage().contains(OPERATOR_MESSAGE), e.operatorMessage());
        assertTrue(e.operatorMessage().contains("node-a") && e.operatorMessage().contains(id.toString()), e.operatorMessage());
    }
}

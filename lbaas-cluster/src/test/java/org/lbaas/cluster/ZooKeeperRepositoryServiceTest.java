package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.StoreDocuments;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/** A LoadBalancerService whose desired state is in ZooKeeper: it restarts from it, and a stale controller cannot overwrite it. */
class ZooKeeperRepositoryServiceTest {

    private static final String TENANT = ZooKeeperTestObjects.TENANT;

    private TestingServer server;
    private String root;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        root = ZooKeeperTestObjects.uniqueRoot();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private LoadBalancerService service(CuratorFramework client) {
        return LoadBalancerService.builder().driver(new InMemoryDriverProvider().create(DriverConfig.defaults()))
                .repository(ZooKeeperRepository.create(client, root))
                .subnets(SubnetRegistry.of(ZooKeeperTestObjects.POOL_SUBNET)).driverDeadline(Duration.ofSeconds(5)).threads(2)
                .build();
    }

    private static <T> T done(Pending<T> pending) throws Exception {
        return pending.outcome().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a service over ZooKeeper creates a pool, a member and a VIP; a new service over a new client sees them again")
    void restartFromZooKeeper() throws Exception {
        PoolView pool;
        Member member;
        Vip vip;
        LoadBalancer lb;
        try (CuratorFramework client = ZooKeeperTestObjects.client(server.getConnectString());
             LoadBalancerService s = service(client)) {
            PoolView created = done(s.createPool(PoolCreate.of(TENANT, ZooKeeperTestObjects.POOL_SUBNET.id(), Protocol.HTTP,
                    LbMethod.ROUND_ROBIN).withName("web")));
            member = done(s.createMember(MemberCreate.of(TENANT, created.id(), "10.0.0.10", 8080)));
            vip = done(s.createVip(VipCreate.of(TENANT, ZooKeeperTestObjects.POOL_SUBNET.id(), 80, Protocol.HTTP,
                    created.id())));
            pool = s.getPool(created.id());
            lb = s.loadBalancer(created.id());
            assertEquals(Status.ACTIVE, pool.pool().status());
        }
        try (CuratorFramework client = ZooKeeperTestObjects.client(server.getConnectString());
             LoadBalancerService s = service(client)) {
            assertEquals(List.of(pool), s.listPools());
            assertEquals(member, s.getMember(member.id()));
            assertEquals(vip, s.getVip(vip.id()));
            assertEquals(lb, s.loadBalancer(pool.id()));
            // and it goes on writing (compare-and-set on the versions it loaded)
            assertEquals("renamed", done(s.updatePool(pool.id(), PoolUpdate.empty().withName("renamed"))).pool().name());
        } finally {
            try (CuratorFramework client = ZooKeeperTestObjects.client(server.getConnectString())) {
                client.delete().deletingChildrenIfNeeded().forPath(root);
            }
        }
    }

    @Test
    @DisplayName("two services over one root: the stale one's change is made again on the other's, which ZooKeeper keeps")
    void staleControllerCannotOverwrite() throws Exception {
        try (CuratorFramework c1 = ZooKeeperTestObjects.client(server.getConnectString());
             CuratorFramework c2 = ZooKeeperTestObjects.client(server.getConnectString())) {
            try (LoadBalancerService first = service(c1)) {
                PoolView created = done(first.createPool(PoolCreate.of(TENANT, ZooKeeperTestObjects.POOL_SUBNET.id(),
                        Protocol.TCP, LbMethod.ROUND_ROBIN)));
                try (LoadBalancerService second = service(c2)) {
                    done(second.updatePool(created.id(), PoolUpdate.empty().withName("by-second")));
                    // Whether or not the first service has taken the second's change in yet, its update
                    // is made on it: a lost compare-and-set is reloaded and made again, never overwriting.
                    PoolView updated = done(first.updatePool(created.id(), PoolUpdate.empty()
                            .withLbMethod(LbMethod.LEAST_CONNECTIONS)));
                    assertEquals("by-second", updated.pool().name());
                    byte[] stored = c1.getData().forPath(root + "/store/load-balancers/" + created.id());
                    assertEquals("by-second", StoreDocuments.readLoadBalancer(stored).pool().name());
                    assertEquals(LbMethod.LEAST_CONNECTIONS, StoreDocuments.readLoadBalancer(stored).pool().lbMethod());
                }
            } finally {
                c1.delete().deletingChildrenIfNeeded().forPath(root);
            }
        }
    }
}

package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.cluster.ClusterFixture.eventually;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.Repository;
import org.lbaas.api.StoreConflictException;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.Vip;

/** Two repositories over one root, as two controllers have them: change notification, reload and claims. */
class ZooKeeperRepositorySharedTest {

    private static TestingServer server;

    private String root;
    private CuratorFramework clientA;
    private CuratorFramework clientB;
    private ZooKeeperRepository a;
    private ZooKeeperRepository b;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void twoRepositories() {
        root = ZooKeeperTestObjects.uniqueRoot();
        clientA = ZooKeeperTestObjects.client(server.getConnectString());
        clientB = ZooKeeperTestObjects.client(server.getConnectString());
        a = ZooKeeperRepository.create(clientA, root);
        b = ZooKeeperRepository.create(clientB, root);
    }

    @AfterEach
    void close() throws Exception {
        clientA.delete().deletingChildrenIfNeeded().forPath(root);
        clientA.close();
        clientB.close();
    }

    record Heard(ObjectKind kind, UUID id) {
    }

    @Test
    @DisplayName("watch tells B what A stored and deleted, never B's own writes; B reloads and writes on A's version")
    void watchAndReload() {
        List<Heard> heard = new CopyOnWriteArrayList<>();
        StoredLoadBalancer lb = ZooKeeperTestObjects.loadBalancer("web", 2);
        Repository.Watch w = b.shared().orElseThrow().watch((k, id) -> heard.add(new Heard(k, id)));
        try {
            a.save(lb);
            eventually("B hears A's store", Duration.ofSeconds(5), () -> heard.contains(new Heard(ObjectKind.POOL, lb.id())));
            assertEquals(Optional.of(lb), b.reloadLoadBalancer(lb.id()));
            heard.clear();
            StoredLoadBalancer renamed = ZooKeeperTestObjects.renamed(lb, "by-b");
            b.save(renamed); // on the reloaded version: no conflict
            assertThrows(ConcurrentUpdateException.class, () -> a.save(ZooKeeperTestObjects.renamed(lb, "stale-a")));
            assertEquals(Optional.of(renamed), a.reloadLoadBalancer(lb.id()));
            a.deleteLoadBalancer(lb.id());
            eventually("B hears A's delete", Duration.ofSeconds(5), () -> heard.contains(new Heard(ObjectKind.POOL, lb.id())));
            assertEquals(1, heard.size(), "B's own write is not reported: " + heard);
            assertEquals(Optional.empty(), b.reloadLoadBalancer(lb.id()));
        } finally {
            w.close();
        }
        assertTrue(Repository.inMemory().shared().isEmpty(), "the in-memory store is not shared");
    }

    @Test
    @DisplayName("a VIP address claimed by A's document is refused for B's, naming the address; freed when A deletes it")
    void claims() throws Exception {
        StoredLoadBalancer first = ZooKeeperTestObjects.loadBalancer("first", 1);
        StoredLoadBalancer other = ZooKeeperTestObjects.loadBalancer("second", 1);
        Vip otherVip = other.vip().orElseThrow().toBuilder().address(first.vip().orElseThrow().address()).build();
        StoredLoadBalancer second = new StoredLoadBalancer(other.revision(), other.pool(), other.poolSubnet(),
                Optional.of(otherVip), other.vipSubnet(), other.members(), other.associations(), List.of()); // same address
        a.save(first);
        ClaimTakenException e = assertThrows(ClaimTakenException.class, () -> b.save(second));
        assertTrue(e.getMessage().contains("address " + first.vip().orElseThrow().address().getHostAddress()
                + " on subnet " + first.vip().orElseThrow().subnetId()), e.getMessage());
        assertEquals(Optional.of(first.id()), e.holder());
        assertTrue(e instanceof StoreConflictException);
        assertNull(clientA.checkExists().forPath(root + "/store/load-balancers/" + second.id()), "nothing was written");
        Vip v = second.vip().orElseThrow();
        assertNull(clientA.checkExists().forPath(root + "/store/claims/ports/" + v.portId()), "no claim left behind");

        a.deleteLoadBalancer(first.id());
        assertNull(clientA.checkExists().forPath(root + "/store/claims/ports/" + first.vip().orElseThrow().portId()));
        b.save(second);
        assertNotNull(clientA.checkExists().forPath(root + "/store/claims/ports/" + v.portId()));
    }

    @Test
    @DisplayName("a VIP moved to another pool keeps its claims: the new pool takes them over, the old one's write leaves them")
    void movedVipKeepsItsClaims() throws Exception {
        StoredLoadBalancer from = ZooKeeperTestObjects.loadBalancer("from", 0);
        a.save(from);
        UUID toId = UUID.randomUUID();
        Vip moved = from.vip().orElseThrow().toBuilder().poolId(toId).build();
        StoredLoadBalancer to = new StoredLoadBalancer(9, ZooKeeperTestObjects.pool(toId, ZooKeeperTestObjects.TENANT, "to"),
                from.poolSubnet(), Optional.of(moved), from.vipSubnet(), List.of(), List.of(), List.of());
        a.save(to);
        a.save(new StoredLoadBalancer(10, from.pool(), from.poolSubnet(), Optional.empty(), Optional.empty(), from.members(),
                from.associations(), List.of()));
        byte[] claim = clientA.getData().forPath(root + "/store/claims/ports/" + moved.portId());
        assertEquals(Optional.of(new Claims.Owner(moved.id(), toId)), Claims.read(claim));
        assertFalse(b.load().loadBalancers().isEmpty());
    }
}

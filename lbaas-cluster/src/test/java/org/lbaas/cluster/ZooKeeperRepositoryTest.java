package org.lbaas.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.cluster.ZooKeeperTestObjects.loadBalancer;
import static org.lbaas.cluster.ZooKeeperTestObjects.monitor;
import static org.lbaas.cluster.ZooKeeperTestObjects.renamed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.lbaas.api.StorageException;
import org.lbaas.api.StoreDocuments;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.HealthMonitor;

/** The desired state in one real ZooKeeper server: round trips, compare-and-set, malformed znodes, failures. */
class ZooKeeperRepositoryTest {

    private static TestingServer server;

    private final List<CuratorFramework> clients = new ArrayList<>();
    private String root;
    private CuratorFramework client;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() {
        root = ZooKeeperTestObjects.uniqueRoot();
        client = newClient();
    }

    @AfterEach
    void removeAndClose() throws Exception {
        try {
            if (client.getZookeeperClient().isConnected() && client.checkExists().forPath(root) != null) {
                client.delete().deletingChildrenIfNeeded().forPath(root);
            }
        } finally {
            clients.forEach(CuratorFramework::close);
        }
    }

    private CuratorFramework newClient() {
        CuratorFramework c = ZooKeeperTestObjects.client(server.getConnectString());
        clients.add(c);
        return c;
    }

    private String lbPath(UUID id) {
        return root + "/store/load-balancers/" + id;
    }

    private String monitorPath(UUID id) {
        return root + "/store/health-monitors/" + id;
    }

    private static List<StoredLoadBalancer> byId(List<StoredLoadBalancer> lbs) {
        return lbs.stream().sorted(Comparator.comparing(StoredLoadBalancer::id)).toList();
    }

    @Test
    @DisplayName("load balancers and monitors round-trip, across updates, deletes and a second repository")
    void roundTrip() throws Exception {
        ZooKeeperRepository repo = ZooKeeperRepository.create(client, root);
        assertEquals(new Repository.Contents(List.of(), List.of()), repo.load());
        StoredLoadBalancer a = loadBalancer("a", 3);
        StoredLoadBalancer b = loadBalancer("b", 0);
        HealthMonitor m1 = monitor(5);
        HealthMonitor m2 = monitor(7);
        repo.save(a);
        repo.save(b);
        repo.save(m1);
        repo.save(m2);
        StoredLoadBalancer a2 = renamed(a, "a2");
        repo.save(a2);
        HealthMonitor m1b = m1.toBuilder().delay(9).build();
        repo.save(m1b);
        repo.deleteHealthMonitor(m2.id());

        assertArrayEquals(StoreDocuments.write(a2), client.getData().forPath(lbPath(a.id())));
        assertEquals(1, client.checkExists().forPath(lbPath(a.id())).getVersion());
        Repository.Contents seen = ZooKeeperRepository.create(newClient(), root).load();
        assertEquals(byId(List.of(a2, b)), byId(seen.loadBalancers()));
        assertEquals(List.of(m1b), seen.healthMonitors());

        repo.deleteLoadBalancer(a.id());
        repo.deleteLoadBalancer(a.id()); // gone: still fine
        assertNull(client.checkExists().forPath(lbPath(a.id())));
        assertEquals(List.of(b), repo.load().loadBalancers());
        assertEquals(List.of(), repo.skipped());
    }

    @Test
    @DisplayName("the default root is /lbaas and a root must be an absolute path")
    void roots() throws Exception {
        ZooKeeperRepository repo = ZooKeeperRepository.create(client);
        assertEquals("/lbaas", repo.root());
        assertEquals(1024 * 1024 - 4096, repo.maxDocumentBytes());
        HealthMonitor m = monitor(5);
        try {
            repo.save(m);
            assertNotNull(client.checkExists().forPath("/lbaas/store/health-monitors/" + m.id()));
        } finally {
            repo.deleteHealthMonitor(m.id());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZooKeeperRepository.create(client, "lbaas/"));
        assertTrue(e.getMessage().startsWith("root: must be an absolute ZooKeeper path such as /lbaas, found 'lbaas/'"),
                e.getMessage());
        assertEquals("maxDocumentBytes: must be positive, found 0",
                assertThrows(IllegalArgumentException.class, () -> ZooKeeperRepository.create(client, root, 0)).getMessage());
    }

    @Test
    @DisplayName("two repositories read the same document and save at once: exactly one wins, the znode holds its document")
    void concurrentSavesOneWins() throws Exception {
        StoredLoadBalancer original = loadBalancer("original", 2);
        ZooKeeperRepository.create(client, root).save(original);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                ZooKeeperRepository first = ZooKeeperRepository.create(newClient(), root);
                ZooKeeperRepository second = ZooKeeperRepository.create(newClient(), root);
                StoredLoadBalancer read = first.load().loadBalancers().get(0);
                assertEquals(read, second.load().loadBalancers().get(0));
                int before = client.checkExists().forPath(lbPath(read.id())).getVersion();
                StoredLoadBalancer byFirst = renamed(read, "first-" + round);
                StoredLoadBalancer bySecond = renamed(read, "second-" + round);
                CountDownLatch go = new CountDownLatch(1);
                Future<Object> f1 = pool.submit(() -> {
                    go.await();
                    return saveOutcome(first, byFirst);
                });
                Future<Object> f2 = pool.submit(() -> {
                    go.await();
                    return saveOutcome(second, bySecond);
                });
                go.countDown();
                Object o1 = f1.get(30, TimeUnit.SECONDS);
                Object o2 = f2.get(30, TimeUnit.SECONDS);
                assertTrue((o1 == null) != (o2 == null), "exactly one save wins in round " + round + ": " + o1 + " / " + o2);
                StoredLoadBalancer winner = o1 == null ? byFirst : bySecond;
                ConcurrentUpdateException lost = assertInstanceOf(ConcurrentUpdateException.class, o1 == null ? o2 : o1);
                assertArrayEquals(StoreDocuments.write(winner), client.getData().forPath(lbPath(read.id())));
                assertEquals(ObjectKind.POOL, lost.kind());
                assertEquals(read.id().toString(), lost.id());
                assertEquals(OptionalInt.of(before), lost.expectedVersion());
                assertEquals(OptionalInt.of(before + 1), lost.foundVersion());
                assertEquals("pool " + read.id() + ": another writer changed " + lbPath(read.id())
                        + " (this repository expected znode version " + before + ", ZooKeeper holds znode version "
                        + (before + 1) + "); nothing was written: load the store again before changing it", lost.getMessage());
                assertInstanceOf(StorageException.class, lost);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object saveOutcome(ZooKeeperRepository repo, StoredLoadBalancer lb) {
        try {
            repo.save(lb);
            return null;
        } catch (ConcurrentUpdateException e) {
            return e;
        }
    }

    @Test
    @DisplayName("a stale repository keeps losing until it loads again; creates and deletes are compare-and-set too")
    void staleWritersConflict() throws Exception {
        ZooKeeperRepository first = ZooKeeperRepository.create(client, root);
        ZooKeeperRepository second = ZooKeeperRepository.create(newClient(), root);
        StoredLoadBalancer lb = loadBalancer("lb", 1);
        first.save(lb);

        // a create over a document this repository never saw
        ConcurrentUpdateException create = assertThrows(ConcurrentUpdateException.class,
                () -> second.save(renamed(lb, "mine")));
        assertEquals(OptionalInt.empty(), create.expectedVersion());
        assertEquals(OptionalInt.of(0), create.foundVersion());
        assertTrue(create.getMessage().contains("expected no znode, ZooKeeper holds znode version 0"), create.getMessage());

        second.load();
        first.save(renamed(lb, "newer"));
        assertThrows(ConcurrentUpdateException.class, () -> second.save(renamed(lb, "stale")));
        assertThrows(ConcurrentUpdateException.class, () -> second.save(renamed(lb, "still stale")));
        ConcurrentUpdateException delete = assertThrows(ConcurrentUpdateException.class,
                () -> second.deleteLoadBalancer(lb.id()));
        assertEquals(OptionalInt.of(0), delete.expectedVersion());
        assertEquals(OptionalInt.of(1), delete.foundVersion());
        assertEquals(renamed(lb, "newer"), first.load().loadBalancers().get(0));

        second.load();
        second.save(renamed(lb, "after reload"));
        assertEquals(2, client.checkExists().forPath(lbPath(lb.id())).getVersion());

        // a monitor another writer deleted: a save conflicts (found none), a delete succeeds
        HealthMonitor m = monitor(5);
        first.save(m);
        second.load();
        first.deleteHealthMonitor(m.id());
        ConcurrentUpdateException gone = assertThrows(ConcurrentUpdateException.class,
                () -> second.save(m.toBuilder().delay(8).build()));
        assertEquals(ObjectKind.HEALTH_MONITOR, gone.kind());
        assertEquals(OptionalInt.empty(), gone.foundVersion());
        assertTrue(gone.getMessage().startsWith("health_monitor " + m.id() + ": "), gone.getMessage());
        second.deleteHealthMonitor(m.id());
        assertNull(client.checkExists().forPath(monitorPath(m.id())));
    }

    @Test
    @DisplayName("malformed znodes are logged, skipped and listed; load() returns the rest, and nothing overwrites them")
    void malformedZnodesAreSkipped() throws Exception {
        ZooKeeperRepository repo = ZooKeeperRepository.create(client, root);
        StoredLoadBalancer good = loadBalancer("good", 2);
        HealthMonitor monitor = monitor(5);
        repo.save(good);
        repo.save(monitor);
        StoredLoadBalancer other = loadBalancer("other", 1);
        UUID badJson = UUID.randomUUID();
        UUID wrongId = UUID.randomUUID();
        UUID brokenRule = UUID.randomUUID();
        UUID badFormat = UUID.randomUUID();
        String rule = new String(StoreDocuments.write(other), UTF_8).replace("\"LEAST_CONNECTIONS\"", "\"FASTEST\"");
        client.create().forPath(lbPath(badJson), "{\"format\": 3, \"pool\": ".getBytes(UTF_8));
        client.create().forPath(lbPath(wrongId), StoreDocuments.write(other));
        client.create().forPath(root + "/store/load-balancers/not-a-uuid", StoreDocuments.write(other));
        client.create().forPath(lbPath(brokenRule), rule.getBytes(UTF_8));
        client.create().forPath(monitorPath(badFormat), "{\"format\": 9}".getBytes(UTF_8));

        Repository.Contents contents = repo.load();
        assertEquals(List.of(good), contents.loadBalancers());
        assertEquals(List.of(monitor), contents.healthMonitors());
        Set<String> skipped = repo.skipped().stream().map(ZooKeeperRepository.Skipped::path).collect(Collectors.toSet());
        assertEquals(Set.of(lbPath(badJson), lbPath(wrongId), root + "/store/load-balancers/not-a-uuid", lbPath(brokenRule),
                monitorPath(badFormat)), skipped);
        assertEquals(5, repo.skipped().size());
        assertTrue(reason(repo, lbPath(badJson)).contains("malformed JSON"), reason(repo, lbPath(badJson)));
        assertEquals("it holds the document of pool " + other.id() + ", not of " + wrongId, reason(repo, lbPath(wrongId)));
        assertTrue(reason(repo, root + "/store/load-balancers/not-a-uuid").startsWith("the name is not a pool id"));
        assertTrue(reason(repo, lbPath(brokenRule)).contains("pool.lb_method"), reason(repo, lbPath(brokenRule)));
        assertTrue(reason(repo, monitorPath(badFormat)).contains("format: expected 3"), reason(repo, monitorPath(badFormat)));

        // the repository never saw a version of what it skipped: a save of that id is a conflict, the znode stays
        StoredLoadBalancer sameId = loadBalancer(badJson, ZooKeeperTestObjects.TENANT, "x", List.of());
        assertThrows(ConcurrentUpdateException.class, () -> repo.save(sameId));
        assertEquals("{\"format\": 3, \"pool\": ", new String(client.getData().forPath(lbPath(badJson)), UTF_8));
    }

    private static String reason(ZooKeeperRepository repo, String path) {
        return repo.skipped().stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow().reason();
    }

    @Test
    @DisplayName("with ZooKeeper gone, saves, deletes and loads fail with a StorageException naming the connect string and the path")
    void zooKeeperFailures() throws Exception {
        try (TestingServer own = new TestingServer(true)) {
            CuratorFramework c = ZooKeeperTestObjects.client(own.getConnectString());
            clients.add(c);
            ZooKeeperRepository repo = ZooKeeperRepository.create(c, root);
            StoredLoadBalancer lb = loadBalancer("lb", 1);
            repo.save(lb);
            own.stop();
            StorageException save = assertThrows(StorageException.class, () -> repo.save(renamed(lb, "later")));
            assertFalse(save instanceof ConcurrentUpdateException);
            // ConnectionLoss while Curator retries; Session expired when retrying outlasted the session (a loaded machine)
            String prefix = "cannot write " + lbPath(lb.id()) + " in ZooKeeper at " + own.getConnectString() + ": KeeperErrorCode = ";
            assertTrue(save.getMessage().startsWith(prefix + "ConnectionLoss") || save.getMessage().startsWith(prefix
                    + "Session expired"), save.getMessage());
            assertEquals(lb.id().toString(), save.id());
            StorageException load = assertThrows(StorageException.class, repo::load);
            assertTrue(load.getMessage().startsWith("cannot list " + root + "/store/load-balancers in ZooKeeper at "
                    + own.getConnectString()), load.getMessage());
            StorageException delete = assertThrows(StorageException.class, () -> repo.deleteLoadBalancer(lb.id()));
            assertTrue(delete.getMessage().contains(lbPath(lb.id())) && delete.getMessage().contains(own.getConnectString()),
                    delete.getMessage());
        }
    }
}

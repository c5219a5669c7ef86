package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.StoreDocuments;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.Member;

/**
 * How large a pool fits in a znode: grows a pool until its document passes the default limit,
 * stores the largest that fits in a real (default-configured) ZooKeeper server, and refuses the
 * next one before writing. The figures are printed; the class javadoc of
 * {@link ZooKeeperRepository} states them, and this test fails if a pool that size no longer fits.
 */
class ZooKeeperRepositorySizeTest {

    /** What the javadoc promises for members with short texts and IPv4 addresses. */
    static final int DOCUMENTED_TYPICAL = 3_000;
    /** What the javadoc promises for members with the longest texts the model allows. */
    static final int DOCUMENTED_WORST = 280;

    private TestingServer server;
    private CuratorFramework client;
    private String root;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        client = ZooKeeperTestObjects.client(server.getConnectString());
        root = ZooKeeperTestObjects.uniqueRoot();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            server.close();
        }
    }

    private static int size(StoredLoadBalancer lb) {
        return StoreDocuments.write(lb).length;
    }

    /** The most members that keep the document within the limit: doubling, then bisection. */
    private static int mostMembers(IntFunction<StoredLoadBalancer> withMembers, int limit) {
        int fits = 0;
        int over = 1;
        while (size(withMembers.apply(over)) <= limit) {
            fits = over;
            over *= 2;
        }
        while (over - fits > 1) {
            int mid = (fits + over) >>> 1;
            if (size(withMembers.apply(mid)) <= limit) {
                fits = mid;
            } else {
                over = mid;
            }
        }
        return fits;
    }

    @Test
    @DisplayName("a pool of typical members: the largest that fits is stored, one more member is refused with a clear message")
    void typicalMembers() throws Exception {
        UUID poolId = UUID.randomUUID();
        List<Member> all = ZooKeeperTestObjects.members(20_000, i -> ZooKeeperTestObjects.typicalMember(poolId, i));
        measureAndRefuse("typical members (IPv4, short tenant id, no status description)", poolId,
                n -> ZooKeeperTestObjects.loadBalancer(poolId, ZooKeeperTestObjects.TENANT, "web", all.subList(0, n)),
                DOCUMENTED_TYPICAL);
    }

    @Test
    @DisplayName("a pool of the largest members the model allows: the largest that fits is stored, one more is refused")
    void largestMembers() throws Exception {
        UUID poolId = UUID.randomUUID();
        List<Member> all = ZooKeeperTestObjects.members(2_000, i -> ZooKeeperTestObjects.largestMember(poolId, i));
        measureAndRefuse("the largest members (255-character tenant id, 1024 three-byte characters of status description,"
                        + " IPv6)", poolId,
                n -> ZooKeeperTestObjects.loadBalancer(poolId, ZooKeeperTestObjects.LONGEST_TENANT,
                        "n".repeat(255), all.subList(0, n)), DOCUMENTED_WORST);
    }

    private void measureAndRefuse(String what, UUID poolId, IntFunction<StoredLoadBalancer> withMembers, int documented)
            throws Exception {
        ZooKeeperRepository repo = ZooKeeperRepository.create(client, root);
        int limit = repo.maxDocumentBytes();
        int fits = mostMembers(withMembers, limit);
        StoredLoadBalancer largest = withMembers.apply(fits);
        StoredLoadBalancer tooLarge = withMembers.apply(fits + 1);
        int perMember = (size(largest) - size(withMembers.apply(0))) / fits;
        System.out.printf("ZooKeeperRepository size: %d %s fit in %d bytes (document %d bytes, about %d bytes per member;"
                + " %d members: %d bytes)%n", fits, what, limit, size(largest), perMember, fits + 1, size(tooLarge));
        assertTrue(fits >= documented, what + ": " + fits + " members fit, the javadoc promises " + documented);

        // nothing is written for a pool that never fitted
        DocumentTooLargeException fresh = assertThrows(DocumentTooLargeException.class, () -> repo.save(tooLarge));
        String path = root + "/store/load-balancers/" + poolId;
        assertNull(client.checkExists().forPath(path));
        assertEquals("pool " + poolId + ": its document is " + size(tooLarge) + " bytes, more than the " + limit
                + " bytes a znode may hold here; " + path + " was not written", fresh.getMessage());
        assertEquals(ObjectKind.POOL, fresh.kind());
        assertEquals(poolId.toString(), fresh.id());
        assertEquals(size(tooLarge), fresh.size());
        assertEquals(limit, fresh.limit());

        // the largest that fits is accepted by a ZooKeeper server with the default jute.maxbuffer
        repo.save(largest);
        assertEquals(largest, ZooKeeperRepository.create(client, root).load().loadBalancers().get(0));
        // growing it by one member is refused and leaves the znode as it was
        assertThrows(DocumentTooLargeException.class, () -> repo.save(tooLarge));
        assertArrayEquals(StoreDocuments.write(largest), client.getData().forPath(path));
        assertEquals(0, client.checkExists().forPath(path).getVersion());
    }
}

package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server is a real ZooKeeper: a client writes and reads through it, and its data survives a restart. */
class EmbeddedZooKeeperTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a client writes and reads a znode; after a restart on the same data directory it is still there")
    void servesAndKeepsItsData() throws Exception {
        int port;
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework client = CuratorFrameworkFactory.newClient(zk.connectString(), 4000, 4000, new RetryOneTime(100))) {
            port = zk.port();
            assertEquals("127.0.0.1:" + port, zk.connectString());
            client.start();
            assertTrue(client.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS), "connected to " + zk.connectString());
            client.create().creatingParentsIfNeeded().forPath("/lbaas/probe", "hello".getBytes(StandardCharsets.UTF_8));
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), port, Duration.ofMillis(200));
             CuratorFramework client = CuratorFrameworkFactory.newClient(zk.connectString(), 4000, 4000, new RetryOneTime(100))) {
            client.start();
            assertTrue(client.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS));
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), client.getData().forPath("/lbaas/probe"));
        }
    }

    @Test
    @DisplayName("a port that is taken fails the start with a message naming the address and the data directory")
    void takenPort() throws Exception {
        try (EmbeddedZooKeeper first = EmbeddedZooKeeper.start(dir.resolve("a"))) {
            ZooKeeperStartException e = assertThrows(ZooKeeperStartException.class,
                    () -> EmbeddedZooKeeper.start(dir.resolve("b"), first.port(), Duration.ofMillis(200)).close());
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()) && e.getMessage().contains(dir.resolve("b").toString()),
                    e.getMessage());
        }
    }

    @Test
    @DisplayName("a port out of range and a tick that is not positive are refused by name")
    void badArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmbeddedZooKeeper.start(dir, 70000, Duration.ofMillis(200)))
                .getMessage().contains("port must be 0 to 65535: 70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmbeddedZooKeeper.start(dir, 0, Duration.ZERO))
                .getMessage().contains("tickTime must be positive"));
    }
}

package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Building a client: connected when ZooKeeper answers, a clear failure within the timeout when it does not. */
class ZooKeeperClientsTest {

    @Test
    @DisplayName("against a port nobody listens on, connect fails within the connect timeout naming the connect string")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        String connectString = "127.0.0.1:" + port;
        long start = System.nanoTime();
        ZooKeeperUnreachableException e = assertThrows(ZooKeeperUnreachableException.class,
                () -> ZooKeeperClients.connect(connectString, Duration.ofSeconds(10), Duration.ofMillis(1500)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals("ZooKeeper at " + connectString + " could not be reached within 1500 ms: no server answered (are the"
                + " hosts and ports right, and is the ensemble running?)", e.getMessage());
        assertEquals(connectString, e.connectString());
        assertTrue(took.compareTo(Duration.ofMillis(1500)) >= 0 && took.compareTo(Duration.ofSeconds(5)) < 0,
                "failed after " + took.toMillis() + " ms, the connect timeout is 1500 ms");
    }

    @Test
    @DisplayName("against a running server, connect returns a started, connected client")
    void connects() throws Exception {
        try (TestingServer server = new TestingServer(true);
             CuratorFramework client = ZooKeeperClients.connect(server.getConnectString(), Duration.ofSeconds(10),
                     Duration.ofSeconds(5))) {
            assertEquals(CuratorFrameworkState.STARTED, client.getState());
            assertTrue(client.getZookeeperClient().isConnected());
            assertEquals(server.getConnectString(), client.getZookeeperClient().getCurrentConnectionString());
        }
    }

    @Test
    @DisplayName("a blank connect string or a timeout that is not positive is refused naming the parameter")
    void invalidArguments() {
        assertEquals("connectString: must name at least one host:port, found ' '", assertThrows(IllegalArgumentException.class,
                () -> ZooKeeperClients.connect(" ", Duration.ofSeconds(1), Duration.ofSeconds(1))).getMessage());
        assertEquals("sessionTimeout: must be positive and at most 2147483647 ms, found PT0S",
                assertThrows(IllegalArgumentException.class,
                        () -> ZooKeeperClients.connect("localhost:2181", Duration.ZERO, Duration.ofSeconds(1))).getMessage());
        assertEquals("connectTimeout: must be positive and at most 2147483647 ms, found PT-1S",
                assertThrows(IllegalArgumentException.class,
                        () -> ZooKeeperClients.connect("localhost:2181", Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                        .getMessage());
    }
}

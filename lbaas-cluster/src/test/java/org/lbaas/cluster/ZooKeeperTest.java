package org.lbaas.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test over real ZooKeeper: a fresh {@link ClusterFixture} for each test, closed after it with all it started. */
abstract class ZooKeeperTest {

    ClusterFixture zk;

    /** One server by default; three where the test is about the ensemble. */
    ClusterFixture fixture() throws Exception {
        return ClusterFixture.oneServer();
    }

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = fixture();
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zk.close();
    }
}

package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.cluster.ZooKeeperTestObjects.loadBalancer;
import static org.lbaas.cluster.ZooKeeperTestObjects.monitor;
import static org.lbaas.cluster.ZooKeeperTestObjects.renamed;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.Repository;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.HealthMonitor;

/** Three real ZooKeeper servers: the repository goes on working when the one its client talks to stops. */
class ZooKeeperRepositoryClusterTest {

    @Test
    @DisplayName("with one server of three stopped (the client's own), saves, deletes and loads still work")
    void oneServerOfThreeDown() throws Exception {
        TestingCluster cluster = new TestingCluster(3);
        CuratorFramework client = null;
        CuratorFramework reader = null;
        try {
            cluster.start();
            client = ZooKeeperClients.connect(cluster.getConnectString(), Duration.ofSeconds(15), Duration.ofSeconds(5));
            String root = ZooKeeperTestObjects.uniqueRoot();
            ZooKeeperRepository repo = ZooKeeperRepository.create(client, root);
            StoredLoadBalancer a = loadBalancer("a", 5);
            HealthMonitor m = monitor(5);
            repo.save(a);
            repo.save(m);

            InstanceSpec own = cluster.findConnectionInstance(client.getZookeeperClient().getZooKeeper());
            assertTrue(cluster.killServer(own), "stopped the server on port " + own.getPort());

            StoredLoadBalancer a2 = renamed(a, "a2");
            StoredLoadBalancer b = loadBalancer("b", 2);
            repo.save(a2);
            repo.save(b);
            repo.deleteHealthMonitor(m.id());
            Repository.Contents contents = repo.load();
            assertEquals(sorted(List.of(a2, b)), sorted(contents.loadBalancers()));
            assertEquals(List.of(), contents.healthMonitors());

            String survivors = cluster.getInstances().stream().filter(i -> !i.equals(own)).map(i -> "127.0.0.1:" + i.getPort())
                    .reduce((x, y) -> x + "," + y).orElseThrow();
            reader = ZooKeeperClients.connect(survivors, Duration.ofSeconds(15), Duration.ofSeconds(5));
            assertEquals(Set.copyOf(List.of(a2, b)), Set.copyOf(ZooKeeperRepository.create(reader, root).load().loadBalancers()));
            repo.save(renamed(a2, "a3"));
            client.delete().deletingChildrenIfNeeded().forPath(root);
        } finally {
            if (reader != null) {
                reader.close();
            }
            if (client != null) {
                client.close();
            }
            cluster.close();
        }
    }

    private static List<StoredLoadBalancer> sorted(List<StoredLoadBalancer> lbs) {
        return lbs.stream().sorted(Comparator.comparing(StoredLoadBalancer::id)).toList();
    }
}

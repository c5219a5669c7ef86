package org.lbaas.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * A read-only snapshot of the cluster, read straight from ZooKeeper (for {@code lbaas cluster
 * status}): the registered agents, every placement with its ordinals, the scheduler leader, and the
 * malformed znodes found on the way (each skipped).
 *
 * @param agents the registered agents, by id
 * @param placements each placed load balancer: pool id to its agents by ordinal, in pool id order
 * @param leader the id of the active scheduler, empty when none is elected
 * @param malformed the malformed znodes found: path to what is wrong
 */
public record ClusterView(Map<String, AgentInfo> agents, Map<UUID, Placement> placements, Optional<String> leader,
                          Map<String, String> malformed) {

    public ClusterView {
        agents = Map.copyOf(agents);
        placements = Map.copyOf(placements);
        Objects.requireNonNull(leader, "leader");
        malformed = Map.copyOf(malformed);
    }

    /**
     * Reads the cluster under the default root, {@code /lbaas}.
     *
     * @param client a started client
     * @return the snapshot
     * @throws IllegalStateException when ZooKeeper could not be read
     */
    public static ClusterView read(CuratorFramework client) {
        return read(client, ZnodePaths.DEFAULT_ROOT);
    }

    /**
     * Reads the cluster under a root.
     *
     * @param client a started client
     * @param root the znode root
     * @return the snapshot
     * @throws IllegalStateException when ZooKeeper could not be read
     */
    public static ClusterView read(CuratorFramework client, String root) {
        ZnodePaths paths = new ZnodePaths(root);
        Map<String, AgentInfo> agents = new TreeMap<>();
        Map<UUID, Placement> placements = new TreeMap<>();
        Map<String, String> malformed = new TreeMap<>();
        try {
            for (String name : children(client, paths.agents())) {
                String path = paths.agent(name);
                try {
                    agents.put(name, Wire.readAgent(path, data(client, path)));
                } catch (MalformedZnodeException e) {
                    malformed.put(path, e.getMessage());
                }
            }
            for (String name : children(client, paths.placements())) {
                String path = paths.placements() + "/" + name;
                UUID pool = ZnodePaths.poolId(name);
                try {
                    if (pool == null) {
                        throw new MalformedZnodeException(path, "the name is not a pool id", null);
                    }
                    placements.put(pool, Wire.readPlacement(path, data(client, path)));
                } catch (MalformedZnodeException e) {
                    malformed.put(path, e.getMessage());
                }
            }
            return new ClusterView(agents, placements, leader(client, paths), malformed);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not read the cluster under " + root + " at "
                    + client.getZookeeperClient().getCurrentConnectionString() + ": " + e, e);
        }
    }

    /** Returns how many instances are placed on each registered agent. */
    public Map<String, Integer> load() {
        Map<String, Integer> load = new TreeMap<>();
        agents.keySet().forEach(a -> load.put(a, 0));
        placements.values().forEach(p -> p.agents().forEach(a -> load.computeIfPresent(a, (k, n) -> n + 1)));
        return load;
    }

    /** The Curator leader latch's participants are sequential znodes; the lowest sequence leads. */
    private static Optional<String> leader(CuratorFramework client, ZnodePaths paths) throws Exception {
        List<String> nodes = new ArrayList<>(children(client, paths.leader()));
        nodes.sort(Comparator.comparing(n -> n.substring(Math.max(0, n.length() - 10))));
        for (String n : nodes) {
            byte[] data = data(client, paths.leader() + "/" + n);
            if (data != null) {
                return Optional.of(new String(data, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static List<String> children(CuratorFramework client, String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private static byte[] data(CuratorFramework client, String path) throws Exception {
        try {
            return client.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }
}

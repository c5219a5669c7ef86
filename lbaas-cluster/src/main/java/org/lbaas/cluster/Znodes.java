package org.lbaas.cluster;

import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** Small znode operations the roles share: compare-and-set writes and quiet deletes. */
final class Znodes {

    /** A znode of the cluster's layout changed under a compare-and-set: someone else wrote it first. */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String path, Throwable cause) {
            super("concurrent write of " + path, cause);
        }
    }

    private final CuratorFramework client;

    Znodes(CuratorFramework client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    CuratorFramework client() {
        return client;
    }

    /** Creates the layout's parent znodes that do not exist yet. */
    void ensureLayout(ZnodePaths paths) throws Exception {
        for (String p : new String[] {paths.work(), paths.agents(), paths.placements(), paths.reports()}) {
            try {
                client.create().creatingParentsIfNeeded().forPath(p);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
        }
    }

    /**
     * Writes a znode with a compare-and-set: creates it when {@code expectedVersion} is -1, else
     * sets it only if its version is still {@code expectedVersion}.
     *
     * @return the znode's new version
     * @throws Conflict when it was created or changed concurrently
     */
    int write(String path, byte[] data, int expectedVersion) throws Exception {
        try {
            if (expectedVersion < 0) {
                client.create().creatingParentsIfNeeded().forPath(path, data);
                return 0;
            }
            Stat stat = client.setData().withVersion(expectedVersion).forPath(path, data);
            return stat.getVersion();
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            throw new Conflict(path, e);
        }
    }

    /** Writes a znode whatever it holds (the writer is its only owner), creating it when absent. */
    void put(String path, byte[] data) throws Exception {
        try {
            client.setData().forPath(path, data);
        } catch (KeeperException.NoNodeException e) {
            try {
                client.create().creatingParentsIfNeeded().forPath(path, data);
            } catch (KeeperException.NodeExistsException raced) {
                client.setData().forPath(path, data);
            }
        }
    }

    /** Deletes a znode and everything below it; succeeds when it is not there. */
    void deleteTree(String path) throws Exception {
        try {
            client.delete().deletingChildrenIfNeeded().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // gone already
        }
    }

    /** Deletes a znode if it still has the version it was read at; false when it changed or is gone. */
    boolean delete(String path, int version) throws Exception {
        try {
            client.delete().withVersion(version).forPath(path);
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            return false;
        }
    }
}

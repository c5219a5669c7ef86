package org.lbaas.cluster;

import java.util.Optional;
import java.util.OptionalInt;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.StoreConflictException;

/**
 * A {@link ZooKeeperRepository} write lost a compare-and-set: another writer created, changed or
 * deleted the document since this repository last read or wrote it. Nothing was written: the znode
 * holds what the other writer left.
 *
 * <p>The message names the object ({@code pool <id>} or {@code health_monitor <id>}), the znode's
 * path, the version this repository expected (none: it expected no znode) and the version it found
 * (none: the znode is gone). Every further write of that document fails the same way until
 * {@link ZooKeeperRepository#load()} or a reload ({@link ZooKeeperRepository#reloadLoadBalancer})
 * reads it again: a service whose state is stale must reload instead of overwriting what another
 * controller decided (the service does, on its own).
 */
public final class ConcurrentUpdateException extends StoreConflictException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final int expectedVersion;
    private final int foundVersion;

    /**
     * Creates the exception.
     *
     * @param kind {@link ObjectKind#POOL} for a load balancer, {@link ObjectKind#HEALTH_MONITOR}
     * @param id the pool's or monitor's id
     * @param path the znode
     * @param expectedVersion the version this repository last saw, empty when it saw no znode
     * @param foundVersion the version ZooKeeper holds, empty when there is no znode
     */
    ConcurrentUpdateException(ObjectKind kind, String id, String path, OptionalInt expectedVersion,
                              OptionalInt foundVersion) {
        super(kind, id, kind.wireName() + " " + id + ": another writer changed " + path + " (this repository expected "
                + describe(expectedVersion) + ", ZooKeeper holds " + describe(foundVersion)
                + "); nothing was written: load the store again before changing it", Optional.empty());
        this.path = path;
        this.expectedVersion = expectedVersion.orElse(-1);
        this.foundVersion = foundVersion.orElse(-1);
    }

    private static String describe(OptionalInt version) {
        return version.isPresent() ? "znode version " + version.getAsInt() : "no znode";
    }

    /** Returns the znode's path. */
    public String path() {
        return path;
    }

    /** Returns the znode version this repository expected; empty when it expected no znode. */
    public OptionalInt expectedVersion() {
        return expectedVersion < 0 ? OptionalInt.empty() : OptionalInt.of(expectedVersion);
    }

    /** Returns the znode version ZooKeeper holds; empty when the znode is gone. */
    public OptionalInt foundVersion() {
        return foundVersion < 0 ? OptionalInt.empty() : OptionalInt.of(foundVersion);
    }
}

package org.lbaas.cluster;

import org.lbaas.api.ObjectKind;
import org.lbaas.api.StorageException;

/**
 * A {@link ZooKeeperRepository} refused to write a document larger than its limit (ZooKeeper
 * refuses a znode over {@code jute.maxbuffer}, 1 MiB by default). Refused before anything was
 * sent: the znode is unchanged. The message names the object, the document's size and the limit in
 * bytes; for a load balancer the way out is fewer members (or shorter texts) in that pool.
 */
public final class DocumentTooLargeException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param kind {@link ObjectKind#POOL} for a load balancer, {@link ObjectKind#HEALTH_MONITOR}
     * @param id the pool's or monitor's id
     * @param path the znode that was not written
     * @param size the document's size in bytes
     * @param limit the largest document the repository writes, in bytes
     */
    DocumentTooLargeException(ObjectKind kind, String id, String path, int size, int limit) {
        super(kind, id, kind.wireName() + " " + id + ": its document is " + size + " bytes, more than the "
                + limit + " bytes a znode may hold here; " + path + " was not written", null);
        this.size = size;
        this.limit = limit;
    }

    /** Returns the document's size in bytes. */
    public int size() {
        return size;
    }

    /** Returns the limit in bytes. */
    public int limit() {
        return limit;
    }
}

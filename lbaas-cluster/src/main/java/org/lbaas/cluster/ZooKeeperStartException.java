package org.lbaas.cluster;

/**
 * An embedded ZooKeeper server ({@link EmbeddedZooKeeper}) did not start; the message names its
 * address, its data directory and why.
 */
public final class ZooKeeperStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ZooKeeperStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

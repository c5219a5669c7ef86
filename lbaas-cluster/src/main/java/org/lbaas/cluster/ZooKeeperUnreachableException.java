package org.lbaas.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link ZooKeeperClients#connect} could not reach ZooKeeper: no server of the connect string
 * answered within the connect timeout (or the connect string was refused). The message names the
 * connect string and the timeout. The client that was being built is closed.
 */
public final class ZooKeeperUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String connectString;

    /**
     * Creates the exception.
     *
     * @param connectString the connect string
     * @param connectTimeout how long the connection was waited for
     * @param why what happened, one line
     * @param cause the failure, may be {@code null}
     */
    ZooKeeperUnreachableException(String connectString, Duration connectTimeout, String why, Throwable cause) {
        super("ZooKeeper at " + connectString + " could not be reached within " + connectTimeout.toMillis() + " ms: " + why,
                cause);
        this.connectString = Objects.requireNonNull(connectString, "connectString");
    }

    /** Returns the connect string that could not be reached. */
    public String connectString() {
        return connectString;
    }
}

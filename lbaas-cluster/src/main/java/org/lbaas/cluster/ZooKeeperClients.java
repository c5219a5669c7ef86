package org.lbaas.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Builds and starts the Curator client that lbaas' cluster roles share, with bounded waits.
 *
 * <p>The client retries an operation that met a connection loss three times (exponential back-off
 * from {@value #BASE_SLEEP_MS} ms), each try waiting at most the connect timeout for a connection;
 * so with ZooKeeper gone, an operation fails after roughly four connect timeouts plus the back-off,
 * never hangs. A session outlives a connection loss up to the session timeout (which the servers
 * may narrow to between 2 and 20 of their ticks).
 */
public final class ZooKeeperClients {

    /** The first back-off between two tries of an operation, in milliseconds. */
    public static final int BASE_SLEEP_MS = 200;
    /** How often an operation that met a connection loss is tried again. */
    public static final int RETRIES = 3;

    private ZooKeeperClients() {
    }

    /**
     * Builds a client, starts it and waits until it is connected.
     *
     * @param connectString the ensemble, {@code host:port[,host:port...]}
     * @param sessionTimeout the session timeout asked of the servers
     * @param connectTimeout how long to wait for a connection, here and on every try of an operation
     * @return the started, connected client; the caller closes it
     * @throws IllegalArgumentException naming the parameter when the connect string is blank or a
     *     duration is not positive (or above {@link Integer#MAX_VALUE} ms)
     * @throws ZooKeeperUnreachableException naming the connect string when no server answered
     *     within {@code connectTimeout} (the client is closed then)
     */
    public static CuratorFramework connect(String connectString, Duration sessionTimeout, Duration connectTimeout) {
        Objects.requireNonNull(connectString, "connectString");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("connectString: must name at least one host:port, found '" + connectString
                    + "'");
        }
        int sessionMs = millis(sessionTimeout, "sessionTimeout");
        int connectMs = millis(connectTimeout, "connectTimeout");
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString)
                .sessionTimeoutMs(sessionMs).connectionTimeoutMs(connectMs)
                .retryPolicy(new ExponentialBackoffRetry(BASE_SLEEP_MS, RETRIES)).build();
        boolean connected = false;
        try {
            client.start();
            connected = client.blockUntilConnected(connectMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new ZooKeeperUnreachableException(connectString, connectTimeout, "interrupted while connecting", e);
        } catch (RuntimeException e) {
            client.close();
            throw new ZooKeeperUnreachableException(connectString, connectTimeout, e.toString(), e);
        }
        if (!connected) {
            client.close();
            throw new ZooKeeperUnreachableException(connectString, connectTimeout,
                    "no server answered (are the hosts and ports right, and is the ensemble running?)", null);
        }
        return client;
    }

    private static int millis(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(name + ": must be positive and at most " + Integer.MAX_VALUE
                    + " ms, found " + d);
        }
        return (int) Math.max(1, d.toMillis());
    }
}

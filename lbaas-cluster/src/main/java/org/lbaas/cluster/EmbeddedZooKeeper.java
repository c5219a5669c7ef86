package org.lbaas.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single ZooKeeper server in this JVM, through ZooKeeper's own embedded-server API
 * ({@link ZooKeeperServerEmbedded}): for {@code lbaas demo --cluster}, trials on one host and tests,
 * never for production (one server is no ensemble; run three or five ZooKeeper servers there).
 *
 * <p>It listens on loopback only, keeps its snapshots and transaction log in {@code dataDir}, has
 * no admin server (it would need Jetty) and never exits the JVM on an error. A tick of
 * {@code tickTime} lets clients negotiate session timeouts from two to twenty ticks, so a short
 * tick (the default 200 ms: sessions of 0.4 s to 4 s) lets a demo show a dead node within seconds.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    /** The default tick: sessions may last from 0.4 s to 4 s. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(200);

    private final ZooKeeperServerEmbedded server;
    private final int port;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on a free loopback port with the default tick.
     *
     * @param dataDir where its data lives (created when missing)
     * @return the running server
     * @throws ZooKeeperStartException when it did not start within 30 s
     */
    public static EmbeddedZooKeeper start(Path dataDir) {
        return start(dataDir, 0, DEFAULT_TICK);
    }

    /**
     * Starts a server.
     *
     * @param dataDir where its data lives (created when missing)
     * @param port the loopback port, or 0 for a free one
     * @param tickTime ZooKeeper's tick: sessions may last from two to twenty ticks
     * @return the running server
     * @throws IllegalArgumentException when the port is not 0 to 65535 or the tick not positive
     * @throws ZooKeeperStartException when it did not start within 30 s
     */
    public static EmbeddedZooKeeper start(Path dataDir, int port, Duration tickTime) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        if (tickTime.isNegative() || tickTime.isZero()) {
            throw new IllegalArgumentException("tickTime must be positive: " + tickTime);
        }
        int chosen = port == 0 ? freePort() : port;
        if (port != 0) {
            // ZooKeeper only logs a failed bind and lets start() wait out its timeout: fail at once instead.
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                throw new ZooKeeperStartException("the embedded ZooKeeper server on 127.0.0.1:" + port + " (data in "
                        + dataDir + ") did not start: the port is in use (" + e.getMessage() + ")", e);
            }
        }
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(chosen));
        config.setProperty("clientPortAddress", InetAddress.getLoopbackAddress().getHostAddress());
        config.setProperty("tickTime", Long.toString(tickTime.toMillis()));
        config.setProperty("admin.enableServer", "false");
        config.setProperty("4lw.commands.whitelist", "ruok,srvr,mntr");
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder().baseDir(dataDir).configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY).build();
            server.start(Duration.ofSeconds(30).toMillis());
            return new EmbeddedZooKeeper(server, chosen);
        } catch (Exception e) {
            throw new ZooKeeperStartException("the embedded ZooKeeper server on 127.0.0.1:" + chosen + " (data in " + dataDir
                    + ") did not start: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Returns the connect string clients use ({@code 127.0.0.1:PORT}). */
    public String connectString() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** Returns the port it listens on. */
    public int port() {
        return port;
    }

    /** Stops the server; its clients lose their connection (their sessions end when it comes back or never). */
    @Override
    public void close() {
        server.close();
    }
}

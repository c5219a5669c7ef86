package org.lbaas.rest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow and excess clients from taking the server: it counts connections against the limit
 * (a connection over it is answered {@code 503} at once and closed, see {@link #refuse}), and
 * closes every connection that has not delivered a complete request head within the header
 * timeout, counted from its opening, or, on a kept-alive connection, from the first byte of the
 * next request. A sweep every few hundred milliseconds does the closing, so it is exact to that
 * much.
 */
final class ConnectionGuard implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    /** Refused connections kept half-open at once so that their 503 is read; beyond that they are closed at once. */
    private static final int MAX_LINGERING = 64;
    private static final long LINGER_MILLIS = 500;

    private final int maxConnections;
    private final long headerTimeoutNanos;
    private final ScheduledExecutorService timer;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger lingering = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();
    private final byte[] refusal;

    /** What is known of one open connection; written by Jetty's threads, read by the sweep. */
    private static final class Tracked {
        volatile boolean inRequest;
        /** When the current request head began to arrive; -1 while the connection is idle between requests. */
        volatile long headSince;
        volatile long bytesInAtRest;

        Tracked(long now) {
            this.headSince = now;
        }
    }

    ConnectionGuard(int maxConnections, Duration headerTimeout, ScheduledExecutorService timer) {
        this.maxConnections = maxConnections;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.timer = timer;
        String body = "{\"NeutronError\": {\"type\": \"HTTPServiceUnavailable\", \"message\": \"the server has "
                + maxConnections + " open connections, its limit; try again later\", \"detail\": \"\"}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        this.refusal = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=UTF-8\r\n"
                + "Content-Length: " + bytes.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Starts the sweep that closes connections past the header timeout. */
    void start() {
        long period = Math.max(20, Math.min(250, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos) / 10));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Takes a place for a new connection; false when the limit is reached. */
    boolean admit() {
        while (true) {
            int n = admitted.get();
            if (n >= maxConnections) {
                return false;
            }
            if (admitted.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back the place of a connection that closed (or never opened). */
    void release() {
        admitted.decrementAndGet();
    }

    /**
     * Refuses a connection over the limit: writes a {@code 503} with Neutron's error body and
     * {@code Connection: close} on the still-blocking channel (a fresh socket's send buffer takes
     * it whole), shuts the output, and closes the channel half a second later, after discarding
     * what the client sent meanwhile, so that the client reads the answer instead of a reset.
     */
    void refuse(SocketChannel channel) {
        refused.incrementAndGet();
        try {
            channel.write(ByteBuffer.wrap(refusal));
            channel.shutdownOutput();
            channel.configureBlocking(false);
        } catch (IOException e) {
            closeQuietly(channel);
            return;
        }
        if (lingering.incrementAndGet() > MAX_LINGERING) {
            lingering.decrementAndGet();
            closeQuietly(channel);
            return;
        }
        try {
            timer.schedule(() -> {
                try {
                    ByteBuffer sink = ByteBuffer.allocate(4096);
                    for (int i = 0; i < 16 && channel.read(sink.clear()) > 0; i++) {
                        // discard what the client sent, so that the close is a FIN, not a reset
                    }
                } catch (IOException e) {
                    // closing anyway
                } finally {
                    lingering.decrementAndGet();
                    closeQuietly(channel);
                }
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            lingering.decrementAndGet();
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a refused connection failed", e);
        }
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Tracked(System.nanoTime()));
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** A complete request head arrived on this connection. */
    void requestStarted(Connection connection) {
        Tracked t = open.get(connection);
        if (t != null) {
            t.inRequest = true;
        }
    }

    /** The answer to the connection's request was sent; the connection now waits for the next one. */
    void requestEnded(Connection connection) {
        Tracked t = open.get(connection);
        if (t != null) {
            t.bytesInAtRest = connection.getBytesIn();
            t.headSince = -1;
            t.inRequest = false;
        }
    }

    void sweep() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<Connection, Tracked> e : open.entrySet()) {
                Tracked t = e.getValue();
                if (t.inRequest) {
                    continue;
                }
                Connection c = e.getKey();
                long since = t.headSince;
                if (since < 0) {
                    if (c.getBytesIn() > t.bytesInAtRest) {
                        t.headSince = now;
                    }
                } else if (now - since > headerTimeoutNanos) {
                    timedOut.incrementAndGet();
                    LOG.debug("closing {}: no complete request head within the header timeout", c);
                    open.remove(c);
                    c.getEndPoint().close();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("the connection sweep failed", e);
        }
    }

    /** Connections counted against the limit now. */
    int connections() {
        return admitted.get();
    }

    /** Connections refused at the limit so far. */
    long refused() {
        return refused.get();
    }

    /** Connections closed for a slow request head so far. */
    long timedOut() {
        return timedOut.get();
    }
}

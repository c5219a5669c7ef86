package org.lbaas.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;

/**
 * The OpenStack Neutron LBaaS v1 REST API over a {@link LoadBalancerService}, on an embedded Jetty
 * 12 server (its core handlers, no servlets), so that the {@code neutron lb-*} commands,
 * dashboards and SDKs written for v1 work against lbaas unchanged:
 * <pre>{@code
 * LbaasRestServer server = LbaasRestServer.builder()
 *         .service(service)
 *         .subnets(registry)
 *         .auth(Authenticator.staticToken("secret", "tenant-a"))
 *         .port(9696)
 *         .build()
 *         .start();
 * // neutron --os-token secret --os-url http://127.0.0.1:9696 lb-pool-list
 * }</pre>
 *
 * <h2>Resources</h2>
 * Under {@code /v2.0}: {@code lb/vips}, {@code lb/pools}, {@code lb/members} and
 * {@code lb/health_monitors} (list {@code GET}, create {@code POST} 201, show {@code GET},
 * update {@code PUT}, delete {@code DELETE} 204); {@code POST lb/pools/{id}/health_monitors}
 * with {@code {"health_monitor": {"id": ...}}} associates a monitor (201, answering
 * {@code {"health_monitor": {}}}, exactly what Neutron's API layer sent: it keeps only the
 * visible attributes of the sub-resource, and v1's answer had none of them) and
 * {@code DELETE lb/pools/{id}/health_monitors/{monitor_id}} removes the association (204);
 * {@code GET lb/pools/{id}/stats}; the read-only {@code subnets} of the {@link SubnetRegistry}
 * (by {@link SubnetRegistry#list()} and by id); {@code GET /} (versions, no token needed),
 * {@code GET /v2.0} and {@code GET /v2.0/extensions}, which lists {@code lbaas}. A {@code .json}
 * suffix on the last path segment and a trailing slash are ignored.
 *
 * <h2>Shapes</h2>
 * Objects exactly as {@link org.lbaas.api.json.NeutronJson} writes them, wrapped in their singular
 * or plural name; request bodies read by it after Neutron's conversions (numbers and booleans given
 * as strings, as the neutron client sends them). Lists take Neutron's filters ({@code ?name=a},
 * any attribute, repeated = any of), {@code fields=} projections (also on show), {@code sort_key}
 * / {@code sort_dir} and {@code limit} / {@code marker} pagination. A change answers at once with
 * the object as stored ({@code PENDING_CREATE} / {@code PENDING_UPDATE}); its final status is read
 * later, as in v1. A member's {@code status} is derived from its health as v1 reported it: an
 * {@code ACTIVE} member whose health checks fail shows {@code INACTIVE} (in lists, filters, show
 * and change answers); any other status is shown as stored. Errors are
 * {@code {"NeutronError": {"type", "message", "detail": ""}}}: 400
 * for invalid input (every broken rule with its attribute path; malformed JSON with line and
 * column), 401 without a valid {@code X-Auth-Token}, 403 for a create that names another tenant,
 * 404 for unknown objects and paths, 405, 408 for a body that did not arrive within
 * {@link Builder#requestTimeout}, 409 for conflicts (a second VIP for a pool, a duplicate
 * member, a pool or monitor in use, an association that exists, a change while
 * {@code PENDING_DELETE}, an address or port in use; another tenant's object is never named),
 * 413 for a body over {@link Builder#maxBodyBytes}, 415 for a body declared as something other
 * than JSON, 503 when the driver cannot answer for statistics, when every worker is busy, and
 * for a connection over {@link Builder#maxConnections}.
 *
 * <h2>Threads and slow clients</h2>
 * No thread waits on a client: request heads and bodies are read as their bytes arrive, and only
 * a complete request is handed to the API's workers ({@link Builder#threads}, with
 * {@link Builder#queue} requests waiting; beyond that a request is answered 503). A connection
 * must deliver its request head within {@link Builder#headerTimeout} (counted from its opening,
 * or on a kept-alive connection from the next request's first byte) and its body within
 * {@link Builder#requestTimeout}, or it is closed (for the body: after a 408); an idle
 * connection is closed after {@link Builder#idleTimeout}. At most {@link Builder#maxConnections}
 * connections are open at once: one more is answered at once with {@code 503} and Neutron's
 * error body ({@code HTTPServiceUnavailable}, {@code Retry-After: 1}) and closed, without reaching
 * the API. These limits are the server's own: no JVM-wide property is read or set. The service
 * is thread-safe, so concurrent requests are too. The service and the registry remain the
 * caller's: {@link #close()} stops only the HTTP server.
 */
public final class LbaasRestServer implements AutoCloseable {

    /** The port Neutron listens on, the default. */
    public static final int NEUTRON_PORT = 9696;

    /** Jetty's own threads: they parse, read and write, and never wait on a client or on the service. */
    private static final int IO_THREADS = 8;

    private final Builder config;
    private final Object lock = new Object();
    private Server server;
    private GuardedConnector connector;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService timer;
    private boolean closed;

    private LbaasRestServer(Builder config) {
        this.config = config;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the address and starts serving.
     *
     * @return this server
     * @throws IllegalStateException when it was started or closed before
     * @throws UncheckedIOException when the address cannot be bound
     */
    public LbaasRestServer start() {
        synchronized (lock) {
            if (server != null || closed) {
                throw new IllegalStateException("an LbaasRestServer starts only once");
            }
            ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(threadFactory("lbaas-rest-timer"));
            ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads, config.threads, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(config.queue), threadFactory("lbaas-rest"), new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 2);
            io.setName("lbaas-rest-io");
            io.setDaemon(true);
            io.setReservedThreads(0);
            Server s = new Server(io);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            ConnectionGuard guard = new ConnectionGuard(config.maxConnections, config.headerTimeout, t);
            GuardedConnector c = new GuardedConnector(s, guard, new HttpConnectionFactory(http));
            c.setHost(config.bindAddress.getHostAddress());
            c.setPort(config.port);
            c.setAcceptQueueSize(config.backlog);
            c.setIdleTimeout(config.idleTimeout.toMillis());
            s.addConnector(c);
            s.setErrorHandler(new NeutronErrorHandler());
            s.setHandler(new JettyApi(new ApiHandler(config.service, config.subnets, config.authenticator, config.maxBodyBytes),
                    pool, t, guard, config.maxBodyBytes, config.requestTimeout,
                    config.meterRegistry == null ? RequestMetrics.NONE : MicrometerRequestMetrics.of(config.meterRegistry)));
            try {
                // bound here, so that a port in use is this method's exception, not a warning Jetty logs with a stack trace
                c.open();
                s.start();
            } catch (Exception e) {
                stopQuietly(s);
                pool.shutdownNow();
                t.shutdownNow();
                String where = config.bindAddress.getHostAddress() + ":" + config.port;
                if (e instanceof IOException io2) {
                    Throwable root = io2;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    throw new UncheckedIOException("cannot listen on " + where + ": " + root.getMessage(), io2);
                }
                throw new IllegalStateException("cannot start the REST server on " + where + ": " + e, e);
            }
            guard.start();
            this.server = s;
            this.connector = c;
            this.workers = pool;
            this.timer = t;
            return this;
        }
    }

    /**
     * Returns the address the server listens on (with the port chosen when {@code port(0)} was
     * asked for).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress address() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("the server has not been started");
            }
            return new InetSocketAddress(config.bindAddress, connector.getLocalPort());
        }
    }

    /**
     * Returns the URL clients are given as the endpoint, such as {@code http://127.0.0.1:9696}
     * (the neutron client's {@code OS_URL}; it appends {@code /v2.0}).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public URI endpoint() {
        InetSocketAddress a = address();
        InetAddress ip = a.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort());
    }

    /**
     * Stops accepting connections, gives the requests in progress the builder's shutdown grace to
     * finish, and stops the threads. The service is not closed. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            // an interrupted caller (a front end stopped by Ctrl-C) still gets a clean stop: Jetty's stop waits on latches
            boolean interrupted = Thread.interrupted();
            try {
                stop();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void stop() {
        synchronized (lock) {
            if (server != null) {
                connector.setAccepting(false);
                workers.shutdown();
                try {
                    if (!workers.awaitTermination(Math.max(1, config.shutdownGrace.toMillis()), TimeUnit.MILLISECONDS)) {
                        workers.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    workers.shutdownNow();
                    Thread.currentThread().interrupt();
                }
                stopQuietly(server);
                timer.shutdownNow();
            }
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(LbaasRestServer.class).warn("stopping the REST server failed", e);
        }
    }

    private static ThreadFactory threadFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A duration for a message: {@code 10 s}, {@code 500 ms}. */
    static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Builds an {@link LbaasRestServer}; {@link #service} and {@link #auth} are required. */
    public static final class Builder {
        LoadBalancerService service;
        SubnetRegistry subnets = SubnetRegistry.of();
        Authenticator authenticator;
        InetAddress bindAddress = InetAddress.getLoopbackAddress();
        int port = NEUTRON_PORT;
        int maxBodyBytes = 64 * 1024;
        int threads = 16;
        int queue = 256;
        int backlog = 128;
        Duration shutdownGrace = Duration.ofSeconds(1);
        Duration headerTimeout = Duration.ofSeconds(10);
        Duration requestTimeout = Duration.ofSeconds(30);
        Duration idleTimeout = Duration.ofSeconds(30);
        int maxConnections = 512;
        /** A Micrometer {@code MeterRegistry}, typed {@code Object} so the builder never loads Micrometer. */
        Object meterRegistry;

        private Builder() {
        }

        /**
         * Times every request in a Micrometer registry as {@code lbaas.rest.requests}, tagged
         * {@code method}, {@code uri} (the route template, such as {@code /v2.0/lb/pools/{id}}, or
         * {@code UNMATCHED}; never an id), {@code status} and {@code outcome}. Micrometer
         * ({@code io.micrometer:micrometer-core}) is an optional dependency of this module: without
         * this call the server loads none of its classes.
         *
         * @param registry the registry, such as a {@code PrometheusMeterRegistry}
         * @return this builder
         */
        @SuppressWarnings("exports") // the caller made the registry, so it reads Micrometer itself
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Sets the service the API drives (required). It stays the caller's to close.
         *
         * @param value the service
         * @return this builder
         */
        public Builder service(LoadBalancerService value) {
            this.service = Objects.requireNonNull(value, "service");
            return this;
        }

        /**
         * Sets the subnets served read-only at {@code /v2.0/subnets}, through which clients
         * resolve subnet names to ids; normally the registry the service was built with. Default:
         * no subnets.
         *
         * @param value the registry
         * @return this builder
         */
        public Builder subnets(SubnetRegistry value) {
            this.subnets = Objects.requireNonNull(value, "subnets");
            return this;
        }

        /**
         * Sets who may call and for which tenant (required), such as
         * {@link Authenticator#staticToken(String, String)}.
         *
         * @param value the authenticator
         * @return this builder
         */
        public Builder auth(Authenticator value) {
            this.authenticator = Objects.requireNonNull(value, "auth");
            return this;
        }

        /**
         * Sets the address to listen on; default the loopback address. Anything else exposes the
         * API to the network: put TLS in front of it.
         *
         * @param value the address
         * @return this builder
         */
        public Builder bindAddress(InetAddress value) {
            this.bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /**
         * Sets the port; default {@value LbaasRestServer#NEUTRON_PORT}, Neutron's; 0 picks a free
         * one ({@link LbaasRestServer#address()} tells which).
         *
         * @param value 0..65535
         * @return this builder
         */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + value);
            }
            this.port = value;
            return this;
        }

        /**
         * Sets the largest request body accepted; larger ones get 413. Default 64 KiB (a v1 body
         * is well under 1 KiB).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = atLeastOne(value, "maxBodyBytes");
            return this;
        }

        /**
         * Sets how many requests the API handles at once (its worker threads); default 16. Slow
         * clients take none of them: a request reaches a worker only when it has fully arrived.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder threads(int value) {
            this.threads = atLeastOne(value, "threads");
            return this;
        }

        /**
         * Sets how many complete requests may wait for a worker thread; beyond that, a request is
         * answered {@code 503 HTTPServiceUnavailable} with {@code Retry-After: 1}. Default 256.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder queue(int value) {
            this.queue = atLeastOne(value, "queue");
            return this;
        }

        /**
         * Sets how long a client may take to send a complete request head (request line and
         * headers), counted from the connection's opening or, on a kept-alive connection, from the
         * first byte of the next request; a connection that takes longer is closed without an
         * answer (there is no request to answer yet). Default 10 s. Checked every
         * {@code min(250 ms, value / 10)}.
         *
         * @param value more than zero
         * @return this builder
         */
        public Builder headerTimeout(Duration value) {
            this.headerTimeout = positive(value, "headerTimeout");
            return this;
        }

        /**
         * Sets how long a client may take to send a request body, counted from the end of its
         * head; a body that has not fully arrived by then is answered {@code 408
         * HTTPRequestTimeout} and its connection closed. Default 30 s.
         *
         * @param value more than zero
         * @return this builder
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /**
         * Sets how long a connection may stay silent (between requests, or within one) before it
         * is closed. Default 30 s.
         *
         * @param value more than zero
         * @return this builder
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = positive(value, "idleTimeout");
            return this;
        }

        /**
         * Sets how many connections may be open at once. One more is answered at once with
         * {@code 503 HTTPServiceUnavailable} (Neutron's error body, {@code Retry-After: 1},
         * {@code Connection: close}) and closed without reaching the API; connections within the
         * limit are served as usual. Default 512.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxConnections(int value) {
            this.maxConnections = atLeastOne(value, "maxConnections");
            return this;
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be more than zero: " + value);
            }
            return value;
        }

        /**
         * Sets how long {@link LbaasRestServer#close()} lets requests in progress finish; default
         * 1 s.
         *
         * @param value zero or more
         * @return this builder
         */
        public Builder shutdownGrace(Duration value) {
            Objects.requireNonNull(value, "shutdownGrace");
            if (value.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must not be negative: " + value);
            }
            this.shutdownGrace = value;
            return this;
        }

        /**
         * Builds the server, not yet listening.
         *
         * @return the server; call {@link LbaasRestServer#start()}
         * @throws IllegalStateException when the service or the authenticator is missing
         */
        public LbaasRestServer build() {
            if (service == null) {
                throw new IllegalStateException("an LbaasRestServer needs a service");
            }
            if (authenticator == null) {
                throw new IllegalStateException("an LbaasRestServer needs an authenticator (auth)");
            }
            Builder copy = new Builder();
            copy.service = service;
            copy.subnets = subnets;
            copy.authenticator = authenticator;
            copy.bindAddress = bindAddress;
            copy.port = port;
            copy.maxBodyBytes = maxBodyBytes;
            copy.threads = threads;
            copy.queue = queue;
            copy.backlog = backlog;
            copy.shutdownGrace = shutdownGrace;
            copy.headerTimeout = headerTimeout;
            copy.requestTimeout = requestTimeout;
            copy.idleTimeout = idleTimeout;
            copy.maxConnections = maxConnections;
            copy.meterRegistry = meterRegistry;
            return new LbaasRestServer(copy);
        }
    }
}

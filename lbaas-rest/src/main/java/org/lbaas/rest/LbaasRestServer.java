package org.lbaas.rest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;

/**
 * The OpenStack Neutron LBaaS v1 REST API over a {@link LoadBalancerService}, on the JDK's own
 * HTTP server ({@code com.sun.net.httpserver}), so that the {@code neutron lb-*} commands,
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
 * with {@code {"health_monitor": {"id": ...}}} associates a monitor (201, answering v1's
 * {@code {"health_monitor": [ids of the pool's monitors]}}) and
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
 * later, as in v1. Errors are {@code {"NeutronError": {"type", "message", "detail": ""}}}: 400
 * for invalid input (every broken rule with its attribute path; malformed JSON with line and
 * column), 401 without a valid {@code X-Auth-Token}, 403 for a create that names another tenant,
 * 404 for unknown objects and paths, 405, 409 for conflicts (a second VIP for a pool, a duplicate
 * member, a pool or monitor in use, an association that exists, a change while
 * {@code PENDING_DELETE}), 413 for a body over {@link Builder#maxBodyBytes}, 415 for a body
 * declared as something other than JSON, 503 when the driver cannot answer for statistics.
 *
 * <h2>Tenancy</h2>
 * See {@link Caller}: a tenant sees and changes only its own objects (404 for the others'), an
 * administrator sees all; a pool named by a member or VIP must be the caller's.
 *
 * <h2>Threads</h2>
 * Requests run on a bounded pool ({@link Builder#threads}, with {@link Builder#queue} waiting
 * connections; beyond that, new connections are closed without an answer). The service is
 * thread-safe, so concurrent requests are too. The service and the registry remain the caller's:
 * {@link #close()} stops only the HTTP server.
 */
public final class LbaasRestServer implements AutoCloseable {

    /** The port Neutron listens on, the default. */
    public static final int NEUTRON_PORT = 9696;

    private final Builder config;
    private final Object lock = new Object();
    private HttpServer server;
    private ThreadPoolExecutor executor;
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
            HttpServer s;
            try {
                s = HttpServer.create(new InetSocketAddress(config.bindAddress, config.port), config.backlog);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + config.bindAddress.getHostAddress() + ":" + config.port, e);
            }
            ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads, config.threads, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(config.queue), threadFactory(), new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            s.setExecutor(pool);
            s.createContext("/", new ApiHandler(config.service, config.subnets, config.authenticator, config.maxBodyBytes));
            s.start();
            this.server = s;
            this.executor = pool;
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
            return server.getAddress();
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
     * Stops accepting requests, gives those in progress the builder's shutdown grace to finish,
     * and stops the worker threads. The service is not closed. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                server.stop((int) Math.min(Integer.MAX_VALUE, config.shutdownGrace.toSeconds()));
                executor.shutdown();
                try {
                    if (!executor.awaitTermination(Math.max(1, config.shutdownGrace.toSeconds()), TimeUnit.SECONDS)) {
                        executor.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    executor.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static ThreadFactory threadFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "lbaas-rest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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

        private Builder() {
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
            if (value < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1: " + value);
            }
            this.maxBodyBytes = value;
            return this;
        }

        /**
         * Sets how many requests are handled at once; default 16.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + value);
            }
            this.threads = value;
            return this;
        }

        /**
         * Sets how many accepted requests may wait for a thread; beyond that, new ones are closed
         * unanswered. Default 256.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder queue(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("queue must be at least 1: " + value);
            }
            this.queue = value;
            return this;
        }

        /**
         * Sets how long {@link LbaasRestServer#close()} lets requests in progress finish (whole
         * seconds); default 1 s.
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
            return new LbaasRestServer(copy);
        }
    }
}

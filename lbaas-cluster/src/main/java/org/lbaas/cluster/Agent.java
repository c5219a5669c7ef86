package org.lbaas.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.lbaas.driver.spi.ReconcileReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One network node of the cluster: runs, through its local {@linkplain AgentDrivers drivers}, the
 * load balancer instances the scheduler placed on it.
 *
 * <p>At {@link #start()} it registers an ephemeral {@link AgentInfo} at
 * {@code <root>/agents/<agentId>}, fills its watches of the placements and work items, and
 * reconciles each driver against exactly what is placed on it (adopting what already runs,
 * removing what is no longer its own). From then on it applies each new generation of a work item
 * placed on it (ordinal {@code k} through {@code drivers.forOrdinal(k)}), removes what is no longer
 * placed on it, and writes a report after each apply and every
 * {@linkplain Builder#observeInterval observe interval} with the driver's observation (repairing,
 * first, what the driver's probe finds not served).
 *
 * <p><b>Fencing.</b> When its ZooKeeper connection has been suspended for
 * {@linkplain Builder#fenceAfter fence_after} (a third of the session timeout by default), or its
 * session is lost, it removes every load balancer it serves, so that it stops answering for their
 * VIPs before the scheduler's grace period (which starts only when the session has expired) moves
 * them elsewhere. Fencing runs on a thread of its own, so an apply or report blocked on the lost
 * connection cannot delay it. It serves them again only after reconnecting: it re-registers and
 * reconciles.
 *
 * <p>A malformed placement or work znode is logged with its path, listed by {@link #malformed()}
 * and skipped: what runs for that pool stays as it is.
 *
 * <p>Use: {@code Agent.builder().client(c).agentId("node-1").drivers(AgentDrivers.of(d)).build().start()}.
 * {@link #close()} unregisters and stops watching; the drivers and what they run are the caller's.
 */
public final class Agent implements AutoCloseable {

    /** The default znode root, {@code /lbaas}. */
    public static final String DEFAULT_ROOT = ZnodePaths.DEFAULT_ROOT;
    /** The default interval of observations and report refreshes, 5 s. */
    public static final Duration DEFAULT_OBSERVE_INTERVAL = Duration.ofSeconds(5);
    /** By default an agent fences itself after a suspension of the negotiated session timeout divided by this. */
    public static final int DEFAULT_FENCE_DIVISOR = 3;
    /** The default driver name in the registration when none is given. */
    public static final String DEFAULT_DRIVER_NAME = "unnamed";

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final CuratorFramework client;
    private final ZnodePaths paths;
    private final Znodes znodes;
    private final String agentId;
    private final String driverName;
    private final AgentDrivers drivers;
    private final Duration observeInterval;
    private final Duration fenceAfterSetting;
    private final Problems problems;
    private final ScheduledExecutorService thread;
    private final ScheduledExecutorService fencer;
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private final ConnectionStateListener connection = (c, state) -> connectionChanged(state);
    private volatile Duration fenceAfter;
    private volatile ScheduledFuture<?> fenceTimer;
    private Watched<Placement> placements;
    private Watched<WorkItem> work;
    private AgentWork state;
    private volatile boolean closed;

    private Agent(Builder b) {
        this.client = b.client;
        this.paths = new ZnodePaths(b.root);
        this.znodes = new Znodes(client);
        this.agentId = b.agentId;
        this.driverName = b.driverName;
        this.drivers = b.drivers;
        this.observeInterval = b.observeInterval;
        this.fenceAfterSetting = b.fenceAfter;
        this.problems = new Problems("agent " + agentId);
        this.thread = Daemons.thread("lbaas-agent-" + agentId);
        this.fencer = Daemons.thread("lbaas-agent-fence-" + agentId);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects, registers, reconciles and starts serving what is placed on this agent.
     *
     * @return this agent
     * @throws IllegalStateException when ZooKeeper cannot be reached within the client's connection
     *     timeout (naming the connect string) or the agent could not register
     */
    public Agent start() {
        String connect = client.getZookeeperClient().getCurrentConnectionString();
        try {
            int timeout = Math.max(1000, client.getZookeeperClient().getConnectionTimeoutMs());
            if (!client.blockUntilConnected(timeout, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("agent " + agentId + " could not connect to ZooKeeper at " + connect
                        + " within " + timeout + " ms");
            }
            int session = client.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
            fenceAfter = fenceAfterSetting != null ? fenceAfterSetting
                    : Duration.ofMillis(Math.max(1, session / DEFAULT_FENCE_DIVISOR));
            znodes.ensureLayout(paths);
            Runnable changed = this::queueSync;
            placements = new Watched<>(client, paths.placements(), 1, Wire::readPlacement, problems, changed);
            work = new Watched<>(client, paths.work(), 1, Wire::readWork, problems, changed);
            state = new AgentWork(agentId, paths, znodes, drivers, placements, work);
            register();
            placements.start(30_000);
            work.start(30_000);
            onThread(() -> {
                state.reconcile();
                state.sync();
                return null;
            });
            client.getConnectionStateListenable().addListener(connection);
            long every = observeInterval.toMillis();
            thread.scheduleWithFixedDelay(() -> guarded("observe", state::observeAll), every, every, TimeUnit.MILLISECONDS);
            LOG.info("agent {} started at {} under {} (fences after {} ms suspended)", agentId, connect, paths.root(),
                    fenceAfter.toMillis());
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting agent " + agentId, e);
        } catch (IllegalStateException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("agent " + agentId + " could not start at " + connect + " under "
                    + paths.root() + ": " + e, e);
        }
    }

    /** Creates this agent's ephemeral registration, replacing one left by an earlier session of the same id. */
    private void register() throws Exception {
        byte[] data = Wire.write(new AgentInfo(agentId, driverName, drivers.forOrdinal(0).capabilities(), Instant.now()));
        String path = paths.agent(agentId);
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                return;
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = client.checkExists().forPath(path);
                if (stat != null && stat.getEphemeralOwner() == session) {
                    client.setData().forPath(path, data);
                    return;
                }
                if (stat != null) {
                    LOG.info("agent {}: replacing the registration of an earlier session", agentId);
                    znodes.delete(path, stat.getVersion());
                }
            }
        }
        throw new IllegalStateException("agent " + agentId + " could not register at " + path);
    }

    private void connectionChanged(ConnectionState s) {
        if (closed) {
            return;
        }
        switch (s) {
            case SUSPENDED -> {
                cancelFence();
                Duration after = fenceAfter;
                fenceTimer = fencer.schedule(() -> guarded("fence", () -> state.fence("ZooKeeper connection suspended for "
                        + after.toMillis() + " ms")), after.toMillis(), TimeUnit.MILLISECONDS);
            }
            case LOST -> {
                cancelFence();
                fencer.execute(() -> guarded("fence", () -> state.fence("ZooKeeper session lost")));
            }
            case RECONNECTED, CONNECTED -> {
                cancelFence();
                thread.execute(() -> guarded("recover", () -> {
                    if (state.fenced()) {
                        try {
                            register();
                        } catch (Exception e) {
                            throw new IllegalStateException("could not register again: " + e, e);
                        }
                        LOG.info("agent {} reconnected: registered again, reconciling", agentId);
                        state.unfence();
                    }
                }));
            }
            default -> {
                // READ_ONLY: nothing to do
            }
        }
    }

    private void cancelFence() {
        ScheduledFuture<?> f = fenceTimer;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void queueSync() {
        if (!closed && state != null && syncQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    syncQueued.set(false);
                    guarded("sync", state::sync);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                syncQueued.set(false);
            }
        }
    }

    private void guarded(String what, Runnable task) {
        if (closed) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("agent {}: {} failed (retried on the next change or observation): {}", agentId, what, e.toString());
        }
    }

    private <T> T onThread(java.util.concurrent.Callable<T> task) throws InterruptedException {
        try {
            return thread.submit(task).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("agent " + agentId + ": " + e.getCause(), e.getCause());
        }
    }

    /** Returns this agent's id. */
    public String agentId() {
        return agentId;
    }

    /** Returns whether this agent has fenced itself (serves nothing until it reconnects). */
    public boolean isFenced() {
        return state != null && state.fenced();
    }

    /** Returns how many times this agent fenced itself since it started (for tests). */
    int fences() {
        return state == null ? 0 : state.fences();
    }

    /** Returns how long a suspended connection lasts before this agent fences itself (known once started). */
    public Duration fenceAfter() {
        return fenceAfter;
    }

    /** Returns what this agent's last reconcile (at start or after reconnecting) found and did. */
    public Optional<ReconcileReport> lastReconcile() {
        return state == null ? Optional.empty() : state.lastReconcile();
    }

    /** Returns the load balancers this agent serves now: pool id to the ordinal it runs. */
    public Map<UUID, Integer> serving() {
        return state == null ? Map.of() : state.serving();
    }

    /** Returns the malformed znodes this agent skips now: path to what is wrong. */
    public Map<String, String> malformed() {
        return problems.snapshot();
    }

    /**
     * Stops the agent: unregisters (when the connection still allows) and stops watching. The load
     * balancers keep running in the drivers, for a restarted agent of the same id to adopt; if none
     * registers within the scheduler's grace period they are placed elsewhere.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.getConnectionStateListenable().removeListener(connection);
        cancelFence();
        fencer.shutdownNow();
        Daemons.stop(thread, Duration.ofSeconds(10));
        if (placements != null) {
            placements.close();
        }
        if (work != null) {
            work.close();
        }
        try {
            if (client.getZookeeperClient().isConnected()) {
                Stat stat = client.checkExists().forPath(paths.agent(agentId));
                if (stat != null && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId()) {
                    znodes.delete(paths.agent(agentId), stat.getVersion());
                }
            }
        } catch (Exception | Error e) {
            LOG.debug("agent {}: could not unregister: {}", agentId, e.toString());
        }
    }

    @Override
    public String toString() {
        return "Agent[" + agentId + (isFenced() ? ", fenced" : "") + "]";
    }

    /** Settings of an {@link Agent}, each with a named default. */
    public static final class Builder {

        private CuratorFramework client;
        private String root = DEFAULT_ROOT;
        private String agentId;
        private String driverName = DEFAULT_DRIVER_NAME;
        private AgentDrivers drivers;
        private Duration observeInterval = DEFAULT_OBSERVE_INTERVAL;
        private Duration fenceAfter;

        private Builder() {
        }

        /** The Curator client (required; started by the caller, who also closes it). */
        public Builder client(CuratorFramework value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /** The znode root, {@link #DEFAULT_ROOT} by default. */
        public Builder root(String value) {
            this.root = ZnodePaths.checkRoot(value);
            return this;
        }

        /** The agent's id (required): 1 to 63 lower-case letters, digits or {@code -}. */
        public Builder agentId(String value) {
            this.agentId = ZnodePaths.checkAgentId(value);
            return this;
        }

        /** The drivers that run the load balancers (required). */
        public Builder drivers(AgentDrivers value) {
            this.drivers = Objects.requireNonNull(value, "drivers");
            return this;
        }

        /** The driver provider's name in the registration, {@link #DEFAULT_DRIVER_NAME} by default. */
        public Builder driverName(String value) {
            this.driverName = Objects.requireNonNull(value, "driverName");
            return this;
        }

        /** How often reports are refreshed with an observation, {@link #DEFAULT_OBSERVE_INTERVAL} by default. */
        public Builder observeInterval(Duration value) {
            this.observeInterval = Daemons.positive(value, "observeInterval");
            return this;
        }

        /**
         * How long a suspended connection lasts before the agent fences itself; by default the
         * negotiated session timeout divided by {@link #DEFAULT_FENCE_DIVISOR}.
         */
        public Builder fenceAfter(Duration value) {
            this.fenceAfter = Daemons.positive(value, "fenceAfter");
            return this;
        }

        /** Builds the agent; {@link Agent#start()} starts it. */
        public Agent build() {
            if (client == null || agentId == null || drivers == null) {
                throw new IllegalStateException("an Agent needs a client, an agentId and drivers; missing: "
                        + (client == null ? "client " : "") + (agentId == null ? "agentId " : "")
                        + (drivers == null ? "drivers" : ""));
            }
            return new Agent(this);
        }
    }
}

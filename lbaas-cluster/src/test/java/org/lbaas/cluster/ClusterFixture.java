package org.lbaas.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolView;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Subnet;

/**
 * Real ZooKeeper (one {@link TestingServer} or a three-server {@link TestingCluster} in this JVM),
 * and everything a test starts over it: clients, agents with their own in-memory drivers,
 * schedulers, cluster drivers and services. {@link #close()} closes all of it, last started first.
 */
final class ClusterFixture implements AutoCloseable {

    static final String TENANT = "tenant-a";
    static final Subnet SUBNET = Subnet.of(UUID.fromString("5e1f0000-0000-4000-8000-0000000000c1"), "10.20.0.0/16", "10.20.0.1");
    static final int SESSION_MS = 4000;

    final TestingCluster ensemble;
    final TestingServer server;
    final String connect;
    /** What {@link #client()} connects to: every server unless a test narrows it. */
    String defaultConnect;
    /** The session timeout of {@link #client()}. */
    int sessionMs = SESSION_MS;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    private ClusterFixture(TestingCluster ensemble, TestingServer server) {
        this.ensemble = ensemble;
        this.server = server;
        this.connect = ensemble != null ? ensemble.getConnectString() : server.getConnectString();
        this.defaultConnect = connect;
    }

    /** One real ZooKeeper server. */
    static ClusterFixture oneServer() throws Exception {
        return new ClusterFixture(null, new TestingServer(true));
    }

    /** Three real ZooKeeper servers forming one ensemble. */
    static ClusterFixture threeServers() throws Exception {
        TestingCluster c = new TestingCluster(3);
        c.start();
        return new ClusterFixture(c, null);
    }

    /** Returns a server of the ensemble by its role in the quorum ({@code srvr} four-letter word). */
    org.apache.curator.test.InstanceSpec server(boolean quorumLeader) throws IOException {
        for (org.apache.curator.test.InstanceSpec spec : ensemble.getInstances()) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", spec.getPort())) {
                s.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                if (answer.contains("Mode: leader") == quorumLeader) {
                    return spec;
                }
            }
        }
        throw new AssertionError("no " + (quorumLeader ? "leader" : "follower") + " in " + ensemble.getInstances());
    }

    /** The connect string of every server of the ensemble but one. */
    String connectWithout(org.apache.curator.test.InstanceSpec excluded) {
        return ensemble.getInstances().stream().filter(i -> !i.equals(excluded))
                .map(i -> "127.0.0.1:" + i.getPort())
                .collect(java.util.stream.Collectors.joining(","));
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        opened.push(resource);
        return resource;
    }

    CuratorFramework client() {
        return client(defaultConnect, sessionMs);
    }

    CuratorFramework client(String connectString, int sessionMs) {
        return started(CuratorFrameworkFactory.newClient(connectString, sessionMs, 3000, new ExponentialBackoffRetry(100, 3)),
                connectString);
    }

    /**
     * A client that keeps to its connect string: Curator's ensemble tracker would otherwise replace
     * it with the servers listed in {@code /zookeeper/config}, around a proxy in front of them.
     */
    CuratorFramework pinnedClient(String connectString, int sessionMs) {
        return started(CuratorFrameworkFactory.builder().connectString(connectString).sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(3000).retryPolicy(new ExponentialBackoffRetry(100, 3)).ensembleTracker(false).build(),
                connectString);
    }

    private CuratorFramework started(CuratorFramework c, String connectString) {
        c.start();
        try {
            if (!c.blockUntilConnected(15, TimeUnit.SECONDS)) {
                throw new AssertionError("no ZooKeeper connection to " + connectString + " within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return closeLater(c);
    }

    static InMemoryDriver inMemory() {
        return new InMemoryDriverProvider().create(DriverConfig.defaults());
    }

    Agent agent(String id, LoadBalancerDriver driver) {
        return agent(id, driver, client(), b -> b);
    }

    Agent agent(String id, LoadBalancerDriver driver, CuratorFramework client, UnaryOperator<Agent.Builder> settings) {
        Agent.Builder b = Agent.builder().client(client).agentId(id).drivers(AgentDrivers.of(driver))
                .driverName(InMemoryDriverProvider.NAME).observeInterval(Duration.ofMillis(500));
        return closeLater(settings.apply(b).build().start());
    }

    Scheduler scheduler(String id, Duration grace) {
        return closeLater(Scheduler.builder().client(client()).id(id).grace(grace).build().start());
    }

    ClusterDriver clusterDriver(Capabilities capabilities) {
        return closeLater(ClusterDriver.builder().client(client()).capabilities(capabilities)
                .applyTimeout(Duration.ofSeconds(15)).build());
    }

    LoadBalancerService service(ClusterDriver driver) {
        return closeLater(LoadBalancerService.builder().driver(driver).repository(Repository.inMemory())
                .subnets(SubnetRegistry.of(SUBNET)).driverDeadline(Duration.ofSeconds(25)).threads(4).build());
    }

    /** Creates a pool with a member and a VIP: a deployable load balancer; returns its pool id. */
    static UUID deploy(LoadBalancerService service) {
        PoolView pool = done(service.createPool(PoolCreate.of(TENANT, SUBNET.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN)));
        done(service.createMember(MemberCreate.of(TENANT, pool.id(), "10.20.1.7", 8080)));
        done(service.createVip(VipCreate.of(TENANT, SUBNET.id(), 80, Protocol.HTTP, pool.id())));
        return pool.id();
    }

    static <T> T done(Pending<T> pending) {
        try {
            return pending.outcome().toCompletableFuture().get(40, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the outcome did not complete within 40 s", e);
        }
    }

    ClusterView view() {
        return ClusterView.read(client0());
    }

    private CuratorFramework viewClient;

    private CuratorFramework client0() {
        if (viewClient == null) {
            viewClient = client();
        }
        return viewClient;
    }

    Map<UUID, Placement> placements() {
        return view().placements();
    }

    /** Waits, polling every 10 ms, until the condition holds; fails naming what did not happen. */
    static void eventually(String what, Duration patience, BooleanSupplier condition) {
        long until = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("not within " + patience.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                // closing the rest matters more; a client may already be closed by the test
            }
        }
        if (ensemble != null) {
            ensemble.close();
        }
        if (server != null) {
            server.close();
        }
    }
}

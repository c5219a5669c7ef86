package org.lbaas.benchmarks.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.cluster.Agent;
import org.lbaas.cluster.AgentDrivers;
import org.lbaas.cluster.ClusterDriver;
import org.lbaas.cluster.ClusterView;
import org.lbaas.cluster.Scheduler;
import org.lbaas.cluster.ZooKeeperClients;
import org.lbaas.cluster.ZooKeeperRepository;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.Subnet;

/**
 * The cluster's roles in this JVM over one ZooKeeper, under a root of their own
 * ({@code /lbaas-bench-<random>}, so a given ensemble is never touched outside it): agents, each
 * with its own Curator client (its own session, as on its own node), a scheduler, and a controller
 * ({@link ClusterDriver} and a {@link LoadBalancerService} over {@link ZooKeeperRepository}).
 * {@link #close()} closes everything, last started first, deletes the root and closes the clients.
 */
final class LocalCluster implements AutoCloseable {

    static final String TENANT = "bench";

    private record Node(CuratorFramework client, Agent agent) {
    }

    final String connect;
    final String root = "/lbaas-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final Duration session;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final Map<String, Node> agents = new LinkedHashMap<>();
    private CuratorFramework controller;

    LocalCluster(String connect, Duration session) {
        this.connect = connect;
        this.session = session;
    }

    /** A new client with its own session; closed with the cluster unless closed before. */
    synchronized CuratorFramework client() {
        CuratorFramework c = ZooKeeperClients.connect(connect, session, session);
        opened.push(c::close);
        return c;
    }

    /** The controller's client (the scheduler, the cluster driver and the repository share it). */
    synchronized CuratorFramework controllerClient() {
        if (controller == null) {
            controller = client();
        }
        return controller;
    }

    /** Starts an agent on a client of its own. */
    Agent agent(String id, AgentDrivers drivers, String driverName) {
        CuratorFramework c = client();
        Agent a = Agent.builder().client(c).root(root).agentId(id).drivers(drivers).driverName(driverName).build();
        synchronized (this) {
            opened.push(a);
        }
        a.start();
        synchronized (this) {
            agents.put(id, new Node(c, a));
        }
        return a;
    }

    /**
     * The node dies as far as ZooKeeper sees it: its client closes without unregistering (the
     * session ends, so its ephemeral node goes). The agent object is returned for the caller to
     * close later: its close waits for its thread, which would delay the rest of the death.
     */
    Agent kill(String id) {
        Node n;
        synchronized (this) {
            n = agents.remove(id);
        }
        if (n == null) {
            throw new IllegalArgumentException("no running agent " + id + " (running: " + agents.keySet() + ")");
        }
        n.client().close();
        return n.agent();
    }

    synchronized List<String> agentIds() {
        return new ArrayList<>(agents.keySet());
    }

    /** Starts the scheduler on the controller's client. */
    Scheduler scheduler(Duration grace) {
        Scheduler s = Scheduler.builder().client(controllerClient()).root(root).id("controller-1").grace(grace).build();
        synchronized (this) {
            opened.push(s);
        }
        return s.start();
    }

    /** A controller: the cluster driver and a service over the ZooKeeper repository. */
    LoadBalancerService service(Capabilities capabilities, Subnet subnet, int threads) {
        ZooKeeperRepository store = ZooKeeperRepository.create(controllerClient(), root);
        ClusterDriver driver = ClusterDriver.builder().client(controllerClient()).root(root).capabilities(capabilities)
                .store(store).build();
        synchronized (this) {
            opened.push(driver);
        }
        LoadBalancerService s = LoadBalancerService.builder().driver(driver)
                .repository(store).subnets(SubnetRegistry.of(subnet))
                .driverDeadline(Duration.ofSeconds(30)).threads(threads).build();
        synchronized (this) {
            opened.push(s);
        }
        return s;
    }

    /** A service with a local driver over the ZooKeeper repository only: no cluster roles. */
    LoadBalancerService storeOnly(org.lbaas.driver.spi.LoadBalancerDriver driver, Subnet subnet, int threads) {
        LoadBalancerService s = LoadBalancerService.builder().driver(driver)
                .repository(ZooKeeperRepository.create(controllerClient(), root)).subnets(SubnetRegistry.of(subnet))
                .driverDeadline(Duration.ofSeconds(30)).threads(threads).build();
        synchronized (this) {
            opened.push(s);
        }
        return s;
    }

    /** What the cluster's znodes say now. */
    ClusterView view() {
        return ClusterView.read(controllerClient(), root);
    }

    /** The sum of the data lengths of every znode under the root, by its first-level child. */
    Map<String, Long> dataBytes() {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String child : controllerClient().getChildren().forPath(root)) {
                out.put(child, subtreeBytes(root + "/" + child));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the znodes under " + root + ": " + e, e);
        }
        return out;
    }

    private long subtreeBytes(String path) throws Exception {
        Stat stat = controllerClient().checkExists().forPath(path);
        if (stat == null) {
            return 0;
        }
        long sum = stat.getDataLength();
        if (stat.getNumChildren() > 0) {
            for (String child : controllerClient().getChildren().forPath(path)) {
                sum += subtreeBytes(path + "/" + child);
            }
        }
        return sum;
    }

    @Override
    public void close() {
        List<AutoCloseable> clients = new ArrayList<>();
        synchronized (this) {
            while (!opened.isEmpty()) {
                AutoCloseable c = opened.pop();
                if (c instanceof LoadBalancerService || c instanceof ClusterDriver || c instanceof Scheduler || c instanceof Agent) {
                    closeQuietly(c);
                } else {
                    clients.add(c);
                }
            }
            agents.clear();
        }
        try (CuratorFramework c = ZooKeeperClients.connect(connect, session, session)) {
            c.delete().deletingChildrenIfNeeded().forPath(root);
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            // nothing was written
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + root + " on " + connect + ": " + e, e);
        } finally {
            clients.forEach(LocalCluster::closeQuietly);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing the rest matters more; the caller lists what was left
        }
    }
}

package org.lbaas.benchmarks.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import com.google.common.io.MoreFiles;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.cluster.AgentDrivers;
import org.lbaas.cluster.ClusterView;
import org.lbaas.cluster.EmbeddedZooKeeper;
import org.lbaas.cluster.Scheduler;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.model.Subnet;

/**
 * Part 1, scheduling throughput: the same load balancers created through the cluster (a service
 * over {@code ZooKeeperRepository} and {@code ClusterDriver}, the scheduler, agents with in-memory
 * drivers, a real ZooKeeper) and on one service with the in-memory driver and no cluster (over the
 * file store, as {@code lbaas serve} keeps its state on one host, and over the in-memory
 * repository), with the same parallel clients; creates per second and the ratios.
 */
final class SchedulingPart {

    static final Subnet SUBNET = Subnet.of(UUID.fromString("5e1f0000-0000-4000-8000-00000000be01"), "10.20.0.0/16", "10.20.0.1");

    private SchedulingPart() {
    }

    static String run(ClusterHarness.Options o, PrintStream log) {
        log.printf("cluster scheduling: warm-up, %d load balancers on the in-memory service%n", o.warmup());
        if (o.warmup() > 0) {
            single(Repository.inMemory(), o.warmup(), o);
        }
        log.printf("cluster scheduling: %d load balancers on one service, in-memory driver, file store%n", o.count());
        Path store = tempDir("lbt-store");
        Creations.Timing file;
        try {
            file = single(Repository.fileStore(store), o.count(), o);
        } finally {
            delete(store);
        }
        log.printf("  %.1f s, %.1f per second%n", file.seconds(), file.perSecond());
        log.printf("cluster scheduling: %d load balancers on one service, in-memory driver, in-memory store%n", o.count());
        Creations.Timing memory = single(Repository.inMemory(), o.count(), o);
        log.printf("  %.1f s, %.1f per second%n", memory.seconds(), memory.perSecond());

        Path data = o.zookeeper() == null ? tempDir("lbt-zk") : null;
        Creations.Timing cluster;
        Map<String, Integer> load;
        try (EmbeddedZooKeeper zk = data == null ? null : EmbeddedZooKeeper.start(data, 0, ZooKeeperProcess.tickFor(o.sessionTimeout()));
             LocalCluster c = new LocalCluster(zk == null ? o.zookeeper() : zk.connectString(), o.sessionTimeout())) {
            log.printf("cluster scheduling: %d load balancers through the cluster, %d agents, ZooKeeper %s%n", o.count(), o.agents(),
                    zk == null ? o.zookeeper() : "embedded in this JVM at " + zk.connectString());
            List<InMemoryDriver> drivers = new ArrayList<>();
            for (int i = 1; i <= o.agents(); i++) {
                InMemoryDriver d = new InMemoryDriverProvider().create(DriverConfig.defaults());
                drivers.add(d);
                c.agent("node-" + i, AgentDrivers.of(d), InMemoryDriverProvider.NAME);
            }
            c.scheduler(o.grace());
            LoadBalancerService service = c.service(drivers.get(0).capabilities(), SUBNET, o.clients());
            cluster = Creations.create(service, SUBNET, o.count(), o.clients(), o.timeLimit());
            log.printf("  %.1f s, %.1f per second%n", cluster.seconds(), cluster.perSecond());
            ClusterView view = c.view();
            load = view.load();
            Set<UUID> running = new HashSet<>();
            for (InMemoryDriver d : drivers) {
                for (UUID id : d.runningIds()) {
                    if (!running.add(id)) {
                        throw new IllegalStateException("load balancer " + id + " runs on two agents");
                    }
                }
            }
            if (!running.equals(Set.copyOf(cluster.pools()))) {
                throw new IllegalStateException(running.size() + " of " + o.count() + " load balancers run on the agents");
            }
        } finally {
            if (data != null) {
                delete(data);
            }
        }
        return table(o, file, memory, cluster, load);
    }

    private static Creations.Timing single(Repository repository, int count, ClusterHarness.Options o) {
        InMemoryDriver driver = new InMemoryDriverProvider().create(DriverConfig.defaults());
        try (LoadBalancerService s = LoadBalancerService.builder().driver(driver).repository(repository)
                .subnets(SubnetRegistry.of(SUBNET)).driverDeadline(Duration.ofSeconds(30)).threads(o.clients()).build()) {
            Creations.Timing t = Creations.create(s, SUBNET, count, o.clients(), o.timeLimit());
            if (driver.runningIds().size() != count) {
                throw new IllegalStateException(driver.runningIds().size() + " of " + count + " load balancers run in the driver");
            }
            return t;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the service: " + e, e);
        }
    }

    private static String table(ClusterHarness.Options o, Creations.Timing file, Creations.Timing memory, Creations.Timing cluster,
                                Map<String, Integer> load) {
        StringBuilder b = new StringBuilder();
        b.append("### Scheduling throughput\n\n");
        b.append(String.format(Locale.ROOT, "%d load balancers (a pool, 2 members and a VIP each: 4 creates), %d parallel clients,"
                + " service driver threads %d; time from the first call to every VIP ACTIVE. Cluster: %d agents with the in-memory"
                + " driver, one scheduler, %s, session timeout %d ms, grace %d ms.%n%n", o.count(), o.clients(), o.clients(),
                o.agents(), o.zookeeper() == null ? "ZooKeeper embedded in this JVM" : "ZooKeeper at " + o.zookeeper(),
                o.sessionTimeout().toMillis(), o.grace().toMillis()));
        b.append("| setup | time to all ACTIVE | load balancers per second | ms per load balancer | cluster cost (× per create) |\n");
        b.append("| --- | --- | --- | --- | --- |\n");
        row(b, "one service, in-memory driver, file store", file, cluster);
        row(b, "one service, in-memory driver, in-memory store", memory, cluster);
        b.append(String.format(Locale.ROOT, "| cluster (ZooKeeperRepository + ClusterDriver + Scheduler + %d agents) | %.2f s | %.1f |"
                + " %.2f | |%n", o.agents(), cluster.seconds(), cluster.perSecond(), 1000 / cluster.perSecond()));
        double ratio = file.perSecond() / cluster.perSecond();
        b.append(String.format(Locale.ROOT, "%nTarget: the cluster costs at most 2× per create against the file store:"
                + " %.2f× %s. Placements per agent: %s.%n", ratio, ratio <= 2 ? "PASS" : "MISS", load));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Creations.Timing t, Creations.Timing cluster) {
        b.append(String.format(Locale.ROOT, "| %s | %.2f s | %.1f | %.2f | %.2f× |%n", name, t.seconds(), t.perSecond(),
                1000 / t.perSecond(), t.perSecond() / cluster.perSecond()));
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try {
            MoreFiles.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

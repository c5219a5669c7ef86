package org.lbaas.benchmarks.cluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.cluster.AgentDrivers;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.DriverConfig;

/**
 * Part 3, ZooKeeper's footprint: an {@link org.lbaas.cluster.EmbeddedZooKeeper} in a JVM of its
 * own ({@link ZooKeeperProcess}), N load balancers written over it through
 * {@link org.lbaas.cluster.ZooKeeperRepository} (a service with the in-memory driver: the store
 * documents only) or, with {@code footprintThroughCluster}, through the cluster of part 1 (store
 * documents, work items, placements, reports and agents' nodes, as in production), then: the sum of the znodes' data lengths under the run's root
 * by subtree, ZooKeeper's {@code mntr} figures, and the server JVM's heap after a full GC and its
 * RSS, each against the same server before anything was written.
 */
final class FootprintPart {

    private FootprintPart() {
    }

    static String run(ClusterHarness.Options o, PrintStream log) {
        Path work = SchedulingPart.tempDir("lbt-zkfp");
        try (ZooKeeperProcess zk = ZooKeeperProcess.start(work.resolve("data"),
                ZooKeeperProcess.tickFor(o.sessionTimeout()), work.resolve("zookeeper.log"))) {
            long[] heap0 = zk.heap();
            long rss0 = zk.rss();
            Map<String, String> m0 = zk.mntr();
            log.printf("cluster footprint: ZooKeeper JVM %d at %s: heap %s, RSS %s; %d load balancers through the %s%n",
                    zk.pid(), zk.connect, mib(heap0[0]), mib(rss0), o.footprintCount(), o.footprintThroughCluster() ? "cluster" : "repository");
            Creations.Timing t;
            Map<String, Long> bytes;
            Map<String, String> m1;
            long[] heap1;
            long rss1;
            try (LocalCluster c = new LocalCluster(zk.connect, o.sessionTimeout())) {
                InMemoryDriver first = new InMemoryDriverProvider().create(DriverConfig.defaults());
                LoadBalancerService service;
                if (o.footprintThroughCluster()) {
                    for (int i = 1; i <= o.agents(); i++) {
                        InMemoryDriver d = i == 1 ? first : new InMemoryDriverProvider().create(DriverConfig.defaults());
                        c.agent("node-" + i, AgentDrivers.of(d), InMemoryDriverProvider.NAME);
                    }
                    c.scheduler(o.grace());
                    service = c.service(first.capabilities(), SchedulingPart.SUBNET, o.clients());
                } else {
                    service = c.storeOnly(first, SchedulingPart.SUBNET, o.clients());
                }
                t = Creations.create(service, SchedulingPart.SUBNET, o.footprintCount(), o.clients(), o.timeLimit());
                log.printf("  created in %.1f s (%.1f per second)%n", t.seconds(), t.perSecond());
                bytes = c.dataBytes();
                m1 = zk.mntr();
                heap1 = zk.heap();
                rss1 = zk.rss();
            }
            return table(o, t, bytes, m0, m1, heap0, heap1, rss0, rss1);
        } finally {
            SchedulingPart.delete(work);
        }
    }

    private static String table(ClusterHarness.Options o, Creations.Timing t, Map<String, Long> bytes, Map<String, String> m0,
                                Map<String, String> m1, long[] heap0, long[] heap1, long rss0, long rss1) {
        int n = o.footprintCount();
        StringBuilder b = new StringBuilder("### ZooKeeper's footprint\n\n");
        b.append(String.format(Locale.ROOT, "%d load balancers (a pool, 2 members and a VIP each) created %s"
                + " (%d clients, sessions of %d ms) in %.1f s, on one ZooKeeper %s server alone in its own JVM"
                + " (EmbeddedZooKeeper, default heap settings). Data bytes are the sum of the znodes' data lengths under the run's"
                + " root; `mntr`'s approximate data size also counts the paths.%n%n", n, o.footprintThroughCluster()
                ? "through the cluster (" + o.agents() + " agents with the in-memory driver: store documents, work items,"
                + " placements, reports)" : "on one service with the in-memory driver over ZooKeeperRepository (store documents only)",
                o.clients(),
                o.sessionTimeout().toMillis(), t.seconds(),
                m1.getOrDefault("zk_version", "?").split("[ ,-]")[0]));
        b.append("| what | total | per load balancer |\n| --- | --- | --- |\n");
        long total = 0;
        for (Map.Entry<String, Long> e : bytes.entrySet()) {
            total += e.getValue();
            b.append(String.format(Locale.ROOT, "| znode data under `%s` | %s | %,d B |%n", e.getKey(), kib(e.getValue()),
                    e.getValue() / n));
        }
        b.append(String.format(Locale.ROOT, "| **znode data, all** | **%s** | **%,d B** |%n", kib(total), total / n));
        long count = delta(m0, m1, "zk_znode_count");
        long approx = delta(m0, m1, "zk_approximate_data_size");
        b.append(String.format(Locale.ROOT, "| znodes (`mntr` zk_znode_count, added) | %,d | %.1f |%n", count, (double) count / n));
        b.append(String.format(Locale.ROOT, "| `mntr` zk_approximate_data_size, added | %s | %,d B |%n", kib(approx), approx / n));
        b.append(String.format(Locale.ROOT, "| server heap used after full GC (before → after) | %s → %s | %,d B |%n", mib(heap0[0]),
                mib(heap1[0]), (heap1[0] - heap0[0]) / n));
        b.append(String.format(Locale.ROOT, "| server heap committed (before → after) | %s → %s | |%n", mib(heap0[1]), mib(heap1[1])));
        b.append(String.format(Locale.ROOT, "| server JVM RSS (before → after) | %s → %s | %,d B |%n", mib(rss0), mib(rss1),
                (rss1 - rss0) / n));
        return b.toString();
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String key) {
        return Long.parseLong(after.getOrDefault(key, "0")) - Long.parseLong(before.getOrDefault(key, "0"));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static String kib(long bytes) {
        return String.format(Locale.ROOT, "%,.0f KiB", bytes / 1024.0);
    }
}

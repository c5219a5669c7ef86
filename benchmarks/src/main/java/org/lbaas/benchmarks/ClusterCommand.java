package org.lbaas.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.lbaas.benchmarks.cluster.ClusterHarness;
import org.lbaas.benchmarks.cluster.ClusterHarness.Part;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lbaas bench cluster}: lbaas-cluster's scheduling throughput, failover across nodes and ZooKeeper footprint. */
@Command(name = "cluster", description = "measure the cluster: scheduling throughput, failover across nodes, ZooKeeper's footprint",
        footer = {"scheduling: --count load balancers (pool, 2 members, VIP) created with --clients parallel clients through"
                + " the cluster (ZooKeeperRepository, ClusterDriver, Scheduler, --agents agents with the in-memory driver, a real"
                + " ZooKeeper) and on one service with the in-memory driver and no cluster; creates per second and the ratio."
                + " footprint: --footprint-count load balancers through ZooKeeperRepository (or the cluster) over a ZooKeeper server in a JVM of its"
                + " own; znode bytes, znodes, the server's heap and RSS. failover (root, haproxy, ip; keepalived with"
                + " --topology active-standby): --runs kills of the agent serving a VIP under probing, kill to first answer."
                + " Prints Markdown tables with the targets (PASS/MISS; a MISS does not change the exit status)."})
final class ClusterCommand implements Callable<Integer> {

    @ParentCommand
    Bench bench;

    @Option(names = "--part", paramLabel = "PART", converter = PartName.class,
            description = "scheduling, failover, footprint or all (default all)")
    Set<Part> parts = Set.of(Part.values());

    @Option(names = "--count", paramLabel = "N", converter = Bench.Positive.class,
            description = "load balancers of the scheduling part (default 1000)")
    int count = 1000;

    @Option(names = "--warmup", paramLabel = "N", converter = Bench.NotNegative.class,
            description = "load balancers created first on an in-memory service, unmeasured (default 200)")
    int warmup = 200;

    @Option(names = "--agents", paramLabel = "N", converter = Bench.Positive.class,
            description = "agents of the scheduling and footprint parts (default 5)")
    int agents = 5;

    @Option(names = "--clients", paramLabel = "N", converter = Bench.Positive.class,
            description = "parallel clients, and the services' driver threads, on every side (default 16)")
    int clients = 16;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT,...",
            description = "a ZooKeeper ensemble for the scheduling and failover parts (default: a server embedded in this JVM);"
                    + " everything is written under a root of the run's own, deleted at the end")
    String zookeeper;

    @Option(names = "--runs", paramLabel = "N", converter = Bench.Positive.class, description = "failover runs (default 20)")
    int runs = 20;

    @Option(names = "--topology", paramLabel = "single|active-standby", converter = Bench.TopologyName.class,
            description = "failover of single instances, or of active/standby pairs across two agents (default single)")
    org.lbaas.benchmarks.capacity.CapacityHarness.Topology topology = org.lbaas.benchmarks.capacity.CapacityHarness.Topology.SINGLE;

    @Option(names = "--failover-agents", paramLabel = "N", converter = Bench.Positive.class,
            description = "agents of the failover part (default 3)")
    int failoverAgents = 3;

    @Option(names = "--session-timeout-ms", paramLabel = "MS", converter = Bench.Positive.class,
            description = "the agents' ZooKeeper session timeout (default 4000)")
    int sessionMs = 4000;

    @Option(names = "--grace-ms", paramLabel = "MS", converter = Bench.NotNegative.class,
            description = "the scheduler's grace period (default 2000)")
    int graceMs = 2000;

    @Option(names = "--footprint-count", paramLabel = "N", converter = Bench.Positive.class,
            description = "load balancers of the footprint part (default 10000)")
    int footprintCount = 10_000;

    @Option(names = "--footprint-through", paramLabel = "repository|cluster", converter = ThroughName.class,
            description = "footprint: write the load balancers through ZooKeeperRepository only (store documents), or through"
                    + " the cluster (also work items, placements, reports) (default repository)")
    Through through = Through.REPOSITORY;

    @Option(names = "--time-limit-s", paramLabel = "S", converter = Bench.Positive.class,
            description = "the limit of each batch of creations (default 1800)")
    int timeLimitS = 1800;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the Markdown tables to FILE")
    Path out;

    /** The harness options these arguments describe. */
    ClusterHarness.Options options() {
        try {
            return new ClusterHarness.Options(parts, count, warmup, agents, clients, zookeeper, runs,
                    topology == org.lbaas.benchmarks.capacity.CapacityHarness.Topology.ACTIVE_STANDBY, failoverAgents,
                    Duration.ofMillis(sessionMs), Duration.ofMillis(graceMs), footprintCount, through == Through.CLUSTER,
                    Duration.ofSeconds(timeLimitS));
        } catch (IllegalArgumentException e) {
            throw new Bench.UsageError("lbaas bench cluster: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        String where = "lbaas bench cluster";
        ClusterHarness.Options options = options();
        if (options.parts().contains(Part.FAILOVER)) {
            bench.requirePrerequisites(where + " --part failover", "it creates network namespaces, a bridge and HAProxy processes",
                    options.activeStandby() ? List.of("haproxy", "keepalived", "ip") : List.of("haproxy", "ip"));
        }
        ClusterHarness.Result r = ClusterHarness.run(options, bench.log());
        bench.print(r.toMarkdown(), out);
        Bench.requireClean(where, r.notes(), r.leftovers());
        return 0;
    }

    /** Where the footprint's load balancers go. */
    enum Through {
        /** ZooKeeperRepository only. */
        REPOSITORY,
        /** The whole cluster. */
        CLUSTER
    }

    /** {@code --footprint-through}: {@code repository} or {@code cluster}. */
    static final class ThroughName implements CommandLine.ITypeConverter<Through> {
        @Override
        public Through convert(String text) {
            return switch (text) {
                case "repository" -> Through.REPOSITORY;
                case "cluster" -> Through.CLUSTER;
                default -> throw new CommandLine.TypeConversionException("must be repository or cluster, not '" + text + "'");
            };
        }
    }

    /** {@code --part}: one part or {@code all}. */
    static final class PartName implements CommandLine.ITypeConverter<Set<Part>> {
        @Override
        public Set<Part> convert(String text) {
            return Part.of(text).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "must be scheduling, failover, footprint or all, not '" + text + "'"));
        }
    }
}

package org.lbaas.benchmarks.cluster;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's benchmark (issue 15, "Performance"), in one run on one machine, part by part:
 * <ol>
 *   <li>{@link Part#SCHEDULING}: N load balancers created through the cluster (ZooKeeper,
 *       scheduler, agents with in-memory drivers) against the same N on one service without it,
 *       with the same parallel clients: creates per second and the ratio ({@link SchedulingPart});</li>
 *   <li>{@link Part#FAILOVER}: an agent's death to its load balancer answering through the VIP
 *       from another agent, with {@code haproxy-ns} and real traffic, median and p95 over runs
 *       ({@link FailoverPart}; root);</li>
 *   <li>{@link Part#FOOTPRINT}: znode bytes and the ZooKeeper server's memory for M load balancers
 *       ({@link FootprintPart}).</li>
 * </ol>
 * Each part prints a Markdown section; a part that fails is noted and the others still run.
 * Everything is bounded in count and time, and removed at the end.
 */
public final class ClusterHarness {

    /** A part of the benchmark. */
    public enum Part {
        /** Scheduling throughput. */
        SCHEDULING,
        /** Failover across nodes. */
        FAILOVER,
        /** ZooKeeper's footprint. */
        FOOTPRINT;

        /** Returns the part's name on the command line. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Reads a part name, or {@code all}.
         *
         * @param text the name
         * @return the parts, empty when the name is none
         */
        public static Optional<Set<Part>> of(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.equals("all")) {
                return Optional.of(EnumSet.allOf(Part.class));
            }
            for (Part p : values()) {
                if (p.label().equals(t)) {
                    return Optional.of(EnumSet.of(p));
                }
            }
            return Optional.empty();
        }
    }

    /** How many load balancers the scheduling part may create. */
    public static final int MAX_COUNT = 20_000;
    /** How many load balancers the footprint part may create. */
    public static final int MAX_FOOTPRINT = 50_000;

    /**
     * What to run.
     *
     * @param parts the parts
     * @param count load balancers of the scheduling part
     * @param warmup load balancers created on an in-memory service first, unmeasured
     * @param agents agents of the scheduling and footprint parts
     * @param clients parallel clients (and the service's driver threads), the same on every side
     * @param zookeeper a ZooKeeper connect string, or null for an embedded server in this JVM
     * @param runs failover runs
     * @param activeStandby failover of active/standby pairs across agents instead of single instances
     * @param failoverAgents agents of the failover part
     * @param sessionTimeout the agents' ZooKeeper session timeout
     * @param grace the scheduler's grace period
     * @param footprintCount load balancers of the footprint part
     * @param footprintThroughCluster the footprint's load balancers go through the cluster, not only the repository
     * @param timeLimit the limit of each batch of creations
     */
    public record Options(Set<Part> parts, int count, int warmup, int agents, int clients, String zookeeper, int runs,
                          boolean activeStandby, int failoverAgents, Duration sessionTimeout, Duration grace, int footprintCount,
                          boolean footprintThroughCluster, Duration timeLimit) {
        /**
         * Validates.
         *
         * @param parts parts
         * @param count scheduling count
         * @param warmup warm-up count
         * @param agents agents
         * @param clients clients
         * @param zookeeper connect string or null
         * @param runs failover runs
         * @param activeStandby pairs
         * @param failoverAgents failover agents
         * @param sessionTimeout session timeout
         * @param grace grace
         * @param footprintCount footprint count
         * @param footprintThroughCluster through the cluster
         * @param timeLimit time limit
         */
        public Options {
            parts = Set.copyOf(parts);
            Objects.requireNonNull(sessionTimeout, "sessionTimeout");
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(timeLimit, "timeLimit");
            check(!parts.isEmpty(), "parts must name at least one part: " + parts);
            check(count >= 1 && count <= MAX_COUNT, "count must be 1 to " + MAX_COUNT + ", not " + count);
            check(warmup >= 0 && warmup <= MAX_COUNT, "warmup must be 0 to " + MAX_COUNT + ", not " + warmup);
            check(agents >= 1 && agents <= 50, "agents must be 1 to 50, not " + agents);
            check(clients >= 1 && clients <= 256, "clients must be 1 to 256, not " + clients);
            check(zookeeper == null || !zookeeper.isBlank(), "zookeeper must be host:port[,host:port...], not blank");
            check(runs >= 1 && runs <= 1000, "runs must be 1 to 1000, not " + runs);
            int minAgents = activeStandby ? 3 : 2;
            check(failoverAgents >= minAgents && failoverAgents <= 10, "failover agents must be " + minAgents + " to 10"
                    + (activeStandby ? " with active-standby (a pair on two agents and one to take the dead one's place)" : "")
                    + ", not " + failoverAgents);
            check(sessionTimeout.toMillis() >= 400 && sessionTimeout.toMillis() <= 60_000,
                    "session timeout must be 400 ms to 60 s, not " + sessionTimeout.toMillis() + " ms");
            check(!grace.isNegative() && grace.toMillis() <= 60_000, "grace must be 0 to 60 s, not " + grace.toMillis() + " ms");
            check(footprintCount >= 1 && footprintCount <= MAX_FOOTPRINT, "footprint count must be 1 to " + MAX_FOOTPRINT
                    + ", not " + footprintCount);
            check(timeLimit.toSeconds() >= 1 && timeLimit.toSeconds() <= 7200, "time limit must be 1 s to 2 h, not " + timeLimit);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }

        /**
         * The sizes.
         *
         * @param parts the parts
         * @return 1000 load balancers, 5 agents, 16 clients, 20 failover runs over 3 agents, 10 000
         *     load balancers for the footprint (through the repository), 4 s sessions, 2 s grace
         */
        public static Options defaults(Set<Part> parts) {
            return new Options(parts, 1000, 200, 5, 16, null, 20, false, 3, Duration.ofSeconds(4), Duration.ofSeconds(2), 10_000,
                    false, Duration.ofMinutes(30));
        }
    }

    /**
     * What a run printed and found.
     *
     * @param sections the Markdown section of each part that ran
     * @param notes what failed
     * @param leftovers what was still there afterwards
     */
    public record Result(List<String> sections, List<String> notes, List<String> leftovers) {
        /**
         * Copies.
         *
         * @param sections sections
         * @param notes notes
         * @param leftovers leftovers
         */
        public Result {
            sections = List.copyOf(sections);
            notes = List.copyOf(notes);
            leftovers = List.copyOf(leftovers);
        }

        /** Returns the report: every section, then the problems. */
        public String toMarkdown() {
            StringBuilder b = new StringBuilder("## lbaas-cluster benchmark\n\n");
            sections.forEach(s -> b.append(s).append('\n'));
            notes.forEach(n -> b.append("PROBLEM: ").append(n).append('\n'));
            leftovers.forEach(l -> b.append("LEFT BEHIND: ").append(l).append('\n'));
            return b.toString();
        }
    }

    private ClusterHarness() {
    }

    /**
     * Runs the parts in order: scheduling, footprint, failover.
     *
     * @param options what to run
     * @param log where progress goes
     * @return the sections and problems
     */
    public static Result run(Options options, PrintStream log) {
        List<String> sections = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        if (options.parts().contains(Part.SCHEDULING)) {
            part("scheduling", () -> sections.add(SchedulingPart.run(options, log)), notes, log);
        }
        if (options.parts().contains(Part.FOOTPRINT)) {
            part("footprint", () -> sections.add(FootprintPart.run(options, log)), notes, log);
        }
        if (options.parts().contains(Part.FAILOVER)) {
            part("failover", () -> {
                FailoverPart.Outcome o = FailoverPart.run(options, log);
                sections.add(o.section());
                notes.addAll(o.notes());
                leftovers.addAll(o.leftovers());
            }, notes, log);
        }
        return new Result(sections, notes, leftovers);
    }

    private static void part(String name, Runnable body, List<String> notes, PrintStream log) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            notes.add(name + " failed: " + e.getMessage());
            e.printStackTrace(log);
        }
    }
}

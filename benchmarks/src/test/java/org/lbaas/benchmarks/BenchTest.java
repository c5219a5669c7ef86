package org.lbaas.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lbaas.benchmarks.capacity.CapacityHarness;
import org.lbaas.benchmarks.cluster.ClusterHarness;
import org.lbaas.benchmarks.dataplane.DataPlaneHarness;
import org.lbaas.benchmarks.failover.FailoverHarness;
import org.lbaas.benchmarks.failover.FailureKind;
import picocli.CommandLine;

/**
 * {@code lbaas bench} ({@link Bench}, the launcher {@code ./lbaas bench} forwards to): its help,
 * arguments checked before anything is created, and the options reaching the harnesses. Moved here
 * from lbaas-cli's {@code BenchCommandTest} when the command stopped depending on the benchmarks.
 */
class BenchTest {

    /**
     * The exit status and what a run printed.
     *
     * @param exit the exit status
     * @param out standard output
     * @param err standard error
     */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private static Run run(boolean root, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Bench(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> root).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(true, args);
    }

    @Test
    @DisplayName("lbaas bench --help and lbaas bench capacity --help print the command's help and exit 0")
    void help() {
        for (String[] args : List.of(new String[] {"capacity", "--help"}, new String[] {"capacity", "--count", "10", "-h"})) {
            Run r = run(args);
            assertEquals(0, r.exit(), r::toString);
            String text = r.out().replaceAll("\\s+", " ");
            assertTrue(text.startsWith("Usage: lbaas bench capacity [OPTIONS] "), text);
            assertTrue(text.contains("--count N how many load balancers to create, 1 to 1022 (required)"), text);
            assertTrue(text.contains("--out DIR where the tables"), text);
            assertEquals("", r.err(), r::toString);
        }
        Run r = run("--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("Usage: lbaas bench"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  capacity ")), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  dataplane ")), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  failover ")), r::toString);
    }

    @Test
    @DisplayName("every benchmark answers --help with its usage and exit 0")
    void helpOfEveryBenchmark() {
        CommandLine root = new CommandLine(new Bench(System.out, System.err, () -> false));
        for (String name : root.getSubcommands().keySet()) {
            Run r = run(name, "--help");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().startsWith("Usage: lbaas bench " + name + " [OPTIONS]"), r::toString);
            assertEquals("", r.err(), r::toString);
        }
    }

    static List<List<String>> badArguments() {
        return List.of(
                List.of(),
                List.of("capacity"),
                List.of("latency", "--count", "10"),
                List.of("capacity", "--count", "ten"),
                List.of("capacity", "--count", "0"),
                List.of("capacity", "--count", "-3"),
                List.of("capacity", "--count", "1023"),
                List.of("capacity", "--count"),
                List.of("capacity", "--count", "10", "--count", "20"),
                List.of("capacity", "--count", "10", "--frobnicate", "60"),
                List.of("capacity", "extra", "--count", "10"),
                List.of("capacity", "--count", "10", "--topology", "ha"),
                List.of("capacity", "--count", "512", "--topology", "active-standby"),
                List.of("capacity", "--count", "10", "--driver-setting", "topology=active_standby"),
                List.of("dataplane", "--rounds", "0"),
                List.of("dataplane", "--rounds", "500"),
                List.of("failover", "--runs", "0"),
                List.of("failover", "--runs", "1001"),
                List.of("failover", "--kinds", "power-cut"),
                List.of("failover", "--kinds", "link-cut,link-cut"),
                List.of("failover", "--kinds", ""),
                List.of("failover", "--advert-interval", "15"),
                List.of("failover", "--advert-interval", "5"),
                List.of("failover", "--sticky-clients", "21"),
                List.of("failover", "--load-clients", "0"),
                List.of("cluster", "--part", "latency"),
                List.of("cluster", "--runs", "0"),
                List.of("cluster", "--count", "20001"),
                List.of("cluster", "--topology", "active-standby", "--failover-agents", "2"),
                List.of("cluster", "--session-timeout-ms", "100"),
                List.of("cluster", "--zookeeper", " "));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    @DisplayName("bad arguments: exit 2, one line on standard error naming the command, nothing on standard output")
    void badArgumentsExit2(List<String> args) {
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("lbaas bench"), r::toString);
    }

    @Test
    @DisplayName("the messages say what is wrong")
    void messages() {
        assertTrue(run("capacity").err().contains("--count N is required"));
        assertTrue(run("latency", "--count", "3").err().contains("unknown benchmark 'latency'; benchmarks: capacity"));
        assertTrue(run("capacity", "--count", "ten").err().contains("--count must be a whole number, not 'ten'"));
        assertTrue(run("capacity", "--count", "1023").err().contains("--count must be 1 to 1022"));
    }

    @Test
    @DisplayName("valid arguments without root: exit 1 saying root is needed, before anything is created")
    void needsRoot() {
        for (String[] args : List.of(new String[] {"capacity", "--count", "3"}, new String[] {"dataplane", "--rounds", "2"},
                new String[] {"failover", "--runs", "2"}, new String[] {"cluster", "--part", "failover", "--runs", "2"})) {
            Run r = run(false, args);
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains("needs root"), r::toString);
            assertEquals("", r.out(), r::toString);
        }
    }

    /** Parses a command line and returns the benchmark's command object. */
    private static Object parsed(String... args) {
        CommandLine root = new CommandLine(new Bench(System.out, System.err, () -> false));
        List<CommandLine> chain = root.parseArgs(args).asCommandLineList();
        return chain.get(chain.size() - 1).getCommand();
    }

    @Test
    @DisplayName("every capacity option reaches the harness's options; --driver-setting is repeatable")
    void capacityOptions() {
        Bench.Capacity c = (Bench.Capacity) parsed("capacity", "--count=40", "--out", "o", "--png", "p.png", "--monitor-delay", "7",
                "--idle-window", "3", "--maxconn", "500", "--pin-neighbours", "false", "--driver-setting", "nbthread=2",
                "--driver-setting=a=b");
        CapacityHarness.Options o = c.options();
        assertEquals(new CapacityHarness.Options(40, 7, Duration.ofSeconds(3), Map.of("nbthread", "2", "a", "b",
                "default_maxconn", "500"), false, CapacityHarness.Topology.SINGLE), o);
        assertEquals(Path.of("o"), c.outDir());
        assertEquals(Path.of("p.png"), c.png);
        Bench.Capacity d = (Bench.Capacity) parsed("capacity", "--count", "12");
        assertEquals(CapacityHarness.Options.of(12), d.options());
        assertEquals(Path.of("capacity-12"), d.outDir());
    }

    @Test
    @DisplayName("--topology: single by default, active-standby reaches the harness; bad names and too many pairs are refused")
    void capacityTopology() {
        assertEquals(CapacityHarness.Topology.SINGLE, ((Bench.Capacity) parsed("capacity", "--count", "5")).options().topology());
        Bench.Capacity ha = (Bench.Capacity) parsed("capacity", "--count", "511", "--topology", "active-standby");
        assertEquals(new CapacityHarness.Options(511, 5, Duration.ofSeconds(10), Map.of(), true, CapacityHarness.Topology.ACTIVE_STANDBY),
                ha.options());
        assertTrue(run("capacity", "--count", "5", "--topology", "ha").err()
                .contains("lbaas bench capacity: --topology must be single or active-standby, not 'ha'"));
        assertTrue(run("capacity", "--count", "600", "--topology", "active-standby").err()
                .contains("lbaas bench capacity: count must be 1 to 511 with topology active-standby"));
        Run r = run("capacity", "--help");
        assertTrue(r.out().replaceAll("\\s+", " ").contains("--topology single|active-standby one instance per load balancer,"
                + " or an active/standby pair"), r::toString);
    }

    @Test
    @DisplayName("every dataplane option reaches the harness's options; --changes defaults to --rounds")
    void dataplaneOptions() {
        Bench.DataPlane p = (Bench.DataPlane) parsed("dataplane", "--rounds", "5", "--warmup", "1", "--changes", "4", "--pause-ms", "90",
                "--keepalive-clients", "2", "--close-clients", "0", "--out", "x.md");
        assertEquals(new DataPlaneHarness.Options(5, 1, 4, Duration.ofMillis(90), 2, 0), p.options());
        assertEquals(Path.of("x.md"), p.out);
        assertEquals(DataPlaneHarness.Options.of(20), ((Bench.DataPlane) parsed("dataplane")).options());
    }

    @Test
    @DisplayName("every failover option reaches the harness's options; the defaults are 20 runs of every kind at 100 ms adverts")
    void failoverOptions() {
        Bench.Failover f = (Bench.Failover) parsed("failover", "--runs", "7", "--kinds", "link-cut,haproxy-kill", "--advert-interval",
                "250", "--sticky-clients", "3", "--load-clients", "6", "--out", "f.md");
        assertEquals(new FailoverHarness.Options(7, List.of(FailureKind.LINK_CUT, FailureKind.HAPROXY_KILL), Duration.ofMillis(250), 3, 6),
                f.options());
        assertEquals(Path.of("f.md"), f.out);
        assertEquals(FailoverHarness.Options.of(20), ((Bench.Failover) parsed("failover")).options());
        assertEquals(List.of(FailureKind.values()), FailoverHarness.Options.of(20).kinds());
    }

    @Test
    @DisplayName("every cluster option reaches the harness's options; the defaults are the issue's sizes; messages name the rule")
    void clusterOptions() {
        ClusterCommand c = (ClusterCommand) parsed("cluster", "--part", "scheduling", "--count", "50", "--warmup", "0", "--agents", "3",
                "--clients", "8", "--zookeeper", "zk1:2181", "--runs", "4", "--topology", "active-standby", "--failover-agents", "4",
                "--session-timeout-ms", "3000", "--grace-ms", "1000", "--footprint-count", "70", "--footprint-through", "cluster",
                "--time-limit-s", "60", "--out", "c.md");
        assertEquals(new ClusterHarness.Options(Set.of(ClusterHarness.Part.SCHEDULING), 50, 0, 3, 8, "zk1:2181", 4, true, 4,
                Duration.ofSeconds(3), Duration.ofSeconds(1), 70, true, Duration.ofSeconds(60)), c.options());
        assertEquals(Path.of("c.md"), c.out);
        assertEquals(ClusterHarness.Options.defaults(Set.of(ClusterHarness.Part.values())), ((ClusterCommand) parsed("cluster")).options());
        assertEquals(Set.of(ClusterHarness.Part.FOOTPRINT), ((ClusterCommand) parsed("cluster", "--part", "footprint")).options().parts());
        assertTrue(run("cluster", "--part", "latency").err().contains("--part must be scheduling, failover, footprint or all, not 'latency'"));
        assertTrue(run("cluster", "--topology", "active-standby", "--failover-agents", "2").err()
                .contains("lbaas bench cluster: failover agents must be 3 to 10 with active-standby"));
    }

    @Test
    @DisplayName("failover's messages name the option, the bad value and the rule")
    void failoverMessages() {
        assertTrue(run("failover", "--kinds", "haproxy-kill,power-cut").err().contains("--kinds must be failure kinds from haproxy-kill,"
                + " link-cut, netns-delete, keepalived-kill, comma-separated, not 'power-cut'"), () -> run("failover", "--kinds", "x").err());
        assertTrue(run("failover", "--kinds", "link-cut,link-cut").err().contains("--kinds names link-cut twice"));
        assertTrue(run("failover", "--advert-interval", "15").err()
                .contains("lbaas bench failover: advert interval must be 10 to 40950 ms in whole centiseconds, not 15 ms"));
        assertTrue(run("failover", "--runs", "1001").err().contains("runs must be 1 to 1000, not 1001"));
    }
}

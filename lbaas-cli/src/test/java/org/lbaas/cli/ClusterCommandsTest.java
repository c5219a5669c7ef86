package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lbaas agent}, {@code lbaas cluster status} and {@code serve --zookeeper}: help, option parsing, an unreachable ZooKeeper. */
class ClusterCommandsTest {

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @DisplayName("lbaas agent --help names the cluster and driver options, and says what Ctrl-C and SIGTERM leave running")
    void agentHelp() {
        CliRun r = CliRun.run("agent", "--help");
        assertEquals(0, r.exit(), r::toString);
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.startsWith("Usage: lbaas agent [OPTIONS]"), text);
        for (String option : List.of("--zookeeper HOST:PORT[,HOST:PORT...]", "--agent-id ID", "--root PATH",
                "--session-timeout TIME", "--fence-after DURATION", "--driver NAME", "--state-dir DIR", "--namespace-prefix PREFIX",
                "--bridge NAME", "--driver-setting KEY=VALUE", "--topology KIND", "--ha-bridge NAME")) {
            assertTrue(text.contains(option), option + " missing in: " + text);
        }
        assertTrue(text.contains("Ctrl-C or SIGTERM unregisters the agent and leaves the load balancers it runs running"), text);
    }

    @Test
    @DisplayName("lbaas cluster status --help, lbaas help cluster, and lbaas cluster alone (a usage error naming status)")
    void clusterHelp() {
        CliRun status = CliRun.run("cluster", "status", "--help");
        assertEquals(0, status.exit(), status::toString);
        String text = status.out().replaceAll("\\s+", " ");
        assertTrue(text.startsWith("Usage: lbaas cluster status [OPTIONS]"), text);
        assertTrue(text.contains("--zookeeper HOST:PORT[,HOST:PORT...]") && text.contains("--json") && text.contains("--root PATH"),
                text);
        assertTrue(text.contains("Exit status: 0 success"), text);
        CliRun cluster = CliRun.run("help", "cluster");
        assertEquals(0, cluster.exit(), cluster::toString);
        assertTrue(cluster.out().contains("Subcommands:") && cluster.out().contains("  status "), cluster::toString);
        CliRun alone = CliRun.run("cluster");
        assertEquals(2, alone.exit(), alone::toString);
        assertEquals(List.of("lbaas cluster: missing subcommand; subcommands: status (see 'lbaas cluster --help')"),
                alone.errLines());
        CliRun unknown = CliRun.run("cluster", "status", "--colour");
        assertEquals(List.of("lbaas cluster status: unknown option --colour (see 'lbaas cluster status --help')"),
                unknown.errLines());
    }

    @Test
    @DisplayName("agent options: required ones, an agent id against its rule, durations, the root; each refused in one line, exit 2")
    void agentUsageErrors(@TempDir Path dir) {
        assertEquals(List.of("lbaas agent: --agent-id ID is required (see 'lbaas agent --help')"),
                usageError("agent", "--zookeeper", "127.0.0.1:1"));
        assertEquals(List.of("lbaas agent: --zookeeper HOST:PORT[,HOST:PORT...] is required (see 'lbaas agent --help')"),
                usageError("agent", "--agent-id", "node-1", "--driver", "in-memory"));
        assertEquals(List.of("lbaas agent: --agent-id: agentId must be 1 to 63 lower-case letters, digits or '-': 'Node_1'"),
                usageError("agent", "--zookeeper", "127.0.0.1:1", "--agent-id", "Node_1", "--driver", "in-memory"));
        assertEquals(List.of("lbaas agent: --session-timeout wants a positive duration, <n>ms or <n>s (such as 4s), not '0'"),
                usageError("agent", "--zookeeper", "127.0.0.1:1", "--agent-id", "a", "--session-timeout", "0"));
        assertEquals(List.of("lbaas agent: --fence-after wants a positive duration, <n>ms or <n>s (such as 4s), not 'soon'"),
                usageError("agent", "--zookeeper", "127.0.0.1:1", "--agent-id", "a", "--fence-after", "soon"));
        Path state = dir.resolve("state");
        List<String> root = usageError("agent", "--zookeeper", "127.0.0.1:1", "--agent-id", "a", "--driver", "in-memory",
                "--root", "lbaas/", "--state-dir", state.toString());
        assertFalse(Files.exists(state), "a refused command creates no state directory");
        assertEquals(1, root.size(), root::toString);
        assertTrue(root.get(0).startsWith("lbaas agent: --root: root must be an absolute znode path") && root.get(0).contains("'lbaas/'"),
                root::toString);
    }

    private static List<String> usageError(String... args) {
        CliRun r = CliRun.run(args);
        assertEquals(2, r.exit(), r::toString);
        return r.errLines();
    }

    @Test
    @DisplayName("agent options parse: the cluster options, the fence delay, and serve's driver options (the same declarations)")
    void agentOptionsParse(@TempDir Path dir) {
        CommandLine cl = new Cli(Io.system()).commandLine();
        cl.parseArgs("agent", "--zookeeper", "zk1:2181,zk2:2181", "--agent-id", "node-7", "--root", "/lb/one", "--session-timeout",
                "2500ms", "--fence-after", "1s", "--state-dir", dir.toString(), "--namespace-prefix", "qn7-", "--bridge", "br-x",
                "--topology", "active-standby", "--ha-bridge", "ha-x", "--driver-setting", "stop_grace=1s");
        AgentCommand a = (AgentCommand) cl.getSubcommands().get("agent").getCommand();
        assertEquals("zk1:2181,zk2:2181", a.cluster.zookeeper);
        assertEquals("/lb/one", a.cluster.root);
        assertEquals(Duration.ofMillis(2500), a.cluster.sessionTimeout);
        assertEquals(Duration.ofSeconds(1), a.fenceAfter);
        assertEquals("haproxy-ns", a.driver);
        Map<String, String> settings = a.settings(Optional.empty());
        assertEquals(Map.of("stop_grace", "1s", "namespace_prefix", "qn7-", "bridge", "br-x", "topology", "active_standby",
                "ha_bridge", "ha-x"), settings);
        assertTrue(a.splitPairs(settings), "haproxy-ns with active-standby: one driver per ordinal");
        Map<String, String> second = Shared.DriverCommand.ordinalSettings(settings, 1, Optional.of(dir.resolve("ordinal-1")));
        assertEquals("split", second.get("placement"));
        assertEquals("1", second.get("instance_ordinal"));
        assertEquals(dir.resolve("ordinal-1").toString(), second.get("state_dir"));

        cl.parseArgs("agent", "--zookeeper", "zk:2181", "--agent-id", "n", "--driver", "in-memory", "--topology", "active-standby");
        AgentCommand other = (AgentCommand) cl.getSubcommands().get("agent").getCommand();
        assertEquals(ClusterOptions.DEFAULT_SESSION_TIMEOUT, other.cluster.sessionTimeout);
        assertEquals("/lbaas", other.cluster.root);
        assertTrue(!other.splitPairs(other.settings(Optional.empty())), "only haproxy-ns splits pairs over two drivers");
    }

    @Test
    @Timeout(60)
    @DisplayName("an unreachable ZooKeeper: agent, serve --zookeeper and cluster status exit 1 with one line naming the connect string")
    void unreachable(@TempDir Path dir) throws IOException {
        String connect = "127.0.0.1:" + closedPort();
        CliRun agent = CliRun.run("agent", "--zookeeper", connect, "--agent-id", "node-1", "--driver", "in-memory",
                "--connect-timeout", "1s", "--state-dir", dir.toString());
        assertEquals(1, agent.exit(), agent::toString);
        assertEquals(1, agent.errLines().size(), agent::toString);
        assertTrue(agent.err().startsWith("lbaas agent: ZooKeeper at " + connect + " could not be reached within 1000 ms"),
                agent::toString);
        CliRun status = CliRun.run("cluster", "status", "--zookeeper", connect, "--connect-timeout", "500ms");
        assertEquals(1, status.exit(), status::toString);
        assertEquals(1, status.errLines().size(), status::toString);
        assertTrue(status.err().startsWith("lbaas cluster status: ZooKeeper at " + connect + " could not be reached"), status::toString);
        CliRun serve = CliRun.run("serve", "--zookeeper", connect, "--connect-timeout", "500ms", "--driver", "in-memory",
                "--port", "0", "--token", "t");
        assertEquals(1, serve.exit(), serve::toString);
        assertEquals(1, serve.errLines().size(), serve::toString);
        assertTrue(serve.err().startsWith("lbaas serve: ZooKeeper at " + connect + " could not be reached"), serve::toString);
    }

    @Test
    @DisplayName("serve --zookeeper refuses --state-dir (the desired state is in ZooKeeper)")
    void serveRefusesStateDirWithZooKeeper(@TempDir Path dir) {
        CliRun r = CliRun.run("serve", "--zookeeper", "127.0.0.1:1", "--state-dir", dir.toString(), "--driver", "in-memory",
                "--token", "t");
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("lbaas serve: --state-dir: not with --zookeeper"), r::toString);
    }
}

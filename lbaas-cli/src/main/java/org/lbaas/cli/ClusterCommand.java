package org.lbaas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.cluster.AgentInfo;
import org.lbaas.cluster.ClusterView;
import org.lbaas.cluster.Placement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lbaas cluster SUBCOMMAND}: a cluster as ZooKeeper holds it; {@code status} is the one subcommand. */
@Command(name = "cluster", description = "show a cluster of agents and controllers as ZooKeeper holds it",
        footer = {"Run 'lbaas cluster status --zookeeper HOST:PORT' to list the agents, where each load balancer is placed"
                + " and which controller's scheduler leads."},
        subcommands = ClusterCommand.StatusCommand.class)
final class ClusterCommand extends LbaasCommand {

    @Override
    public Integer call() {
        throw new UsageException(name() + ": missing subcommand; subcommands: status (see '" + name() + " --help')");
    }

    /**
     * {@code lbaas cluster status}: a {@link ClusterView} read from ZooKeeper, as text or JSON: the
     * registered agents (id, driver, load: instances placed on it), the placements (pool id, agents
     * by instance ordinal), the scheduler leader and the malformed znodes found (skipped).
     */
    @Command(name = "status", description = "list the agents, the placements, the scheduler leader and malformed znodes",
            footer = {"Reads ZooKeeper once and prints: each registered agent with its driver and load (instances placed on"
                    + " it), each placed load balancer with its agents by instance ordinal (0, and 1 for the standby of a"
                    + " pair), the id of the controller whose scheduler leads, and every malformed znode the cluster skips."
                    + " Changes nothing."})
    static final class StatusCommand extends LbaasCommand {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        ClusterOptions cluster;

        @Option(names = "--json", description = "print one JSON object: agents, placements, leader, malformed")
        boolean json;

        @Override
        public Integer call() {
            ClusterView view;
            try (CuratorFramework client = cluster.connect(name())) {
                view = ClusterView.read(client, cluster.root);
            } catch (IllegalStateException e) {
                throw new StepFailedException(name(), e.getMessage(), e);
            }
            if (json) {
                out().println(json(view).toPrettyString());
            } else {
                print(view, out());
            }
            out().flush();
            return 0;
        }

        /** The view as {@code {"agents": [...], "placements": [...], "leader": ..., "malformed": {...}}}. */
        static ObjectNode json(ClusterView view) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode agents = root.putArray("agents");
            Map<String, Integer> load = view.load();
            view.agents().values().stream().sorted(java.util.Comparator.comparing(AgentInfo::agentId)).forEach(a -> {
                ObjectNode n = agents.addObject();
                n.put("agent_id", a.agentId());
                n.put("driver", a.driver());
                n.put("load", load.getOrDefault(a.agentId(), 0));
                n.put("started_at", a.startedAt().toString());
            });
            ArrayNode placements = root.putArray("placements");
            new java.util.TreeMap<>(view.placements()).forEach((pool, p) -> {
                ObjectNode n = placements.addObject();
                n.put("pool_id", pool.toString());
                ArrayNode ids = n.putArray("agents");
                p.agents().forEach(ids::add);
            });
            view.leader().ifPresentOrElse(l -> root.put("leader", l), () -> root.putNull("leader"));
            ObjectNode malformed = root.putObject("malformed");
            new java.util.TreeMap<>(view.malformed()).forEach(malformed::put);
            return root;
        }

        /** The view as text, one line per agent, placement and malformed znode. */
        static void print(ClusterView view, PrintStream out) {
            Map<String, Integer> load = view.load();
            out.println("agents: " + view.agents().size());
            new java.util.TreeMap<>(view.agents()).forEach((id, a) -> out.println(String.format("  %-20s driver %-12s load %d"
                    + "  registered %s", id, a.driver(), load.getOrDefault(id, 0), a.startedAt())));
            out.println("placements: " + view.placements().size());
            new java.util.TreeMap<>(view.placements()).forEach((UUID pool, Placement p) -> out.println("  pool " + pool + "  "
                    + ordinals(p.agents(), view)));
            out.println("scheduler leader: " + view.leader().orElse("none elected"));
            out.println("malformed znodes: " + (view.malformed().isEmpty() ? "none" : view.malformed().size()));
            new java.util.TreeMap<>(view.malformed()).forEach((path, why) -> out.println("  " + path + ": " + why));
        }

        /** {@code 0: node-1, 1: node-2 (not registered)}. */
        private static String ordinals(List<String> agents, ClusterView view) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < agents.size(); k++) {
                String a = agents.get(k);
                sb.append(k == 0 ? "" : ", ").append(k).append(": ").append(a)
                        .append(view.agents().containsKey(a) ? "" : " (not registered)");
            }
            return sb.toString();
        }
    }
}

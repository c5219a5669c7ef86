package org.lbaas.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.cluster.Agent;
import org.lbaas.cluster.AgentDrivers;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lbaas agent}: one network node of a cluster. Connects to ZooKeeper, builds the local
 * driver(s) from the same driver options {@code lbaas serve} has, and runs an {@link Agent} (it
 * registers, adopts what already runs, and serves what the scheduler places on it) until the
 * process is stopped (SIGINT or SIGTERM) or the thread is interrupted; then it unregisters and
 * stops watching, and the load balancers it ran keep running, for a restarted agent of the same id
 * to adopt (or, when none comes back within the scheduler's grace period, to be placed elsewhere
 * and removed here at the next start).
 *
 * <p>Drivers: for {@code haproxy-ns} with {@code --topology active-standby}, two drivers with
 * {@code placement=split}, {@code instance_ordinal} 0 and 1 and state directories
 * {@code DIR/ordinal-0} and {@code DIR/ordinal-1} (the pair's two instances run on two agents);
 * otherwise one driver for every ordinal, for {@code haproxy-ns} with its state in
 * {@code DIR/haproxy}. The state directory ({@code --state-dir}, else {@code $LBAAS_STATE_DIR},
 * else {@code /var/lib/lbaas}) is locked while the agent runs and remembers the driver settings as
 * {@code serve} and {@code deploy} do.
 */
@Command(name = "agent", description = "run one network node of a cluster: the load balancers ZooKeeper places on it",
        footer = {"Registers this node in ZooKeeper (an ephemeral znode under --root), adopts the instances that already run"
                + " here, and applies, through the local driver, every load balancer the scheduler (run by 'lbaas serve"
                + " --zookeeper') places on it, reporting back. When its ZooKeeper connection has been suspended for"
                + " --fence-after, or its session is lost, it removes the load balancers it serves (so that no two nodes"
                + " answer for one VIP) and serves them again once reconnected.",
            "", "It runs until stopped: Ctrl-C or SIGTERM unregisters the agent and leaves the load balancers it runs"
                + " running; an agent restarted with the same --agent-id within the scheduler's grace period adopts them,"
                + " otherwise they are placed on other agents and removed here at the next start.",
            "", "With --topology active-standby the pairs' two instances run on two agents: this agent runs instance 0 of"
                + " some pairs and instance 1 of others (state in DIR/ordinal-0 and DIR/ordinal-1); every agent must then"
                + " join the same --ha-bridge network."})
final class AgentCommand extends Shared.DriverCommand {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--agent-id", paramLabel = "ID", required = true,
            description = "this node's id in the cluster: 1 to 63 lower-case letters, digits or -")
    String agentId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "the driver's instances (DIR/haproxy, or DIR/ordinal-0 and DIR/ordinal-1 for pairs) and remembered"
                    + " settings (default: $LBAAS_STATE_DIR, else " + StateDir.DEFAULT + ")")
    String stateDir;

    @Option(names = "--fence-after", paramLabel = "DURATION", converter = ClusterOptions.Positive.class,
            description = "how long a suspended ZooKeeper connection lasts before the agent stops serving its load balancers"
                    + " (default: a third of the negotiated session timeout)")
    Duration fenceAfter;

    @Override
    public Integer call() {
        Running running = start();
        out().println(name() + ": agent " + agentId + " serves the load balancers placed on it (ZooKeeper at " + cluster.zookeeper
                + " under " + cluster.root + ", driver " + driver + (running.drivers().size() > 1 ? " with one driver per pair"
                + " instance" : "") + ", state in " + running.state().root() + ", fences after "
                + running.agent().fenceAfter().toMillis() + " ms suspended); Ctrl-C or SIGTERM stops it and leaves what runs"
                + " for a restart to adopt");
        out().flush();
        ServeCommand.untilStopped("lbaas-agent-shutdown", running::close);
        return 0;
    }

    /**
     * A started agent with what it owns.
     *
     * @param client its ZooKeeper client
     * @param agent the agent
     * @param drivers its local drivers
     * @param state its state directory
     * @param lock the state directory's lock
     */
    record Running(CuratorFramework client, Agent agent, List<LoadBalancerDriver> drivers, StateDir state, StateDir.Held lock)
            implements AutoCloseable {

        /** Stops the agent (it unregisters), then releases the drivers (what they run keeps running), the client, the lock. */
        @Override
        public void close() {
            try {
                agent.close();
            } finally {
                try {
                    drivers.forEach(LoadBalancerDriver::close);
                } finally {
                    try {
                        client.close();
                    } finally {
                        lock.close();
                    }
                }
            }
        }
    }

    /** Checks the options, connects, builds the drivers and starts the agent; the caller closes the result. */
    Running start() {
        cluster.required(name());
        try {
            Agent.builder().agentId(agentId);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": --agent-id: " + e.getMessage());
        }
        StateDir dir = StateDir.of(name(), Optional.ofNullable(stateDir), host());
        Map<String, String> settings = settings(Optional.of(dir));
        StateDir.Held lock = dir.lock(name());
        List<LoadBalancerDriver> drivers = new ArrayList<>();
        CuratorFramework client = null;
        try {
            AgentDrivers agentDrivers = drivers(settings, dir.root(), drivers);
            client = cluster.connect(name());
            Agent.Builder b = Agent.builder().client(client).root(cluster.root).agentId(agentId).driverName(driver)
                    .drivers(agentDrivers);
            if (fenceAfter != null) {
                b.fenceAfter(fenceAfter);
            }
            Agent agent;
            try {
                agent = b.build().start();
            } catch (IllegalStateException e) {
                throw new StepFailedException(name() + ": start agent " + agentId, e.getMessage(), e);
            }
            return new Running(client, agent, List.copyOf(drivers), dir, lock);
        } catch (RuntimeException e) {
            drivers.forEach(LoadBalancerDriver::close);
            if (client != null) {
                client.close();
            }
            lock.close();
            throw e;
        }
    }

    /** The agent's drivers, each also added to {@code created}. */
    private AgentDrivers drivers(Map<String, String> settings, Path root, List<LoadBalancerDriver> created) {
        try {
            if (splitPairs(settings)) {
                for (int ordinal = 0; ordinal < 2; ordinal++) {
                    created.add(createDriver(ordinalSettings(settings, ordinal, Optional.of(root.resolve("ordinal-" + ordinal)))));
                }
                return AgentDrivers.perOrdinal(created);
            }
            created.add(createDriver(settings));
            return AgentDrivers.of(created.get(0));
        } catch (DriverException e) {
            throw new InvalidInputException(name() + ": driver settings: " + CliException.oneLine(e.operatorMessage()));
        }
    }
}

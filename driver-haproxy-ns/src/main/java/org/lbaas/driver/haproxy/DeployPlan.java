package org.lbaas.driver.haproxy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.shell.Command;

/**
 * What {@link HaproxyNsDriver#apply} does to deploy a load balancer onto a host that has nothing
 * of it (no state directory of the instance, no namespace, no process), described without doing
 * it: {@link HaproxyNsDriver#plan} builds it from the same code that the deploy runs.
 *
 * <p>In order, a deploy: creates the instance's owner-only state directory, writes
 * {@link #config} to {@link #configFile} and the instance's network record beside it, runs
 * {@link #commands} one after the other (every one must succeed, except the gratuitous ARP, whose
 * failure is only logged), writing the plumbing marker ({@code network.done}) before the last
 * one (the HAProxy start), and then waits.
 *
 * <p>What a plan cannot know:
 * <ul>
 *   <li>whether a command succeeds on the host: that the bridge (or OVS integration bridge)
 *       exists, that no other tool holds the namespace name, that the programs exist, that
 *       HAProxy accepts the configuration (the start runs it with {@code -dW}, so the start is
 *       the check). A failure undoes what was done, in reverse ({@code kill} of a started
 *       HAProxy, {@code ip -force -batch -} with {@code link del} and {@code netns del}, the
 *       state directory deleted): those undo commands are not in the plan;</li>
 *   <li>pids: after the start the deploy waits, without a command, until the pid file names a
 *       live HAProxy of the instance and its stats socket reports that pid
 *       ({@code start_timeout});</li>
 *   <li>how long IPv6 duplicate address detection takes: the {@code ip -6 addr show} check (only
 *       with an IPv6 VIP and {@code ipv6_dad=wait}) is listed once; a deploy repeats it every
 *       100 ms while the address is tentative ({@code ipv6_dad_timeout});</li>
 *   <li>what a host that already has something of this load balancer needs: there a deploy
 *       first removes this state directory's leftovers, or an apply takes a smaller path
 *       (nothing, runtime API, reload, restart).</li>
 * </ul>
 *
 * @param configFile where the configuration is written ({@code STATE/<instance>/haproxy.cfg})
 * @param config the configuration text, as {@link HaproxyNsDriver#render} returns it
 * @param commands the commands a deploy runs, in order
 */
public record DeployPlan(Path configFile, String config, List<Command> commands) {

    public DeployPlan {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(config, "config");
        commands = List.copyOf(Objects.requireNonNull(commands, "commands"));
    }
}

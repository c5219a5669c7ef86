package org.lbaas.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lbaas.driver.haproxy.DeployPlan;
import org.lbaas.driver.haproxy.HaproxyNsDriver;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;

/**
 * What {@code lbaas render} and every {@code --dry-run} ask the haproxy-ns driver: its
 * configuration for a load balancer ({@link HaproxyNsDriver#render}) and the plan of a deploy
 * ({@link HaproxyNsDriver#plan}), built by the driver's own code with the settings a real run
 * uses. Neither runs a command, writes a file or reads the host's instances: the driver is given
 * a shell that refuses every command, so a driver that ever tried would fail instead of changing
 * the host.
 */
final class DryRun {

    /** The driver's shell here: render and plan run nothing. */
    private static final ShellExecutor NO_COMMANDS = command -> {
        throw new IllegalStateException("a dry run runs no command: " + command.commandLine());
    };

    private DryRun() {
    }

    /**
     * Fails with the field that keeps a document from being deployed, if any.
     *
     * @param lb the document
     * @param command the command, for the message
     * @throws InvalidInputException when {@code lb} is not {@linkplain LoadBalancer#isDeployable() deployable}
     */
    static void requireDeployable(LoadBalancer lb, String command) {
        if (lb.isDeployable()) {
            return;
        }
        if (lb.vip().isEmpty()) {
            throw new InvalidInputException("vip: the document has no VIP, so nothing would be deployed (" + command
                    + " needs one)");
        }
        throw new InvalidInputException("vip.admin_state_up: the VIP is admin down, so nothing would be deployed ("
                + command + " needs it up)");
    }

    /**
     * Returns the configuration the driver writes for a deployable load balancer.
     *
     * @param step the command, for messages
     * @param lb a deployable load balancer
     * @param settings the driver settings of a real run
     * @return the configuration text, byte for byte as a deploy writes it
     * @throws InvalidInputException when the settings are invalid or the driver does not support {@code lb}
     */
    static String render(String step, LoadBalancer lb, Map<String, String> settings) {
        return ask(step, lb, settings, d -> d.render(lb));
    }

    /**
     * Returns what a deploy of a deployable load balancer does on a host that has nothing of it.
     *
     * @param step the command, for messages
     * @param lb a deployable load balancer
     * @param settings the driver settings of a real run
     * @return the driver's plan
     * @throws InvalidInputException when the settings are invalid or the driver does not support {@code lb}
     */
    static DeployPlan plan(String step, LoadBalancer lb, Map<String, String> settings) {
        return ask(step, lb, settings, d -> d.plan(lb));
    }

    /**
     * Fails when the driver does not support a load balancer, deployable or not (as a deploy fails
     * before its first step).
     *
     * @param step the command, for messages
     * @param lb the load balancer
     * @param settings the driver settings of a real run
     * @throws InvalidInputException when the settings are invalid or the driver does not support {@code lb}
     */
    static void requireSupported(String step, LoadBalancer lb, Map<String, String> settings) {
        ask(step, lb, settings, d -> Boolean.TRUE);
    }

    private static <T> T ask(String step, LoadBalancer lb, Map<String, String> settings, Function<HaproxyNsDriver, T> call) {
        HaproxyNsDriver driver;
        try {
            driver = new HaproxyNsDriverProvider().create(new DriverConfig(settings, NO_COMMANDS, Clock.systemUTC()));
        } catch (DriverException e) {
            throw new InvalidInputException(step + ": driver settings: " + CliException.oneLine(e.operatorMessage()));
        }
        try (driver) {
            List<String> unsupported = Failures.lines(driver.capabilities().unsupported(lb));
            if (!unsupported.isEmpty()) {
                throw new InvalidInputException(unsupported);
            }
            return call.apply(driver);
        } catch (DriverException e) {
            throw new StepFailedException(step, CliException.oneLine(e.operatorMessage()), e);
        }
    }

    /**
     * Prints a plan: the configuration file with its text, then each command as a shell line
     * ({@link DryRunShellExecutor#shellLine}).
     *
     * @param plan the plan
     * @param out where to print
     */
    static void print(DeployPlan plan, PrintStream out) {
        out.println("# ---- " + plan.configFile() + " ----");
        out.print(plan.config().endsWith("\n") ? plan.config() : plan.config() + "\n");
        out.println("# ---- end of configuration ----");
        plan.commands().forEach(c -> out.print(DryRunShellExecutor.shellLine(c)));
    }
}

package org.lbaas.cli;

import java.util.List;
import java.util.Optional;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LoadBalancer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lbaas render FILE}: the HAProxy configuration of a document, built by the haproxy-ns
 * driver itself. The driver has no public "render only" call yet, so the driver deploys the
 * document in a {@link DryRun} and the configuration it checks with {@code haproxy -c} is printed.
 */
@Command(name = "render", description = "print the HAProxy configuration the haproxy-ns driver would run",
        footer = {"The configuration is built by the driver itself, exactly as `lbaas deploy` would write it (the stats"
                + " socket path depends on --state-dir). Nothing is started or changed."})
final class RenderCommand extends Shared.StateDirCommand {

    @Parameters(paramLabel = "FILE", description = Shared.FILE)
    String file;

    @Override
    public Integer call() {
        LoadBalancer lb = Documents.read(file, io());
        requireDeployable(lb, "lbaas render");
        StateDir dir = stateDir();
        out().print(render(lb, dir.driverSettings(java.util.Map.of(), false)));
        return 0;
    }

    /** Fails with the field that keeps a document from being deployed, if any. */
    static void requireDeployable(LoadBalancer lb, String command) {
        if (lb.vip().isEmpty()) {
            throw new InvalidInputException("vip: the document has no VIP, so nothing would be deployed (" + command
                    + " needs one)");
        }
        if (!lb.vip().get().adminStateUp()) {
            throw new InvalidInputException("vip.admin_state_up: the VIP is admin down, so nothing would be deployed ("
                    + command + " needs it up)");
        }
    }

    /**
     * Returns the configuration the driver writes for a deployable load balancer.
     *
     * @param lb the load balancer
     * @param settings the driver settings of a real deploy
     * @return the configuration text, as a real deploy would write it
     */
    static String render(LoadBalancer lb, java.util.Map<String, String> settings) {
        try (DryRun dry = new DryRun(settings, Optional.empty());
             LoadBalancerDriver driver = DriverFactory.create(dry.settings(), dry.shell())) {
            List<String> unsupported = Failures.lines(driver.capabilities().unsupported(lb));
            if (!unsupported.isEmpty()) {
                throw new InvalidInputException(unsupported);
            }
            try {
                driver.apply(Optional.empty(), lb);
            } catch (DriverException e) {
                if (!dry.shell().haproxyStarted()) {
                    throw new StepFailedException("lbaas render", CliException.oneLine(e.operatorMessage()), e);
                }
            }
            if (dry.shell().configs().isEmpty()) {
                throw new StepFailedException("lbaas render", "the driver checked no configuration");
            }
            return dry.shell().configs().get(0);
        } catch (DriverException e) {
            throw new InvalidInputException("lbaas render: driver settings: " + CliException.oneLine(e.operatorMessage()));
        }
    }
}

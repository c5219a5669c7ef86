package org.lbaas.cli;

import java.util.stream.Collectors;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;
import picocli.CommandLine.Command;

/** {@code lbaas drivers}: every provider {@link Drivers#discover()} finds, with its capabilities. */
@Command(name = "drivers", description = "list the discovered drivers and their capabilities",
        footer = {"Capabilities are shown with each driver's default settings. The haproxy-ns driver runs one HAProxy per"
                + " load balancer, or with --topology active-standby (deploy, update, reconcile, serve; stored with the"
                + " state directory) an active/standby pair of HAProxy and keepalived, which needs 2 instance addresses per"
                + " load balancer on the VIP's subnet besides the VIP."})
final class DriversCommand extends LbaasCommand {

    @Override
    public Integer call() {
        Drivers.Discovery found = Drivers.discover();
        if (found.providers().isEmpty()) {
            out().println("no drivers found on the class path");
        }
        for (DriverProvider p : found.providers()) {
            out().println(p.name() + "  (" + p.getClass().getName() + ")");
            try (LoadBalancerDriver d = p.create(DriverConfig.defaults())) {
                Capabilities c = d.capabilities();
                row("protocols", join(c.protocols()));
                row("lb methods", join(c.lbMethods()));
                row("persistence", join(c.persistenceTypes()));
                row("monitors", join(c.monitorTypes()));
                row("max members", Integer.toString(c.maxMembers()));
                row("max monitors", c.maxMonitorsPerPool() + " per pool");
                row("max connection limit", c.maxConnectionLimit() + " (and -1, unlimited)");
                row("IPv6", c.ipv6() ? "yes" : "no");
                if (c.instanceAddresses() > 0) {
                    row("instance addresses", c.instanceAddresses() + " per load balancer, besides the VIP");
                }
            } catch (RuntimeException e) {
                row("capabilities", "unavailable: " + CliException.oneLine(String.valueOf(e.getMessage())));
            }
        }
        for (String problem : found.problems()) {
            err().println("drivers: " + CliException.oneLine(problem));
        }
        return found.problems().isEmpty() ? 0 : CliException.FAILURE;
    }

    private void row(String label, String value) {
        out().printf("  %-22s %s%n", label + ":", value);
    }

    private static String join(java.util.Set<? extends Enum<?>> values) {
        return values.stream().sorted(java.util.Comparator.comparingInt(e -> e.ordinal())).map(Enum::name)
                .collect(Collectors.joining(", "));
    }
}

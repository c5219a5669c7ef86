package org.lbaas.cli;

import java.util.stream.Collectors;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;

/** {@code lbaas drivers}: every provider {@link Drivers#discover()} finds, with its capabilities. */
final class DriversCommand {

    private DriversCommand() {
    }

    static int run(Invocation inv) {
        Drivers.Discovery found = Drivers.discover();
        if (found.providers().isEmpty()) {
            inv.out().println("no drivers found on the class path");
        }
        for (DriverProvider p : found.providers()) {
            inv.out().println(p.name() + "  (" + p.getClass().getName() + ")");
            try (LoadBalancerDriver d = p.create(DriverConfig.defaults())) {
                Capabilities c = d.capabilities();
                row(inv, "protocols", join(c.protocols()));
                row(inv, "lb methods", join(c.lbMethods()));
                row(inv, "persistence", join(c.persistenceTypes()));
                row(inv, "monitors", join(c.monitorTypes()));
                row(inv, "max members", Integer.toString(c.maxMembers()));
                row(inv, "max monitors", c.maxMonitorsPerPool() + " per pool");
                row(inv, "max connection limit", c.maxConnectionLimit() + " (and -1, unlimited)");
                row(inv, "IPv6", c.ipv6() ? "yes" : "no");
            } catch (RuntimeException e) {
                row(inv, "capabilities", "unavailable: " + CliException.oneLine(String.valueOf(e.getMessage())));
            }
        }
        for (String problem : found.problems()) {
            inv.err().println("drivers: " + CliException.oneLine(problem));
        }
        return found.problems().isEmpty() ? 0 : CliException.FAILURE;
    }

    private static void row(Invocation inv, String label, String value) {
        inv.out().printf("  %-22s %s%n", label + ":", value);
    }

    private static String join(java.util.Set<? extends Enum<?>> values) {
        return values.stream().sorted(java.util.Comparator.comparingInt(e -> e.ordinal())).map(Enum::name)
                .collect(Collectors.joining(", "));
    }
}

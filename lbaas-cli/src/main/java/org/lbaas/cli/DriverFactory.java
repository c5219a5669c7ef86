package org.lbaas.cli;

import java.time.Clock;
import java.util.Map;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;

/** Creates drivers the way an application does: found by name through {@link Drivers}. */
final class DriverFactory {

    /** The driver the commands deploy with. */
    static final String DEFAULT_DRIVER = "haproxy-ns";

    private DriverFactory() {
    }

    /**
     * Returns what a driver supports.
     *
     * @param name the driver's name
     * @return its capabilities with default settings
     */
    static Capabilities capabilities(String name) {
        try (LoadBalancerDriver d = Drivers.provider(name).create(DriverConfig.defaults())) {
            return d.capabilities();
        }
    }

    /**
     * Creates the default driver.
     *
     * @param settings its settings (see {@code HaproxySettings})
     * @param shell how it runs commands
     * @return the driver
     */
    static LoadBalancerDriver create(Map<String, String> settings, ShellExecutor shell) {
        return Drivers.provider(DEFAULT_DRIVER).create(new DriverConfig(settings, shell, Clock.systemUTC()));
    }
}

package org.lbaas.cli;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.driver.memory.InMemoryDriverProvider;

/**
 * A driver found by the name {@code recording-cli} (declared only by ServeCommandTest's class loader):
 * the in-memory driver, with every configuration it was created with recorded; the setting
 * {@code fail} makes its creation fail with that message.
 */
public final class RecordingCliDriverProvider implements DriverProvider {

    /** The settings of every driver created, oldest first. */
    static final List<Map<String, String>> CREATED = new CopyOnWriteArrayList<>();

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public RecordingCliDriverProvider() {
    }

    @Override
    public String name() {
        return "recording-cli";
    }

    @Override
    public LoadBalancerDriver create(DriverConfig config) {
        CREATED.add(Map.copyOf(config.settings()));
        String fail = config.settings().get("fail");
        if (fail != null) {
            throw new DriverException("the driver could not start", fail, false, new IllegalStateException("the cause"));
        }
        return new InMemoryDriverProvider().create(new DriverConfig(Map.of(), ShellExecutor.system(), Clock.systemUTC()));
    }
}

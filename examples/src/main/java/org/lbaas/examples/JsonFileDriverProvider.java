package org.lbaas.examples;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.LoadBalancerDriver;

/**
 * Provides the {@code json-files} driver: each load balancer that should run becomes one JSON
 * document, {@code <directory>/<pool id>.json}, written atomically, for a device or agent that
 * watches the directory. It is an example of a vendor driver, small enough to read in one sitting.
 *
 * <p>Settings: {@code directory} (required), an absolute path; created when missing.
 */
public final class JsonFileDriverProvider implements DriverProvider {

    /** The name this provider is selected by. */
    public static final String NAME = "json-files";

    /** Creates the provider; cheap, no I/O. */
    public JsonFileDriverProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates the driver.
     *
     * @param config the {@code directory} setting (the shell is not used, the clock is not needed)
     * @return the driver
     * @throws DriverException (not retryable) when {@code directory} is missing, relative, or another key is set
     */
    @Override
    public LoadBalancerDriver create(DriverConfig config) {
        Objects.requireNonNull(config, "config");
        config.refuseUnknownSettings(NAME, Set.of("directory"));
        Path directory = config.setting("directory").map(Path::of).orElseThrow(() -> new DriverException(
                "the load-balancer driver is misconfigured", "json-files: the setting 'directory' is required", false));
        if (!directory.isAbsolute()) {
            throw new DriverException("the load-balancer driver is misconfigured",
                    "json-files: 'directory' must be an absolute path, not " + directory, false);
        }
        return new JsonFileDriver(directory);
    }
}

package org.lbaas.driver.haproxy;

import java.nio.file.Path;
import java.util.Objects;
import org.lbaas.driver.haproxy.internal.ConfigRenderer;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.config.HaproxyConfigRenderer;
import org.lbaas.driver.haproxy.internal.config.RenderSettings;
import org.lbaas.driver.haproxy.internal.iface.InterfaceDriver;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.LoadBalancerDriver;

/**
 * Provides the {@code haproxy-ns} driver: HAProxy 2.6 in one Linux network namespace per load
 * balancer, on the host that runs the JVM (which must be root). Settings are described at
 * {@link HaproxySettings}.
 *
 * <p>Found by {@link java.util.ServiceLoader} (declared in {@code META-INF/services} and in the
 * module descriptor) or constructed directly. Construction does nothing; {@link #create} parses
 * the settings, reads nothing else and starts nothing: call
 * {@link LoadBalancerDriver#reconcile} to adopt what already runs.
 */
public final class HaproxyNsDriverProvider implements DriverProvider {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HaproxyNsDriverProvider.class);

    /** The name this provider is selected by. */
    public static final String NAME = "haproxy-ns";

    /** Creates the provider; cheap, no I/O. */
    public HaproxyNsDriverProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates a driver.
     *
     * @param config settings (see {@link HaproxySettings}) and the shell executor (the clock is not used)
     * @return the driver, with the {@code haproxy-ns} extras ({@link HaproxyNsDriver#render},
     *     {@link HaproxyNsDriver#plan})
     * @throws org.lbaas.driver.spi.DriverException (not retryable) for unknown keys or invalid values
     */
    @Override
    public HaproxyNsDriver create(DriverConfig config) {
        Objects.requireNonNull(config, "config");
        HostView host = HostView.system();
        HaproxySettings settings = resolveAccount(HaproxySettings.parse(config.settings()), host);
        return new HaproxyNsDriver(settings, config.shell(), renderer(settings, host.openFilesHardLimit()),
                interfaceDriver(settings), host, RuntimeClient.unixSocket());
    }

    /**
     * The full renderer of {@code internal.config}, with the driver's settings and the open-file
     * limit HAProxy will inherit.
     */
    static ConfigRenderer renderer(HaproxySettings settings, long openFilesHardLimit) {
        try {
            return new HaproxyConfigRenderer(RenderSettings.from(settings, openFilesHardLimit));
        } catch (IllegalArgumentException e) {
            throw new DriverException("the load balancer driver is misconfigured",
                    "invalid haproxy-ns driver settings: " + e.getMessage(), false, e);
        }
    }

    /**
     * Resolves {@code user=auto} and {@code group=auto}: the dedicated {@code haproxy} account when
     * the host has it, otherwise {@code nobody}/{@code nogroup} with a warning. Named accounts are
     * kept as given (HAProxy itself refuses one the host does not have).
     */
    static HaproxySettings resolveAccount(HaproxySettings settings, HostView host) {
        String user = settings.user();
        String group = settings.group();
        if (user.equals(HaproxySettings.AUTO_ACCOUNT)) {
            if (host.userExists(HaproxySettings.DEDICATED_ACCOUNT)) {
                user = HaproxySettings.DEDICATED_ACCOUNT;
            } else {
                user = "nobody";
                LOG.warn("no '{}' user on this host: HAProxy runs as the shared 'nobody' (create a dedicated user, "
                        + "or name one with the driver setting user=...)", HaproxySettings.DEDICATED_ACCOUNT);
            }
        }
        if (group.equals(HaproxySettings.AUTO_ACCOUNT)) {
            group = host.groupExists(HaproxySettings.DEDICATED_ACCOUNT) ? HaproxySettings.DEDICATED_ACCOUNT : "nogroup";
        }
        return settings.withAccount(user, group);
    }

    static InterfaceDriver interfaceDriver(HaproxySettings settings) {
        return switch (settings.interfaceDriver()) {
            case LINUXBRIDGE -> InterfaceDriver.linuxBridge(settings.bridge());
            case OVS -> InterfaceDriver.openVswitch(settings.bridge(), Path.of(settings.ovsVsctlBinary()));
            case NOOP -> InterfaceDriver.noop();
        };
    }
}

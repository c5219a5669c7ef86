package org.lbaas.driver.memory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.model.LbMethod;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;

/**
 * Provides the {@code in-memory} driver ({@link InMemoryDriver}). Found by
 * {@link java.util.ServiceLoader} when driver-in-memory is on the class path or module path, or
 * constructed directly.
 *
 * <table>
 *   <caption>Settings (all optional)</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code max_members}</td><td>{@value #DEFAULT_MAX_MEMBERS}</td><td>most members per pool</td></tr>
 *   <tr><td>{@code max_monitors_per_pool}</td><td>{@value #DEFAULT_MAX_MONITORS}</td><td>most monitors per pool</td></tr>
 *   <tr><td>{@code max_connection_limit}</td><td>{@value #DEFAULT_MAX_CONNECTION_LIMIT}</td><td>largest explicit
 *       VIP connection limit</td></tr>
 *   <tr><td>{@code ipv6}</td><td>{@code true}</td><td>whether IPv6 VIPs and members are supported</td></tr>
 *   <tr><td>{@code instance_addresses}</td><td>0</td><td>how many instance addresses it declares
 *       ({@link Capabilities#instanceAddresses()}), as a driver running that many instances per load
 *       balancer would</td></tr>
 * </table>
 *
 * <p>Every protocol, balancing method, persistence kind and monitor type is supported. An unknown
 * key or an invalid value fails {@link #create} with a {@link DriverException} naming every problem.
 */
public final class InMemoryDriverProvider implements DriverProvider {

    /** The name this provider is selected by. */
    public static final String NAME = "in-memory";
    /** Default of {@code max_members}. */
    public static final int DEFAULT_MAX_MEMBERS = 1000;
    /** Default of {@code max_monitors_per_pool}. */
    public static final int DEFAULT_MAX_MONITORS = 10;
    /** Default of {@code max_connection_limit}. */
    public static final int DEFAULT_MAX_CONNECTION_LIMIT = 1_000_000;

    private static final Set<String> KEYS = Set.of("max_members", "max_monitors_per_pool", "max_connection_limit", "ipv6",
            "instance_addresses");

    /** Creates the provider; cheap, no I/O. */
    public InMemoryDriverProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates an empty in-memory driver.
     *
     * @param config the settings above and the clock that drives the synthetic statistics (the
     *     shell is not used)
     * @return the driver
     * @throws DriverException (not retryable) for unknown keys or invalid values
     */
    @Override
    public InMemoryDriver create(DriverConfig config) {
        Objects.requireNonNull(config, "config");
        Map<String, String> s = config.settings();
        List<String> problems = new ArrayList<>();
        config.unknownSettings(KEYS).ifPresent(problems::add);
        int maxMembers = number(s, "max_members", DEFAULT_MAX_MEMBERS, problems);
        int maxMonitors = number(s, "max_monitors_per_pool", DEFAULT_MAX_MONITORS, problems);
        int maxLimit = number(s, "max_connection_limit", DEFAULT_MAX_CONNECTION_LIMIT, problems);
        int instanceAddresses = number(s, "instance_addresses", 0, problems);
        String ipv6 = s.getOrDefault("ipv6", "true");
        if (!ipv6.equals("true") && !ipv6.equals("false")) {
            problems.add("setting 'ipv6' must be true or false, not '" + ipv6 + "'");
        }
        if (!problems.isEmpty()) {
            String all = String.join("; ", problems);
            throw new DriverException("the load-balancer driver is misconfigured", "in-memory driver: " + all, false);
        }
        Capabilities capabilities = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                EnumSet.allOf(PersistenceType.class), EnumSet.allOf(MonitorType.class), maxMembers, maxMonitors, maxLimit,
                Boolean.parseBoolean(ipv6), instanceAddresses);
        return new InMemoryDriver(capabilities, config.clock());
    }

    private static int number(Map<String, String> settings, String key, int fallback, List<String> problems) {
        String text = settings.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("setting '" + key + "' must be a whole number from 0 to " + Integer.MAX_VALUE + ", not '" + text + "'");
        return fallback;
    }
}

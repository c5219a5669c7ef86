package org.lbaas.driver.haproxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;

/**
 * The settings of the {@code haproxy-ns} driver, parsed from {@link DriverConfig#settings()}.
 * Every key is optional; an unknown key or an invalid value fails the driver's creation with a
 * {@link DriverException} that names every problem at once.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code state_dir}</td><td>{@code /var/lib/lbaas/haproxy}</td><td>absolute directory holding one
 *       owner-only directory per instance (config, pid file, socket, counters); at most
 *       {@link #MAX_STATE_DIR_LENGTH} (53) characters, because HAProxy limits socket paths to 97 bytes</td></tr>
 *   <tr><td>{@code namespace_prefix}</td><td>{@code qlbaas-}</td><td>namespaces are {@code <prefix><pool_id>}
 *       ({@code -<ordinal>} appended for ordinals above 0); the prefix does not make a namespace the driver's: only
 *       the record in {@code state_dir} does, so drivers on other state directories may share it; letters, digits,
 *       {@code _ . -}, at most 20</td></tr>
 *   <tr><td>{@code haproxy_binary}</td><td>{@code haproxy}</td><td>the HAProxy 2.6 program</td></tr>
 *   <tr><td>{@code ip_binary}</td><td>{@code ip}</td><td>iproute2's {@code ip}</td></tr>
 *   <tr><td>{@code nsenter_binary}</td><td>{@code nsenter}</td><td>util-linux {@code nsenter}: HAProxy is started
 *       (and reloaded) with {@code nsenter --net=/run/netns/NS -- haproxy ...}, which enters only the network
 *       namespace, so HAProxy stays in the host's mount namespace (unlike {@code ip netns exec}, which gives
 *       every process a private copy of every {@code /run/netns} mount)</td></tr>
 *   <tr><td>{@code ovs_vsctl_binary}</td><td>{@code ovs-vsctl}</td><td>used by {@code interface_driver=ovs}</td></tr>
 *   <tr><td>{@code arping_binary}</td><td>{@code auto}</td><td>gratuitous ARP after plugging an IPv4 VIP:
 *       {@code auto} uses {@code arping} from the PATH if installed and skips it otherwise, {@code none}
 *       never sends one, or an absolute path (iputils syntax {@code -U -I dev -c 1 -w 1})</td></tr>
 *   <tr><td>{@code user}, {@code group}</td><td>{@code auto}, {@code auto}</td><td>the unprivileged account HAProxy
 *       switches to after it has opened its sockets (as root) and read its configuration; {@code auto} is the
 *       dedicated {@code haproxy} user and group that Debian's haproxy package creates, when the host has them,
 *       and otherwise the shared {@code nobody} and {@code nogroup} (a warning is logged): resolved once, when
 *       the driver is created</td></tr>
 *   <tr><td>{@code interface_driver}</td><td>{@code linuxbridge}</td><td>{@code linuxbridge} (veth into
 *       {@code bridge}), {@code ovs} (internal port on {@code bridge}) or {@code noop} (the host plumbs the
 *       namespace; the VIP is put on {@code lo})</td></tr>
 *   <tr><td>{@code bridge}</td><td>{@code br-lbaas}</td><td>the bridge VIP ports join (must exist)</td></tr>
 *   <tr><td>{@code default_maxconn}</td><td>{@code 2000}</td><td>frontend {@code maxconn} for
 *       {@code connection_limit -1}</td></tr>
 *   <tr><td>{@code max_connection_limit}</td><td>{@code auto}</td><td>largest explicit connection limit
 *       accepted; {@code auto} derives it from the open-file hard limit HAProxy inherits
 *       ({@code (limit - 64 - max members - 1) / 2}, since HAProxy needs two descriptors per connection and
 *       refuses to start otherwise)</td></tr>
 *   <tr><td>{@code timeout_connect}, {@code timeout_client}, {@code timeout_server}</td><td>{@code 5s},
 *       {@code 50s}, {@code 50s}</td><td>HAProxy timeouts; durations are an integer and a unit
 *       ({@code ms s m h})</td></tr>
 *   <tr><td>{@code log_target}</td><td>(none)</td><td>an HAProxy {@code log} address such as
 *       {@code /dev/log} or {@code 127.0.0.1:514}; empty for no logging</td></tr>
 *   <tr><td>{@code nbthread}</td><td>{@code 1}</td><td>threads per HAProxy (a network node hosts many)</td></tr>
 *   <tr><td>{@code hard_stop_after}</td><td>{@code 30s}</td><td>how long a replaced process may finish its
 *       connections after a reload</td></tr>
 *   <tr><td>{@code stop_grace}</td><td>{@code 5s}</td><td>undeploy: wait after the soft stop (SIGUSR1)
 *       before SIGTERM</td></tr>
 *   <tr><td>{@code ipv6_dad}</td><td>{@code wait}</td><td>IPv6 VIPs: {@code wait} for duplicate address
 *       detection to finish (fails on a duplicate), or {@code skip} it ({@code nodad})</td></tr>
 *   <tr><td>{@code ipv6_dad_timeout}</td><td>{@code 10s}</td><td>longest wait for DAD</td></tr>
 *   <tr><td>{@code start_timeout}</td><td>{@code 10s}</td><td>longest wait for a started HAProxy to answer on
 *       its socket</td></tr>
 *   <tr><td>{@code command_timeout}</td><td>{@code 30s}</td><td>longest run of one external command</td></tr>
 *   <tr><td>{@code observe_parallelism}</td><td>{@code 4}</td><td>threads reading statistics in
 *       {@code observeAll} (shared, not per instance)</td></tr>
 *   <tr><td>{@code instance_ordinal}</td><td>{@code 0}</td><td>which instance of each load balancer this
 *       driver runs (0 to 9); two drivers with different ordinals can share a host; with
 *       {@code topology=active_standby} it matters only for {@code placement=split}, where it must be 0 or 1</td></tr>
 *   <tr><td>{@code topology}, {@code placement}, {@code ha_bridge}, {@code advert_interval},
 *       {@code keepalived_binary}, {@code sysctl_binary}, {@code flock_binary}, {@code setsid_binary}</td><td></td><td>high availability: see
 *       {@link HaSettings}</td></tr>
 * </table>
 *
 * @param stateDir see {@code state_dir}
 * @param namespacePrefix see {@code namespace_prefix}
 * @param haproxyBinary see {@code haproxy_binary}
 * @param ipBinary see {@code ip_binary}
 * @param nsenterBinary see {@code nsenter_binary}
 * @param ovsVsctlBinary see {@code ovs_vsctl_binary}
 * @param arpingBinary see {@code arping_binary}: {@code auto}, {@code none} or a path
 * @param user see {@code user}
 * @param group see {@code group}
 * @param interfaceDriver see {@code interface_driver}
 * @param bridge see {@code bridge}
 * @param defaultMaxconn see {@code default_maxconn}
 * @param maxConnectionLimit see {@code max_connection_limit}; empty for {@code auto}
 * @param timeoutConnect see {@code timeout_connect}
 * @param timeoutClient see {@code timeout_client}
 * @param timeoutServer see {@code timeout_server}
 * @param logTarget see {@code log_target}
 * @param nbthread see {@code nbthread}
 * @param hardStopAfter see {@code hard_stop_after}
 * @param stopGrace see {@code stop_grace}
 * @param ipv6Dad see {@code ipv6_dad}
 * @param ipv6DadTimeout see {@code ipv6_dad_timeout}
 * @param startTimeout see {@code start_timeout}
 * @param commandTimeout see {@code command_timeout}
 * @param observeParallelism see {@code observe_parallelism}
 * @param instanceOrdinal see {@code instance_ordinal}
 * @param ha the high-availability settings ({@link HaSettings})
 */
public record HaproxySettings(Path stateDir, String namespacePrefix, String haproxyBinary, String ipBinary,
                              String nsenterBinary, String ovsVsctlBinary, String arpingBinary, String user, String group,
                              InterfaceKind interfaceDriver, String bridge, int defaultMaxconn,
                              OptionalInt maxConnectionLimit, Duration timeoutConnect, Duration timeoutClient,
                              Duration timeoutServer, Optional<String> logTarget, int nbthread, Duration hardStopAfter,
                              Duration stopGrace, Ipv6Dad ipv6Dad, Duration ipv6DadTimeout, Duration startTimeout,
                              Duration commandTimeout, int observeParallelism, int instanceOrdinal, HaSettings ha) {

    /** Longest {@code state_dir}: keeps {@code <state_dir>/<pool_id>-<n>/sock} within HAProxy's 97 bytes. */
    public static final int MAX_STATE_DIR_LENGTH = 97 - "/01234567-89ab-cdef-0123-456789abcdef-9/sock".length();

    /** How the VIP port reaches the namespace. */
    public enum InterfaceKind {
        /** A veth pair whose host end joins a Linux bridge. */
        LINUXBRIDGE,
        /** An Open vSwitch internal port with Neutron's external ids. */
        OVS,
        /** Nothing: the host plumbs namespaces itself. */
        NOOP
    }

    /** What to do about IPv6 duplicate address detection on the VIP. */
    public enum Ipv6Dad {
        /** Wait until DAD has finished; fail when the address is a duplicate. */
        WAIT,
        /** Add the address with {@code nodad}. */
        SKIP
    }

    /** The value of {@code user} and {@code group} that lets the driver choose the account (see the class comment). */
    public static final String AUTO_ACCOUNT = "auto";
    /** The dedicated account {@code auto} prefers. */
    public static final String DEDICATED_ACCOUNT = "haproxy";

    /**
     * Returns these settings with HAProxy's account fixed.
     *
     * @param newUser the user HAProxy runs as (a user name, not {@code auto})
     * @param newGroup its group
     * @return the settings
     */
    public HaproxySettings withAccount(String newUser, String newGroup) {
        return new HaproxySettings(stateDir, namespacePrefix, haproxyBinary, ipBinary, nsenterBinary, ovsVsctlBinary, arpingBinary,
                newUser, newGroup, interfaceDriver, bridge, defaultMaxconn, maxConnectionLimit, timeoutConnect, timeoutClient,
                timeoutServer, logTarget, nbthread, hardStopAfter, stopGrace, ipv6Dad, ipv6DadTimeout, startTimeout, commandTimeout,
                observeParallelism, instanceOrdinal, ha);
    }

    /**
     * Returns the ordinals of the instances this driver runs for each load balancer: {@code
     * instance_ordinal} alone, or 0 and 1 for an active/standby pair placed on this host.
     *
     * @return the ordinals, ascending
     */
    public List<Integer> ordinals() {
        if (ha.activeStandby() && ha.placement() == HaSettings.Placement.LOCAL) {
            return List.of(0, 1);
        }
        return List.of(instanceOrdinal);
    }

    /** Every key this driver reads. */
    public static final Set<String> KEYS = keys();

    private static Set<String> keys() {
        Set<String> keys = new java.util.HashSet<>(HaSettings.KEYS);
        keys.addAll(Set.of("state_dir", "namespace_prefix", "haproxy_binary", "ip_binary",
            "nsenter_binary", "ovs_vsctl_binary", "arping_binary", "user", "group", "interface_driver", "bridge", "default_maxconn",
            "max_connection_limit", "timeout_connect", "timeout_client", "timeout_server", "log_target", "nbthread",
            "hard_stop_after", "stop_grace", "ipv6_dad", "ipv6_dad_timeout", "start_timeout", "command_timeout",
            "observe_parallelism", "instance_ordinal"));
        return Set.copyOf(keys);
    }

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,19}");
    private static final Pattern ACCOUNT = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern PROGRAM = Pattern.compile("[A-Za-z0-9_./+-]{1,255}");
    private static final Pattern LOG_TARGET = Pattern.compile("[A-Za-z0-9_.:/@\\[\\]-]{1,255}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    public HaproxySettings {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(namespacePrefix, "namespacePrefix");
        Objects.requireNonNull(haproxyBinary, "haproxyBinary");
        Objects.requireNonNull(ipBinary, "ipBinary");
        Objects.requireNonNull(nsenterBinary, "nsenterBinary");
        Objects.requireNonNull(ovsVsctlBinary, "ovsVsctlBinary");
        Objects.requireNonNull(arpingBinary, "arpingBinary");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interfaceDriver, "interfaceDriver");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(maxConnectionLimit, "maxConnectionLimit");
        Objects.requireNonNull(timeoutConnect, "timeoutConnect");
        Objects.requireNonNull(timeoutClient, "timeoutClient");
        Objects.requireNonNull(timeoutServer, "timeoutServer");
        Objects.requireNonNull(logTarget, "logTarget");
        Objects.requireNonNull(hardStopAfter, "hardStopAfter");
        Objects.requireNonNull(stopGrace, "stopGrace");
        Objects.requireNonNull(ipv6Dad, "ipv6Dad");
        Objects.requireNonNull(ipv6DadTimeout, "ipv6DadTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(ha, "ha");
    }

    /** Returns the settings with every default. */
    public static HaproxySettings defaults() {
        return parse(Map.of());
    }

    /**
     * Parses settings; see the class comment for keys and defaults.
     *
     * @param settings key to value
     * @return the settings
     * @throws DriverException (not retryable) naming every unknown key and invalid value
     */
    public static HaproxySettings parse(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        Parser p = new Parser(settings);
        DriverConfig.unknownSettings(settings, KEYS).ifPresent(p.problems::add);
        Path stateDir = p.stateDir();
        String prefix = p.matching("namespace_prefix", "qlbaas-", PREFIX, "letters, digits, _ . -, at most 20");
        String haproxy = p.matching("haproxy_binary", "haproxy", PROGRAM, "a program name or path");
        String ip = p.matching("ip_binary", "ip", PROGRAM, "a program name or path");
        String nsenter = p.matching("nsenter_binary", "nsenter", PROGRAM, "a program name or path");
        String ovs = p.matching("ovs_vsctl_binary", "ovs-vsctl", PROGRAM, "a program name or path");
        String arping = p.matching("arping_binary", "auto", PROGRAM, "auto, none or an absolute path");
        if (!arping.equals("auto") && !arping.equals("none") && !arping.startsWith("/")) {
            p.problems.add("arping_binary must be auto, none or an absolute path: " + arping);
        }
        String user = p.matching("user", AUTO_ACCOUNT, ACCOUNT, "auto or a user name");
        String group = p.matching("group", AUTO_ACCOUNT, ACCOUNT, "auto or a group name");
        InterfaceKind kind = p.choice("interface_driver", InterfaceKind.LINUXBRIDGE, InterfaceKind.class);
        String bridge = p.matching("bridge", "br-lbaas", DEVICE, "a device name of at most 15 letters, digits, _ . -");
        int defaultMaxconn = p.integer("default_maxconn", 2000, 1, 1_000_000);
        OptionalInt maxLimit = OptionalInt.empty();
        String rawMax = settings.getOrDefault("max_connection_limit", "auto").trim();
        if (!rawMax.equals("auto")) {
            maxLimit = OptionalInt.of(p.integer("max_connection_limit", 0, 1, 10_000_000));
        }
        Duration connect = p.duration("timeout_connect", "5s");
        Duration client = p.duration("timeout_client", "50s");
        Duration server = p.duration("timeout_server", "50s");
        String log = settings.getOrDefault("log_target", "").trim();
        Optional<String> logTarget = Optional.empty();
        if (!log.isEmpty()) {
            if (LOG_TARGET.matcher(log).matches()) {
                logTarget = Optional.of(log);
            } else {
                p.problems.add("log_target must be an address such as /dev/log or 127.0.0.1:514: " + log);
            }
        }
        int nbthread = p.integer("nbthread", 1, 1, 64);
        Duration hardStop = p.duration("hard_stop_after", "30s");
        Duration stopGrace = p.duration("stop_grace", "5s");
        Ipv6Dad dad = p.choice("ipv6_dad", Ipv6Dad.WAIT, Ipv6Dad.class);
        Duration dadTimeout = p.duration("ipv6_dad_timeout", "10s");
        Duration startTimeout = p.duration("start_timeout", "10s");
        Duration commandTimeout = p.duration("command_timeout", "30s");
        int parallelism = p.integer("observe_parallelism", 4, 1, 64);
        int ordinal = p.integer("instance_ordinal", 0, 0, 9);
        HaSettings ha = p.ha(ordinal, settings.containsKey("instance_ordinal"));
        if (ha.activeStandby() && kind == InterfaceKind.NOOP) {
            p.problems.add("topology active_standby needs interface_driver linuxbridge or ovs (each instance has a device of "
                    + "its own that keepalived moves the VIP to), not noop");
        }
        if (!p.problems.isEmpty()) {
            throw new DriverException("the load balancer driver is misconfigured",
                    "invalid haproxy-ns driver settings: " + String.join("; ", p.problems), false);
        }
        return new HaproxySettings(stateDir, prefix, haproxy, ip, nsenter, ovs, arping, user, group, kind, bridge, defaultMaxconn,
                maxLimit, connect, client, server, logTarget, nbthread, hardStop, stopGrace, dad, dadTimeout, startTimeout,
                commandTimeout, parallelism, ordinal, ha);
    }

    /**
     * Returns these settings as a settings map that {@link #parse} turns back into them.
     *
     * @return key to value
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("state_dir", stateDir.toString());
        m.put("namespace_prefix", namespacePrefix);
        m.put("haproxy_binary", haproxyBinary);
        m.put("ip_binary", ipBinary);
        m.put("nsenter_binary", nsenterBinary);
        m.put("ovs_vsctl_binary", ovsVsctlBinary);
        m.put("arping_binary", arpingBinary);
        m.put("user", user);
        m.put("group", group);
        m.put("interface_driver", interfaceDriver.name().toLowerCase(Locale.ROOT));
        m.put("bridge", bridge);
        m.put("default_maxconn", Integer.toString(defaultMaxconn));
        m.put("max_connection_limit", maxConnectionLimit.isPresent() ? Integer.toString(maxConnectionLimit.getAsInt()) : "auto");
        m.put("timeout_connect", format(timeoutConnect));
        m.put("timeout_client", format(timeoutClient));
        m.put("timeout_server", format(timeoutServer));
        m.put("log_target", logTarget.orElse(""));
        m.put("nbthread", Integer.toString(nbthread));
        m.put("hard_stop_after", format(hardStopAfter));
        m.put("stop_grace", format(stopGrace));
        m.put("ipv6_dad", ipv6Dad.name().toLowerCase(Locale.ROOT));
        m.put("ipv6_dad_timeout", format(ipv6DadTimeout));
        m.put("start_timeout", format(startTimeout));
        m.put("command_timeout", format(commandTimeout));
        m.put("observe_parallelism", Integer.toString(observeParallelism));
        m.put("instance_ordinal", Integer.toString(instanceOrdinal));
        m.put("topology", ha.topology().name().toLowerCase(Locale.ROOT));
        if (ha.activeStandby()) {
            m.put("placement", ha.placement().name().toLowerCase(Locale.ROOT));
        }
        m.put("ha_bridge", ha.haBridge());
        m.put("advert_interval", format(ha.advertInterval()));
        m.put("keepalived_binary", ha.keepalivedBinary());
        m.put("sysctl_binary", ha.sysctlBinary());
        m.put("flock_binary", ha.flockBinary());
        m.put("setsid_binary", ha.setsidBinary());
        return m;
    }

    /**
     * Formats a duration as HAProxy writes it: whole seconds as {@code Ns}, otherwise {@code Nms}.
     *
     * @param d the duration
     * @return the text
     */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static final class Parser {
        final Map<String, String> settings;
        final List<String> problems = new ArrayList<>();

        Parser(Map<String, String> settings) {
            this.settings = settings;
        }

        String raw(String key, String fallback) {
            String v = settings.get(key);
            return v == null ? fallback : v.trim();
        }

        Path stateDir() {
            String raw = raw("state_dir", "/var/lib/lbaas/haproxy");
            Path p = Path.of("/var/lib/lbaas/haproxy");
            try {
                p = Path.of(raw).normalize();
            } catch (RuntimeException e) {
                problems.add("state_dir is not a path: " + raw);
                return p;
            }
            if (!p.isAbsolute()) {
                problems.add("state_dir must be absolute: " + raw);
            } else if (p.toString().length() > MAX_STATE_DIR_LENGTH) {
                problems.add("state_dir must be at most " + MAX_STATE_DIR_LENGTH
                        + " characters (HAProxy limits socket paths to 97 bytes): " + raw);
            } else if (!p.toString().matches("[A-Za-z0-9_./+-]+")) {
                problems.add("state_dir may hold only letters, digits and _ . / + -: " + raw);
            }
            return p;
        }

        String matching(String key, String fallback, Pattern pattern, String rule) {
            String v = raw(key, fallback);
            if (!pattern.matcher(v).matches()) {
                problems.add(key + " must be " + rule + ": " + v);
                return fallback;
            }
            return v;
        }

        int integer(String key, int fallback, int min, int max) {
            String v = raw(key, Integer.toString(fallback));
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    problems.add(key + " must be " + min + " to " + max + ": " + v);
                    return fallback;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(key + " must be an integer: " + v);
                return fallback;
            }
        }

        Duration duration(String key, String fallback) {
            String v = raw(key, fallback);
            var m = DURATION.matcher(v);
            if (!m.matches()) {
                problems.add(key + " must be an integer with a unit ms, s, m or h (e.g. 5s): " + v);
                return parseDuration(fallback);
            }
            Duration d = parseDuration(v);
            if (d.isZero()) {
                problems.add(key + " must be positive: " + v);
                return parseDuration(fallback);
            }
            return d;
        }

        HaSettings ha(int ordinal, boolean ordinalGiven) {
            HaSettings.Topology topology = choice("topology", HaSettings.Topology.SINGLE, HaSettings.Topology.class);
            HaSettings.Placement placement = choice("placement", HaSettings.Placement.LOCAL, HaSettings.Placement.class);
            String haBridge = matching("ha_bridge", "lbaas-ha", DEVICE, "a device name of at most 15 letters, digits, _ . -");
            Duration advert = duration("advert_interval", "100ms");
            if (advert.toMillis() < 10 || advert.toMillis() > 40_950 || advert.toMillis() % 10 != 0) {
                problems.add("advert_interval must be 10ms to 40950ms in whole centiseconds (VRRPv3): " + raw("advert_interval", ""));
                advert = Duration.ofMillis(100);
            }
            String keepalived = matching("keepalived_binary", "keepalived", PROGRAM, "a program name or path");
            String sysctl = matching("sysctl_binary", "sysctl", PROGRAM, "a program name or path");
            String flock = matching("flock_binary", "flock", PROGRAM, "a program name or path");
            String setsid = matching("setsid_binary", "setsid", PROGRAM, "a program name or path");
            if (topology == HaSettings.Topology.ACTIVE_STANDBY) {
                if (placement == HaSettings.Placement.SPLIT && ordinal > 1) {
                    problems.add("instance_ordinal must be 0 or 1 with topology active_standby and placement split "
                            + "(a pair has two instances): " + ordinal);
                }
                if (placement == HaSettings.Placement.LOCAL && ordinalGiven && ordinal != 0) {
                    problems.add("instance_ordinal must be left out (or 0) with topology active_standby and placement local: "
                            + "this driver runs both instances of each pair: " + ordinal);
                }
            } else if (settings.containsKey("placement")) {
                problems.add("placement applies only to topology active_standby, not " + topology.name().toLowerCase(Locale.ROOT));
            }
            return new HaSettings(topology, placement, haBridge, advert, keepalived, sysctl, flock, setsid);
        }

        <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
            String v = raw(key, fallback.name().toLowerCase(Locale.ROOT));
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            problems.add(key + " must be one of " + String.join(", ", names) + ": " + v);
            return fallback;
        }
    }

    private static Duration parseDuration(String v) {
        var m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(v);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}

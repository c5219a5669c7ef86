package org.lbaas.driver.haproxy.internal.keepalived;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link KeepalivedConfig} as a keepalived 2.2 configuration file. Every line is a
 * constant keyword of the grammar below followed by words that went through the validation routine
 * of their kind ({@link KeepalivedTokens}); nothing else reaches the text. The grammar (indent four
 * spaces per block level, {@code ?} marks an optional line):
 *
 * <pre>
 * global_defs {
 *     router_id NAME
 *     vrrp_version 3
 *   ? enable_script_security
 *   ? script_user root
 * }
 * track_file haproxy {
 *     file PATH
 *     weight 0
 *     init_file 1
 * }
 * vrrp_instance NAME {
 *     state BACKUP
 *     interface IFNAME
 *     virtual_router_id INT
 *     priority INT
 *     advert_int SECONDS
 *     nopreempt
 *     unicast_src_ip IPV4
 *     unicast_peer {
 *         IPV4
 *     }
 *     check_unicast_src
 *     virtual_ipaddress {
 *         IPV4/LEN dev IFNAME
 *     }
 *     virtual_ipaddress_excluded {
 *         IP/LEN dev IFNAME
 *     }
 *   ? track_interface {
 *         IFNAME            (one per tracked device)
 *     }
 *     track_file {
 *         haproxy
 *     }
 *     garp_master_delay 1
 *     garp_master_repeat 3
 *     garp_master_refresh 5
 *     garp_master_refresh_repeat 2
 *   ? notify PATH
 * }
 * </pre>
 *
 * The track file is declared before the instance because keepalived ignores a {@code track_file}
 * reference to a file declared after it; the top-level block is {@code track_file} (keepalived 2.2
 * logs {@code "vrrp_track_file" is deprecated} at start-up for the old name, which {@code -t} does
 * not report).
 */
public final class KeepalivedRenderer {

    /** The name of the track file declared for HAProxy's state. */
    static final String TRACK_FILE_NAME = "haproxy";
    /** Seconds after a takeover when a second round of gratuitous ARP / unsolicited NA is sent. */
    static final int GARP_MASTER_DELAY = 1;
    /** Gratuitous ARPs / unsolicited NAs sent per round. */
    static final int GARP_MASTER_REPEAT = 3;
    /**
     * Seconds between the MASTER's periodic rounds of gratuitous ARP / unsolicited NA (Octavia's
     * default): a neighbour that learnt the wrong instance during a brief dual-MASTER moment (adverts
     * delayed on a starved host, then the lower priority steps down) is corrected within this time
     * instead of keeping a stale entry until it expires.
     */
    static final int GARP_MASTER_REFRESH = 5;
    /** Gratuitous ARPs / unsolicited NAs per periodic round. */
    static final int GARP_MASTER_REFRESH_REPEAT = 2;

    private static final String INDENT = "    ";

    private KeepalivedRenderer() {
    }

    /**
     * Renders a configuration.
     *
     * @param config the configuration
     * @return the file text, ending with a line feed
     */
    public static String render(KeepalivedConfig config) {
        Objects.requireNonNull(config, "config");
        Lines out = new Lines();
        String name = config.instanceName();
        out.open(0, "global_defs");
        out.line(1, "router_id", name);
        out.line(1, "vrrp_version", "3");
        if (config.notifyScript().isPresent()) {
            out.line(1, "enable_script_security");
            out.line(1, "script_user", "root");
        }
        out.close(0);

        out.open(0, "track_file", TRACK_FILE_NAME);
        out.line(1, "file", KeepalivedTokens.path("trackFile", config.trackFile()));
        out.line(1, "weight", "0");
        out.line(1, "init_file", "1");
        out.close(0);

        out.open(0, "vrrp_instance", name);
        out.line(1, "state", "BACKUP");
        out.line(1, "interface", KeepalivedTokens.interfaceName("haInterface", config.haInterface()));
        out.line(1, "virtual_router_id", KeepalivedTokens.integer("virtualRouterId", config.virtualRouterId(), 1, 255));
        out.line(1, "priority", KeepalivedTokens.integer("priority", config.priority(), 1, 254));
        out.line(1, "advert_int", KeepalivedTokens.interval("advertInterval", config.advertInterval()));
        out.line(1, "nopreempt");
        out.line(1, "unicast_src_ip", KeepalivedTokens.address("unicastSource", config.unicastSource()));
        out.open(1, "unicast_peer");
        out.words(2, KeepalivedTokens.address("unicastPeer", config.unicastPeer()));
        out.close(1);
        out.line(1, "check_unicast_src");
        out.open(1, "virtual_ipaddress");
        out.words(2, config.haAddress().text("haAddress"));
        out.close(1);
        out.open(1, "virtual_ipaddress_excluded");
        out.words(2, config.vip().text("vip"));
        out.close(1);
        List<String> tracked = config.trackInterfaces();
        if (!tracked.isEmpty()) {
            out.open(1, "track_interface");
            for (int i = 0; i < tracked.size(); i++) {
                out.words(2, KeepalivedTokens.interfaceName("trackInterfaces[" + i + "]", tracked.get(i)));
            }
            out.close(1);
        }
        out.open(1, "track_file");
        out.words(2, TRACK_FILE_NAME);
        out.close(1);
        out.line(1, "garp_master_delay", Integer.toString(GARP_MASTER_DELAY));
        out.line(1, "garp_master_repeat", Integer.toString(GARP_MASTER_REPEAT));
        out.line(1, "garp_master_refresh", Integer.toString(GARP_MASTER_REFRESH));
        out.line(1, "garp_master_refresh_repeat", Integer.toString(GARP_MASTER_REFRESH_REPEAT));
        config.notifyScript().ifPresent(p -> out.line(1, "notify", KeepalivedTokens.path("notifyScript", p)));
        out.close(0);
        return out.toString();
    }

    /**
     * Returns the arguments (after the executable) that start keepalived for one instance with pid
     * files of its own: VRRP only ({@code --vrrp}, no health checker), {@code -f CONF},
     * {@code -p PID} for the parent, {@code -r VRRP_PID} for the VRRP child. Without distinct pid
     * files, a second keepalived on the host would find the first one's pid file and refuse to
     * start.
     *
     * @param config the configuration file
     * @param pidFile the parent's pid file
     * @param vrrpPidFile the VRRP child's pid file
     * @return the arguments
     */
    public static List<String> startArguments(Path config, Path pidFile, Path vrrpPidFile) {
        return List.of("--vrrp", "-f", KeepalivedTokens.path("config", config), "-p", KeepalivedTokens.path("pidFile", pidFile),
                "-r", KeepalivedTokens.path("vrrpPidFile", vrrpPidFile));
    }

    /**
     * Returns the arguments that check a configuration file without running it ({@code -t -f CONF});
     * keepalived exits 0 only when the file parses without a warning and every interface it names
     * exists, so the check runs inside the instance's namespace.
     *
     * @param config the configuration file
     * @return the arguments
     */
    public static List<String> checkArguments(Path config) {
        return List.of("-t", "-f", KeepalivedTokens.path("config", config));
    }

    /** Builds lines from keywords of the grammar and validated words. */
    private static final class Lines {
        private final StringBuilder text = new StringBuilder(1024);

        void line(int depth, String keyword, String... words) {
            text.append(INDENT.repeat(depth)).append(KeepalivedTokens.keyword(keyword));
            for (String word : words) {
                text.append(' ').append(word);
            }
            text.append('\n');
        }

        void words(int depth, String words) {
            text.append(INDENT.repeat(depth)).append(words).append('\n');
        }

        void open(int depth, String keyword, String... words) {
            text.append(INDENT.repeat(depth)).append(KeepalivedTokens.keyword(keyword));
            for (String word : words) {
                text.append(' ').append(word);
            }
            text.append(" {\n");
        }

        void close(int depth) {
            text.append(INDENT.repeat(depth)).append("}\n");
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}

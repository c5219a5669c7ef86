package org.lbaas.driver.haproxy.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lbaas.driver.haproxy.HaproxySettings;

/**
 * What a deployer may change in the configurations {@link HaproxyConfigRenderer} writes. Every
 * value is validated here, once, so that rendering never fails because of a setting.
 *
 * <table>
 *   <caption>Fields and defaults ({@link #defaults()})</caption>
 *   <tr><th>field</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code user}, {@code group}</td><td>{@code haproxy}, {@code haproxy}</td><td>the unprivileged account
 *       HAProxy switches to after it has opened its sockets (the driver's {@code user=auto} picks {@code haproxy} when
 *       the host has it, else {@code nobody}/{@code nogroup}; these defaults pin it so renderings do not depend on
 *       the host)</td></tr>
 *   <tr><td>{@code nbthread}</td><td>1</td><td>threads per HAProxy (a network node runs one HAProxy per load
 *       balancer); 1 to 64</td></tr>
 *   <tr><td>{@code defaultMaxconn}</td><td>2000</td><td>frontend {@code maxconn} for {@code connection_limit -1}
 *       ("unlimited"), lowered when the file-descriptor budget is smaller (see
 *       {@link HaproxyConfigRenderer})</td></tr>
 *   <tr><td>{@code openFilesLimit}</td><td>20000</td><td>the hard limit of open files HAProxy runs under (the
 *       driver passes the limit its JVM has, which the HAProxy it starts inherits); at least
 *       {@link #minimumOpenFilesLimit(int, int)}</td></tr>
 *   <tr><td>{@code maxServers}</td><td>1000</td><td>the most members a pool may have (the driver's capability):
 *       the file-descriptor budget reserves one per server so that the global {@code maxconn} does not depend
 *       on the member count, and member changes touch nothing but {@code server} lines</td></tr>
 *   <tr><td>{@code timeoutConnect}, {@code timeoutClient}, {@code timeoutServer}</td><td>5 s, 50 s, 50 s</td>
 *       <td>HAProxy's three proxy timeouts, in the {@code defaults} section</td></tr>
 *   <tr><td>{@code hardStopAfter}</td><td>30 s</td><td>how long a process replaced by a reload may finish its
 *       connections</td></tr>
 *   <tr><td>{@code logTarget}</td><td>none</td><td>where HAProxy logs (facility {@code local0}): an absolute
 *       path of a datagram socket such as {@code /dev/log}, an IP literal with an optional port ({@code 192.0.2.9},
 *       {@code 192.0.2.9:514}, {@code [2001:db8::9]:514}; UDP, port 514 by default), or {@code stdout} /
 *       {@code stderr} (written {@code format raw}); empty for no logging at all (then no {@code log},
 *       {@code option httplog} or {@code option tcplog} line is written: HAProxy warns about log formats without
 *       a log target)</td></tr>
 *   <tr><td>{@code stickTableSize}</td><td>102400</td><td>entries of the SOURCE_IP and APP_COOKIE stick
 *       tables</td></tr>
 *   <tr><td>{@code stickTableExpire}</td><td>30 min</td><td>how long an unused persistence entry lives</td></tr>
 *   <tr><td>{@code checkHost}</td><td>{@code lbaas-check}</td><td>the {@code Host} header of HTTP and HTTPS health
 *       checks (which are HTTP/1.1 requests)</td></tr>
 * </table>
 *
 * @param user the account HAProxy runs as
 * @param group the group HAProxy runs as
 * @param nbthread threads per process
 * @param defaultMaxconn frontend limit for unlimited VIPs
 * @param openFilesLimit the open-file hard limit HAProxy inherits
 * @param maxServers the most members a pool may have
 * @param timeoutConnect {@code timeout connect}
 * @param timeoutClient {@code timeout client}
 * @param timeoutServer {@code timeout server}
 * @param hardStopAfter {@code hard-stop-after}
 * @param logTarget the log target, empty for none
 * @param stickTableSize entries of a persistence stick table
 * @param stickTableExpire expiry of a persistence entry
 * @param checkHost the {@code Host} header of HTTP checks
 */
public record RenderSettings(String user, String group, int nbthread, int defaultMaxconn, long openFilesLimit,
                             int maxServers, Duration timeoutConnect, Duration timeoutClient, Duration timeoutServer,
                             Duration hardStopAfter, Optional<String> logTarget, int stickTableSize,
                             Duration stickTableExpire, String checkHost) {

    /** Descriptors HAProxy needs besides connections and checks (pollers, logs, pipes, CLI), measured ~26. */
    static final int FD_RESERVE = 64;
    /** Descriptors per thread (poller and wake-up pipe). */
    static final int FD_PER_THREAD = 3;
    /** Listening sockets of one instance: the VIP's bind and the stats socket. */
    static final int LISTENERS = 2;
    /**
     * Connections the global {@code maxconn} keeps above the frontend's, so that the stats socket
     * (which counts against the global limit) still answers the driver when the VIP is saturated.
     */
    static final int ADMIN_HEADROOM = 16;

    public RenderSettings {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(timeoutConnect, "timeoutConnect");
        Objects.requireNonNull(timeoutClient, "timeoutClient");
        Objects.requireNonNull(timeoutServer, "timeoutServer");
        Objects.requireNonNull(hardStopAfter, "hardStopAfter");
        Objects.requireNonNull(logTarget, "logTarget");
        Objects.requireNonNull(stickTableExpire, "stickTableExpire");
        Objects.requireNonNull(checkHost, "checkHost");
        // each value goes through the token routine that will write it, so a bad one fails here
        account(user);
        account(group);
        requireRange("nbthread", nbthread, 1, 64);
        requireRange("defaultMaxconn", defaultMaxconn, 1, 10_000_000);
        requireRange("maxServers", maxServers, 1, 100_000);
        requireRange("stickTableSize", stickTableSize, 1, 100_000_000);
        for (Duration d : List.of(timeoutConnect, timeoutClient, timeoutServer, hardStopAfter, stickTableExpire)) {
            Token.duration(d);
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException("durations must be at least 1 ms: " + d);
            }
        }
        logTarget.ifPresent(RenderSettings::logTokens);
        Token.logFormatLiteral(checkHost);
        long minimum = minimumOpenFilesLimit(nbthread, maxServers);
        if (openFilesLimit < minimum) {
            throw new IllegalArgumentException("an open-file limit of " + openFilesLimit + " is too low for " + maxServers
                    + " servers and " + nbthread + " thread(s): HAProxy needs at least " + minimum);
        }
    }

    /**
     * Returns the settings with every default (see the class comment).
     *
     * @return the defaults
     */
    public static RenderSettings defaults() {
        return new RenderSettings("haproxy", "haproxy", 1, 2000, 20_000, 1000, Duration.ofSeconds(5), Duration.ofSeconds(50),
                Duration.ofSeconds(50), Duration.ofSeconds(30), Optional.empty(), 102_400, Duration.ofMinutes(30),
                "lbaas-check");
    }

    /**
     * Takes the rendering settings from the driver's settings: user, group, nbthread, default
     * maxconn, the three timeouts, hard-stop-after and the log target; the rest keep their
     * defaults, and {@code maxServers} is the driver's member cap (1000).
     *
     * @param settings the driver's settings
     * @param openFilesHardLimit the open-file hard limit the HAProxy processes will inherit
     * @return the rendering settings
     * @throws IllegalArgumentException when a value cannot be rendered (a log target that is not
     *     a path, an IP literal or stdout/stderr) or the limit is too low
     */
    public static RenderSettings from(HaproxySettings settings, long openFilesHardLimit) {
        Objects.requireNonNull(settings, "settings");
        if (settings.user().equals(HaproxySettings.AUTO_ACCOUNT) || settings.group().equals(HaproxySettings.AUTO_ACCOUNT)) {
            throw new IllegalArgumentException("user and group 'auto' are resolved by the driver before rendering: user "
                    + settings.user() + ", group " + settings.group());
        }
        RenderSettings d = defaults();
        return new RenderSettings(settings.user(), settings.group(), settings.nbthread(), settings.defaultMaxconn(),
                openFilesHardLimit, d.maxServers(), settings.timeoutConnect(), settings.timeoutClient(),
                settings.timeoutServer(), settings.hardStopAfter(), settings.logTarget(), d.stickTableSize(),
                d.stickTableExpire(), d.checkHost());
    }

    /**
     * Returns a copy with another open-file limit.
     *
     * @param limit the hard limit HAProxy runs under
     * @return the copy
     */
    public RenderSettings withOpenFilesLimit(long limit) {
        return new RenderSettings(user, group, nbthread, defaultMaxconn, limit, maxServers, timeoutConnect, timeoutClient,
                timeoutServer, hardStopAfter, logTarget, stickTableSize, stickTableExpire, checkHost);
    }

    /**
     * Returns a copy with another log target.
     *
     * @param target the target, empty for none
     * @return the copy
     */
    public RenderSettings withLogTarget(Optional<String> target) {
        return new RenderSettings(user, group, nbthread, defaultMaxconn, openFilesLimit, maxServers, timeoutConnect,
                timeoutClient, timeoutServer, hardStopAfter, target, stickTableSize, stickTableExpire, checkHost);
    }

    /**
     * Returns a copy with another default frontend limit.
     *
     * @param maxconn the frontend {@code maxconn} for unlimited VIPs
     * @return the copy
     */
    public RenderSettings withDefaultMaxconn(int maxconn) {
        return new RenderSettings(user, group, nbthread, maxconn, openFilesLimit, maxServers, timeoutConnect,
                timeoutClient, timeoutServer, hardStopAfter, logTarget, stickTableSize, stickTableExpire, checkHost);
    }

    /**
     * Returns the smallest open-file limit under which an instance can start at all: the fixed
     * reserve, the threads' descriptors, one per server, the listeners, and two per connection for
     * {@code 1 + ADMIN_HEADROOM} connections.
     *
     * @param nbthread threads per process
     * @param maxServers the most servers
     * @return the limit
     */
    public static long minimumOpenFilesLimit(int nbthread, int maxServers) {
        return FD_RESERVE + (long) FD_PER_THREAD * nbthread + maxServers + LISTENERS + 2L * (1 + ADMIN_HEADROOM);
    }

    /**
     * Returns the largest global {@code maxconn} that lets HAProxy start under {@link #openFilesLimit}:
     * {@code (openFilesLimit - 64 - 3 * nbthread - maxServers - 2) / 2} (two descriptors per proxied
     * connection, one per checked server, the listeners and a fixed reserve), capped at 2^31-1.
     *
     * @return the cap
     */
    public int maxconnCap() {
        long budget = (openFilesLimit - FD_RESERVE - (long) FD_PER_THREAD * nbthread - maxServers - LISTENERS) / 2;
        return (int) Math.min(budget, Integer.MAX_VALUE);
    }

    /** The words after {@code log}: the target, then (for stdout/stderr) {@code format raw}. */
    List<Token> logTokens() {
        return logTarget.map(RenderSettings::logTokens).orElse(List.of());
    }

    private static List<Token> logTokens(String target) {
        if (target.equals("stdout") || target.equals("stderr")) {
            return List.of(Token.keyword(target), Token.keyword("format"), Token.keyword("raw"));
        }
        if (target.startsWith("/")) {
            return List.of(Token.path(target));
        }
        String host = target;
        int port = 514;
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("log target: missing ']' in " + InvalidTokenException.preview(target));
            }
            host = target.substring(1, close);
            String rest = target.substring(close + 1);
            if (!rest.isEmpty()) {
                port = port(rest, target);
            }
        } else if (target.indexOf(':') >= 0 && target.indexOf(':') == target.lastIndexOf(':')) {
            int colon = target.indexOf(':');
            host = target.substring(0, colon);
            port = port(target.substring(colon), target);
        }
        try {
            return List.of(Token.address(host, port));
        } catch (InvalidTokenException e) {
            throw new IllegalArgumentException("log target must be an absolute path, an IP literal with an optional port, "
                    + "stdout or stderr: " + InvalidTokenException.preview(target), e);
        }
    }

    private static int port(String colonAndPort, String target) {
        if (colonAndPort.length() < 2 || colonAndPort.length() > 6 || colonAndPort.charAt(0) != ':'
                || !colonAndPort.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("log target has a bad port: " + InvalidTokenException.preview(target));
        }
        return Integer.parseInt(colonAndPort.substring(1));
    }

    /** The token an account name is written as: bare when it is an identifier, else quoted. */
    static Token account(String name) {
        if (name.isEmpty() || name.length() > 32) {
            throw new IllegalArgumentException("user and group names are 1 to 32 characters: "
                    + InvalidTokenException.preview(name));
        }
        char first = name.charAt(0);
        boolean identStart = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9');
        return identStart ? Token.ident(name) : Token.quoted(name);
    }

    private static void requireRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + ": " + value);
        }
    }
}

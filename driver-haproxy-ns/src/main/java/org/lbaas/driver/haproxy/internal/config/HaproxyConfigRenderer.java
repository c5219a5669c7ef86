package org.lbaas.driver.haproxy.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.driver.haproxy.internal.ConfigRenderer;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Vip;

/**
 * The full HAProxy 2.6 renderer: a pure function from a deployable {@link LoadBalancer} (and the
 * instance's files) to configuration text, built only on the structured emitter
 * ({@link HaproxyConfig}, {@link Token}), so every model value reaches the text through the one
 * validation and escaping routine of its token kind. The same input always gives byte-identical
 * text; nothing is read from the environment.
 *
 * <h2>What is written</h2>
 * <pre>
 * global      user, group, nbthread, maxconn, stats socket &lt;sock&gt; mode 600 level admin expose-fd listeners,
 *             stats timeout 30s, hard-stop-after, [log &lt;target&gt; local0]
 * defaults    [log global], timeout connect/client/server, retries 3, option redispatch
 * frontend &lt;vip id&gt;   bind &lt;vip&gt;:&lt;port&gt;, mode, maxconn, [tcp-request connection reject],
 *             http: option forwardfor, option idle-close-on-response; [option httplog | tcplog]; default_backend
 * backend &lt;pool id&gt;   mode, balance (+ hash-type consistent), [disabled], persistence, health checks, servers
 * [peers peers-&lt;pool id&gt;  peer &lt;name&gt; &lt;address&gt;:&lt;port&gt; for each peer]
 * </pre>
 * No {@code daemon} and no {@code pidfile}: the driver passes {@code -D} and {@code -p}. No comments.
 *
 * <h2>Mapping of the model</h2>
 * <ul>
 *   <li><b>Protocol</b>: HTTP is {@code mode http}; TCP and HTTPS (TLS passthrough) are {@code mode tcp}.
 *       HTTP adds {@code option forwardfor} and {@code option idle-close-on-response} (measured: needed for
 *       lossless reloads of keep-alive clients). With a log target, HTTP gets {@code option httplog} and the
 *       others {@code option tcplog}; without one neither is written (HAProxy warns about a log format with no
 *       log address).</li>
 *   <li><b>lb_method</b>: {@code balance roundrobin}, {@code leastconn}, or {@code source} always followed by
 *       {@code hash-type consistent} (plain {@code source} refuses runtime {@code add server}).</li>
 *   <li><b>Session persistence</b>: SOURCE_IP is {@code stick-table type ipv6 size S expire E} + {@code stick on
 *       src} (IPv4 clients are stored v4-mapped, so one table serves both families); HTTP_COOKIE is
 *       {@code cookie SRV insert indirect nocache} and {@code cookie <member id>} on every server; APP_COOKIE is
 *       {@code stick-table type string len 64 size S expire E}, {@code stick store-response res.cook(NAME)} and
 *       {@code stick match req.cook(NAME)}: the table learns the application's cookie from responses and
 *       matches it in requests.</li>
 *   <li><b>Admin state</b>: a VIP that is admin down is not deployable and must not be rendered (the driver
 *       undeploys); a pool that is admin down is a {@code disabled} backend (HTTP clients get 503, TCP clients
 *       are closed; note that a disabled backend disappears from {@code show stat}, so its counters must come
 *       from elsewhere); a member that is admin down stays as a {@code disabled} server, so its state survives
 *       and the runtime API can enable it.</li>
 *   <li><b>Weight</b>: {@code weight 0..256} on every server, written even when it is 1.</li>
 *   <li><b>Servers</b>: one line per member, in the model's order, named by the member id, with the keywords
 *       always in this order: {@code server <id> <addr>:<port> weight W [cookie <id>] [check inter I fall F rise 2
 *       [check-ssl verify none]] [disabled]}. Nothing outside the server lines depends on the members, so a
 *       member-only change differs only in server lines (the driver applies those through the runtime API).</li>
 * </ul>
 *
 * <h2>Stick-table replication (optional)</h2>
 * Given a {@link PeerSet} ({@link #render(LoadBalancer, InstanceFiles, PeerSet)}), the configuration
 * also gets {@code localpeer <local name>} as the last line of {@code global}, a last section
 * {@code peers peers-<pool id>} with one {@code peer <name> <address>:<port>} line per peer in the set's
 * order, and {@code peers peers-<pool id>} at the end of the SOURCE_IP and APP_COOKIE {@code stick-table}
 * lines (HTTP_COOKIE has no table). The local peer is named by the {@code localpeer} global (HAProxy
 * 2.2 and later) rather than by {@code -L} on the command line: the configuration then says everything
 * on its own, {@code haproxy -dW -c} checks that the local peer is in the section (HAProxy 2.6.12 warns
 * "Removing incomplete section ... (no peer named ...)" otherwise, which zero-warning mode refuses),
 * and the driver's start and reload commands stay the same for both topologies. Without a peer set the
 * text is exactly what it was before replication existed.
 *
 * <h2>Connection limits and the file-descriptor budget</h2>
 * HAProxy needs two descriptors per proxied connection, one per checked server, one per listener and a
 * fixed reserve, and refuses to start when its global {@code maxconn} does not fit the open-file limit it
 * runs under ({@code haproxy -c} does not notice). With {@code L = openFilesLimit}, {@code T = nbthread},
 * {@code S = maxServers} (the driver's member cap, not the current member count, so that members never
 * change the global section):
 * <pre>
 * cap              = (L - 64 - 3*T - S - 2) / 2
 * frontend maxconn = connection_limit                       when connection_limit &gt;= 1
 *                  = 1, plus "tcp-request connection reject"  when connection_limit = 0
 *                  = min(defaultMaxconn, cap - 16)            when connection_limit = -1 ("unlimited")
 * global maxconn   = min(frontend maxconn + 16, cap)
 * </pre>
 * The 16 connections of headroom keep the stats socket (which counts against the global limit)
 * answering when the VIP is saturated. {@code maxconn 0} cannot express a limit of zero (HAProxy reads
 * it as "the global limit"), hence the reject rule: every connection is closed as soon as it is accepted
 * and never reaches a server. A connection limit above {@code cap - 16} is written as given on the frontend
 * but is bounded by the global {@code maxconn}; the driver's capabilities refuse such limits at the API.
 *
 * <h2>Health monitors: one check chain</h2>
 * Every associated monitor whose admin state is up takes effect; a member is up only when all of them pass.
 * HAProxy runs one check per server, but a check can be a sequence of rules that passes only when every
 * rule does, so the monitors are combined into one sequence:
 * <ul>
 *   <li>Monitors are ordered by id (as text) so the output does not depend on association order.</li>
 *   <li>Each HTTP or HTTPS monitor is one step: {@code http-check connect} ({@code connect ssl} for HTTPS:
 *       real HTTP over TLS, certificate not verified), {@code http-check send meth M uri PATH ver HTTP/1.1 hdr
 *       Host <checkHost>}, and {@code http-check expect status CODES}, after one {@code option httpchk}. A
 *       step that fails stops the sequence: the member is down.</li>
 *   <li>A TCP monitor is a TCP connect to the member's port, which every HTTP step does first; so with HTTP
 *       steps it adds no rule of its own, only its timing (below). With TCP monitors only, the check is a plain
 *       layer-4 {@code check}.</li>
 *   <li>When any HTTPS monitor takes part, servers get {@code check-ssl verify none} (measured: an explicit
 *       plain {@code connect} step still connects without TLS).</li>
 *   <li>PING is not supported (HAProxy can only ping through forked external checks, which cannot be combined
 *       with the HTTP sequence); the driver's capabilities exclude it, and this renderer throws
 *       {@link IllegalArgumentException} for an admin-up PING monitor rather than silently dropping it.
 *       Admin-down monitors of any type are ignored.</li>
 * </ul>
 * There is one interval, one failure count and one check timeout per server, so the strictest monitor wins
 * on each (every step then runs at least as often, and with no more time, than its own monitor asks):
 * <pre>
 * inter          = max(1 s, min(delay))         (HAProxy refuses 0)
 * timeout check  = max(1 s, min(timeout))       (in the backend)
 * timeout connect (backend) = min(timeoutConnect, timeout check)
 * fall           = min(max_retries)
 * rise           = 2 (HAProxy's default, written out)
 * </pre>
 * The backend's {@code timeout connect} is lowered because HAProxy bounds a check by about
 * {@code max(timeout check, min(timeout connect, inter))} (measured), so {@code timeout check} is exact only
 * when {@code timeout connect} does not exceed it; {@code inter >= timeout check} follows from each monitor's
 * {@code delay >= timeout}. The cost: a slower monitor is held to the fastest monitor's timeout.
 *
 * <h2>Expected codes</h2>
 * A range is written as is ({@code 200-204}); a single code or a list is written sorted, with runs of
 * consecutive codes merged into ranges ({@code 204,200,201,202} becomes {@code 200-202,204}), as
 * {@code http-check expect status}. A list that still has more than 64 items becomes
 * {@code http-check expect rstatus ^(c1|c2|...)$} with the codes in ascending order.
 */
public final class HaproxyConfigRenderer implements ConfigRenderer {

    private static final Token HTTP = Token.keyword("http");
    private static final Token TCP = Token.keyword("tcp");
    private static final Token SOCKET = Token.keyword("socket");
    private static final Token MODE = Token.keyword("mode");
    private static final Token MODE_600 = Token.number(600);
    private static final Token LEVEL = Token.keyword("level");
    private static final Token ADMIN = Token.keyword("admin");
    private static final Token EXPOSE_FD = Token.keyword("expose-fd");
    private static final Token LISTENERS = Token.keyword("listeners");
    private static final Token TIMEOUT = Token.keyword("timeout");
    private static final Token LOCAL0 = Token.keyword("local0");
    private static final Token GLOBAL = Token.keyword("global");
    private static final Token CONNECT = Token.keyword("connect");
    private static final Token CLIENT = Token.keyword("client");
    private static final Token SERVER = Token.keyword("server");
    private static final Token CHECK = Token.keyword("check");
    private static final Token STATS_TIMEOUT = Token.duration(Duration.ofSeconds(30));
    private static final Token RETRIES = Token.number(3);
    private static final Token REDISPATCH = Token.keyword("redispatch");
    private static final Token FORWARDFOR = Token.keyword("forwardfor");
    private static final Token IDLE_CLOSE = Token.keyword("idle-close-on-response");
    private static final Token HTTPLOG = Token.keyword("httplog");
    private static final Token TCPLOG = Token.keyword("tcplog");
    private static final Token TCP_REQUEST_CONNECTION = Token.keyword("connection");
    private static final Token REJECT = Token.keyword("reject");
    private static final Token ROUNDROBIN = Token.keyword("roundrobin");
    private static final Token LEASTCONN = Token.keyword("leastconn");
    private static final Token SOURCE = Token.keyword("source");
    private static final Token CONSISTENT = Token.keyword("consistent");
    private static final Token TYPE = Token.keyword("type");
    private static final Token IPV6 = Token.keyword("ipv6");
    private static final Token STRING = Token.keyword("string");
    private static final Token LEN = Token.keyword("len");
    private static final Token COOKIE_VALUE_LEN = Token.number(64);
    private static final Token SIZE = Token.keyword("size");
    private static final Token EXPIRE = Token.keyword("expire");
    private static final Token ON = Token.keyword("on");
    private static final Token SRC = Token.sampleFetch("src");
    private static final Token STORE_RESPONSE = Token.keyword("store-response");
    private static final Token MATCH = Token.keyword("match");
    private static final Token SRV = Token.ident("SRV");
    private static final Token INSERT = Token.keyword("insert");
    private static final Token INDIRECT = Token.keyword("indirect");
    private static final Token NOCACHE = Token.keyword("nocache");
    private static final Token HTTPCHK = Token.keyword("httpchk");
    private static final Token SSL = Token.keyword("ssl");
    private static final Token SEND = Token.keyword("send");
    private static final Token METH = Token.keyword("meth");
    private static final Token URI = Token.keyword("uri");
    private static final Token VER = Token.keyword("ver");
    private static final Token HTTP11 = Token.keyword("HTTP/1.1");
    private static final Token HDR = Token.keyword("hdr");
    private static final Token HOST = Token.keyword("Host");
    private static final Token EXPECT = Token.keyword("expect");
    private static final Token STATUS = Token.keyword("status");
    private static final Token RSTATUS = Token.keyword("rstatus");
    private static final Token WEIGHT = Token.keyword("weight");
    private static final Token COOKIE = Token.keyword("cookie");
    private static final Token INTER = Token.keyword("inter");
    private static final Token FALL = Token.keyword("fall");
    private static final Token RISE = Token.keyword("rise");
    private static final Token RISE_VALUE = Token.number(2);
    private static final Token CHECK_SSL = Token.keyword("check-ssl");
    private static final Token VERIFY = Token.keyword("verify");
    private static final Token NONE = Token.keyword("none");
    private static final Token DISABLED = Token.keyword("disabled");
    private static final Token PEERS = Token.keyword("peers");
    /** Prefix of the peers section's name, so that it never equals a proxy name. */
    static final String PEERS_SECTION_PREFIX = "peers-";
    private static final Token[] WEIGHTS = new Token[Member.MAX_WEIGHT + 1];
    private static final Token[] METHODS;

    /** The most items {@code http-check expect status} gets before the codes become a regex. */
    static final int MAX_STATUS_ITEMS = 64;
    /** The shortest check interval and check timeout HAProxy accepts from a monitor (it refuses 0). */
    static final Duration MIN_CHECK_TIME = Duration.ofSeconds(1);

    static {
        for (int w = 0; w < WEIGHTS.length; w++) {
            WEIGHTS[w] = Token.number(w);
        }
        org.lbaas.model.HttpMethod[] methods = org.lbaas.model.HttpMethod.values();
        METHODS = new Token[methods.length];
        for (org.lbaas.model.HttpMethod m : methods) {
            METHODS[m.ordinal()] = Token.keyword(m.name());
        }
    }

    private final RenderSettings settings;
    // settings-derived tokens, computed once
    private final Token user;
    private final Token group;
    private final Token nbthread;
    private final List<Token> logTokens;
    private final Token timeoutConnect;
    private final Token timeoutClient;
    private final Token timeoutServer;
    private final Token hardStopAfter;
    private final Token stickSize;
    private final Token stickExpire;
    private final Token checkHost;

    /**
     * Creates a renderer.
     *
     * @param settings the deployer's settings
     */
    public HaproxyConfigRenderer(RenderSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.user = RenderSettings.account(settings.user());
        this.group = RenderSettings.account(settings.group());
        this.nbthread = Token.number(settings.nbthread());
        this.logTokens = settings.logTokens();
        this.timeoutConnect = Token.duration(settings.timeoutConnect());
        this.timeoutClient = Token.duration(settings.timeoutClient());
        this.timeoutServer = Token.duration(settings.timeoutServer());
        this.hardStopAfter = Token.duration(settings.hardStopAfter());
        this.stickSize = Token.number(settings.stickTableSize());
        this.stickExpire = Token.duration(settings.stickTableExpire());
        this.checkHost = Token.logFormatLiteral(settings.checkHost());
    }

    /**
     * Returns the settings this renderer writes with.
     *
     * @return the settings
     */
    public RenderSettings settings() {
        return settings;
    }

    /**
     * Renders the configuration of a deployable load balancer.
     *
     * @param lb a load balancer whose VIP is present and admin up
     * @param files the instance's files (only the socket path is written)
     * @return the configuration text
     * @throws IllegalArgumentException when the load balancer is not deployable, has more members
     *     than {@link RenderSettings#maxServers()}, or has an admin-up PING monitor
     */
    @Override
    public String render(LoadBalancer lb, InstanceFiles files) {
        return build(lb, files, Optional.empty()).render();
    }

    /**
     * Renders the configuration of one instance of a pair that replicates its stick tables (see the
     * class comment): the same text as {@link #render(LoadBalancer, InstanceFiles)} plus
     * {@code localpeer}, the {@code peers} section and the tables' {@code peers} reference.
     *
     * @param lb a load balancer whose VIP is present and admin up
     * @param files the instance's files (only the socket path is written)
     * @param peers the instances that replicate, named from this instance's point of view
     * @return the configuration text
     * @throws IllegalArgumentException as {@link #render(LoadBalancer, InstanceFiles)}
     */
    public String render(LoadBalancer lb, InstanceFiles files, PeerSet peers) {
        return build(lb, files, Optional.of(Objects.requireNonNull(peers, "peers"))).render();
    }

    @Override
    public String render(LoadBalancer lb, InstanceFiles files, Optional<PeerSet> peers) {
        return build(lb, files, Objects.requireNonNull(peers, "peers")).render();
    }

    /**
     * Builds the configuration structure that {@link #render} writes.
     *
     * @param lb a load balancer whose VIP is present and admin up
     * @param files the instance's files
     * @return the configuration
     * @throws IllegalArgumentException as {@link #render}
     */
    public HaproxyConfig build(LoadBalancer lb, InstanceFiles files) {
        return build(lb, files, Optional.empty());
    }

    /**
     * Builds the configuration structure that {@link #render(LoadBalancer, InstanceFiles, PeerSet)}
     * writes, or without replication when {@code peers} is empty.
     *
     * @param lb a load balancer whose VIP is present and admin up
     * @param files the instance's files
     * @param peers the replicating instances, or empty for none
     * @return the configuration
     * @throws IllegalArgumentException as {@link #render}
     */
    public HaproxyConfig build(LoadBalancer lb, InstanceFiles files, Optional<PeerSet> peers) {
        Objects.requireNonNull(lb, "lb");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(files, "files");
        if (!lb.isDeployable()) {
            throw new IllegalArgumentException("load balancer " + lb.id()
                    + " is not deployable (no VIP, or its VIP is admin down): undeploy it instead of rendering");
        }
        if (lb.members().size() > settings.maxServers()) {
            throw new IllegalArgumentException("load balancer " + lb.id() + " has " + lb.members().size()
                    + " members; at most " + settings.maxServers() + " fit the file-descriptor budget");
        }
        Vip vip = lb.vip().orElseThrow();
        Pool pool = lb.pool();
        Checks checks = Checks.of(lb.activeMonitors());
        boolean http = pool.protocol().isHttp();
        boolean logging = !logTokens.isEmpty();
        Token mode = http ? HTTP : TCP;

        int cap = settings.maxconnCap();
        int feMaxconn;
        if (vip.unlimited()) {
            feMaxconn = Math.min(settings.defaultMaxconn(), cap - RenderSettings.ADMIN_HEADROOM);
        } else {
            feMaxconn = Math.max(1, vip.connectionLimit());
        }
        int globalMaxconn = (int) Math.min((long) feMaxconn + RenderSettings.ADMIN_HEADROOM, cap);

        HaproxyConfig.Builder config = HaproxyConfig.builder();
        Section.Builder global = config.global()
                .add("user", user)
                .add("group", group)
                .add("nbthread", nbthread)
                .add("maxconn", Token.number(globalMaxconn))
                .add("stats", SOCKET, Token.socketPath(files.socket().toString()), MODE, MODE_600, LEVEL, ADMIN,
                        EXPOSE_FD, LISTENERS)
                .add("stats", TIMEOUT, STATS_TIMEOUT)
                .add("hard-stop-after", hardStopAfter);
        if (logging) {
            List<Token> log = new ArrayList<>(logTokens.size() + 1);
            log.addAll(logTokens);
            log.add(LOCAL0);
            global.add("log", log);
        }
        Token peersName = peers.isPresent() ? Token.ident(PEERS_SECTION_PREFIX + lb.pool().id()) : null;
        if (peersName != null) {
            global.add("localpeer", Token.ident(peers.get().localName()));
        }

        Section.Builder defaults = config.defaults();
        if (logging) {
            defaults.add("log", GLOBAL);
        }
        defaults.add("timeout", CONNECT, timeoutConnect)
                .add("timeout", CLIENT, timeoutClient)
                .add("timeout", SERVER, timeoutServer)
                .add("retries", RETRIES)
                .add("option", REDISPATCH);

        Token backendName = Token.ident(pool.id().toString());
        Section.Builder fe = config.frontend(Token.ident(vip.id().toString()))
                .add("bind", Token.address(vip.address(), vip.protocolPort()))
                .add("mode", mode)
                .add("maxconn", Token.number(feMaxconn));
        if (vip.connectionLimit() == 0) {
            fe.add("tcp-request", TCP_REQUEST_CONNECTION, REJECT);
        }
        if (http) {
            fe.add("option", FORWARDFOR).add("option", IDLE_CLOSE);
        }
        if (logging) {
            fe.add("option", http ? HTTPLOG : TCPLOG);
        }
        fe.add("default_backend", backendName);

        Section.Builder be = config.backend(backendName).add("mode", mode);
        switch (pool.lbMethod()) {
            case ROUND_ROBIN -> be.add("balance", ROUNDROBIN);
            case LEAST_CONNECTIONS -> be.add("balance", LEASTCONN);
            case SOURCE_IP -> be.add("balance", SOURCE).add("hash-type", CONSISTENT);
        }
        if (!pool.adminStateUp()) {
            be.add("disabled");
        }
        boolean cookies = false;
        if (vip.sessionPersistence().isPresent()) {
            SessionPersistence sp = vip.sessionPersistence().get();
            switch (sp.type()) {
                case SOURCE_IP -> be.add("stick-table", table(peersName, TYPE, IPV6, SIZE, stickSize, EXPIRE, stickExpire))
                        .add("stick", ON, SRC);
                case HTTP_COOKIE -> {
                    be.add("cookie", SRV, INSERT, INDIRECT, NOCACHE);
                    cookies = true;
                }
                case APP_COOKIE -> {
                    String name = sp.cookieName().orElseThrow();
                    be.add("stick-table", table(peersName, TYPE, STRING, LEN, COOKIE_VALUE_LEN, SIZE, stickSize, EXPIRE,
                                    stickExpire))
                            .add("stick", STORE_RESPONSE, Token.sampleFetch("res.cook", name))
                            .add("stick", MATCH, Token.sampleFetch("req.cook", name));
                }
            }
        }
        if (checks.enabled()) {
            Duration connect = settings.timeoutConnect().compareTo(checks.timeout()) < 0
                    ? settings.timeoutConnect() : checks.timeout();
            be.add("timeout", CONNECT, Token.duration(connect))
                    .add("timeout", CHECK, Token.duration(checks.timeout()));
            if (!checks.httpSteps().isEmpty()) {
                be.add("option", HTTPCHK);
                for (HealthMonitor m : checks.httpSteps()) {
                    HttpCheck hc = m.httpCheck().orElseThrow();
                    if (m.type() == MonitorType.HTTPS) {
                        be.add("http-check", CONNECT, SSL);
                    } else {
                        be.add("http-check", CONNECT);
                    }
                    be.add("http-check", SEND, METH, METHODS[hc.method().ordinal()], URI, Token.httpUri(hc.urlPath()),
                            VER, HTTP11, HDR, HOST, checkHost);
                    be.add("http-check", expectation(hc.expectedCodes()));
                }
            }
        }
        servers(be, lb.members(), cookies, checks);
        if (peersName != null) {
            Section.Builder section = config.peers(peersName);
            List<PeerSet.Peer> list = peers.get().peers();
            for (int i = 0; i < list.size(); i++) {
                PeerSet.Peer p = list.get(i);
                section.add("peer", Token.ident(p.name()), PeerSet.endpoint("peers[" + i + "]", p));
            }
        }
        return config.build();
    }

    /** A stick-table line's words, followed by {@code peers <name>} when the table is replicated. */
    private static List<Token> table(Token peersName, Token... words) {
        List<Token> args = new ArrayList<>(words.length + 2);
        args.addAll(List.of(words));
        if (peersName != null) {
            args.add(PEERS);
            args.add(peersName);
        }
        return args;
    }

    private static void servers(Section.Builder be, List<Member> members, boolean cookies, Checks checks) {
        Token inter = checks.enabled() ? Token.duration(checks.inter()) : null;
        Token fall = checks.enabled() ? Token.number(checks.fall()) : null;
        int size = 4 + (cookies ? 2 : 0) + (checks.enabled() ? 7 : 0) + (checks.tls() ? 3 : 0) + 1;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            Token id = Token.ident(m.id().toString());
            List<Token> args = new ArrayList<>(size);
            args.add(id);
            args.add(Token.address(m.address(), m.protocolPort()));
            args.add(WEIGHT);
            args.add(WEIGHTS[m.weight()]);
            if (cookies) {
                args.add(COOKIE);
                args.add(id);
            }
            if (checks.enabled()) {
                args.add(CHECK);
                args.add(INTER);
                args.add(inter);
                args.add(FALL);
                args.add(fall);
                args.add(RISE);
                args.add(RISE_VALUE);
                if (checks.tls()) {
                    args.add(CHECK_SSL);
                    args.add(VERIFY);
                    args.add(NONE);
                }
            }
            if (!m.adminStateUp()) {
                args.add(DISABLED);
            }
            be.add("server", args);
        }
    }

    /** The arguments after {@code http-check}: {@code expect status ...} or {@code expect rstatus ...}. */
    static List<Token> expectation(ExpectedCodes codes) {
        if (codes.isRange()) {
            return List.of(EXPECT, STATUS, Token.statusCodes(codes.spec()));
        }
        List<Integer> sorted = codes.codes();
        List<String> items = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int start = sorted.get(i);
            int end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            items.add(start == end ? Integer.toString(start) : start + "-" + end);
            i++;
        }
        if (items.size() <= MAX_STATUS_ITEMS) {
            return List.of(EXPECT, STATUS, Token.statusCodes(String.join(",", items)));
        }
        StringBuilder regex = new StringBuilder("^(");
        for (int j = 0; j < sorted.size(); j++) {
            if (j > 0) {
                regex.append('|');
            }
            regex.append(sorted.get(j).intValue());
        }
        return List.of(EXPECT, RSTATUS, Token.regex(regex.append(")$").toString()));
    }

    /**
     * How the admin-up monitors combine (see the class comment).
     *
     * @param enabled whether servers are checked at all
     * @param httpSteps the HTTP and HTTPS monitors in id order, one step each
     * @param tls whether any step speaks TLS
     * @param inter the interval
     * @param timeout the check timeout
     * @param fall consecutive failures before a member is down
     */
    record Checks(boolean enabled, List<HealthMonitor> httpSteps, boolean tls, Duration inter, Duration timeout, int fall) {

        private static final Checks UNCHECKED = new Checks(false, List.of(), false, Duration.ZERO, Duration.ZERO, 0);

        static Checks of(List<HealthMonitor> active) {
            if (active.isEmpty()) {
                return UNCHECKED;
            }
            List<HealthMonitor> sorted = new ArrayList<>(active);
            sorted.sort(Comparator.comparing((HealthMonitor m) -> m.id().toString()));
            List<HealthMonitor> steps = new ArrayList<>();
            boolean tls = false;
            long delay = Long.MAX_VALUE;
            long timeout = Long.MAX_VALUE;
            int fall = Integer.MAX_VALUE;
            for (HealthMonitor m : sorted) {
                if (m.type() == MonitorType.PING) {
                    UUID id = m.id();
                    throw new IllegalArgumentException("health monitor " + id
                            + " is of type PING, which the haproxy-ns driver does not support (its capabilities exclude it)");
                }
                if (m.type().isHttp()) {
                    steps.add(m);
                    tls |= m.type() == MonitorType.HTTPS;
                }
                delay = Math.min(delay, m.delay());
                timeout = Math.min(timeout, m.timeout());
                fall = Math.min(fall, m.maxRetries());
            }
            long floor = MIN_CHECK_TIME.toSeconds();
            return new Checks(true, List.copyOf(steps), tls, Duration.ofSeconds(Math.max(floor, delay)),
                    Duration.ofSeconds(Math.max(floor, timeout)), fall);
        }
    }
}

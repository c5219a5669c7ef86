package org.lbaas.driver.haproxy.internal.config;

import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.httpMonitor;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.id;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.lb;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.lbaas.driver.haproxy.internal.keepalived.HaPair;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;

/**
 * The load balancers behind the golden files in {@code src/test/resources/golden/}: one per feature
 * and several realistic combinations. Each file is the renderer's output, reviewed like code.
 */
final class GoldenCases {

    /** Where the golden files live, relative to the module directory (surefire's working directory). */
    static final Path DIR = Path.of("src", "test", "resources", "golden");

    /** A case; with {@code peers} it is one instance of a pair that replicates its stick tables. */
    record Case(String name, RenderSettings settings, LoadBalancer lb, Optional<PeerSet> peers) {
        Case(String name, RenderSettings settings, LoadBalancer lb) {
            this(name, settings, lb, Optional.empty());
        }

        Path file() {
            return DIR.resolve(name + ".cfg");
        }

        String render() {
            HaproxyConfigRenderer r = new HaproxyConfigRenderer(settings);
            return peers.map(p -> r.render(lb, RenderFixtures.files(lb), p)).orElseGet(() -> r.render(lb, RenderFixtures.files(lb)));
        }
    }

    /** The replication port of the pair cases (Octavia's amphorae use the same). */
    static final int PEER_PORT = 1025;

    /** The peer set of instance {@code ordinal} of a pair: both instances on their HA link addresses. */
    static PeerSet pairPeers(HaPair pair, int ordinal) {
        return new PeerSet("instance-" + ordinal, List.of(
                new PeerSet.Peer("instance-0", pair.address(0), PEER_PORT),
                new PeerSet.Peer("instance-1", pair.address(1), PEER_PORT)));
    }

    private GoldenCases() {
    }

    static List<Case> all() {
        RenderSettings d = RenderSettings.defaults();
        List<Case> c = new ArrayList<>();

        // the v1 seed configuration's load balancer (shared/reference/lbaas-v1-seed.txt), logging to /dev/log as v1 did
        c.add(new Case("v1-seed", d.withLogTarget(Optional.of("/dev/log")), RenderFixtures.seed()));

        // ---- protocols, modes and balancing methods
        c.add(new Case("http-roundrobin", d, lb(Protocol.HTTP).members(2).build()));
        c.add(new Case("tcp-leastconn", d, lb(Protocol.TCP).vipPort(5432).method(LbMethod.LEAST_CONNECTIONS).members(3).build()));
        c.add(new Case("https-passthrough-source", d,
                lb(Protocol.HTTPS).vipPort(443).method(LbMethod.SOURCE_IP).members(2).build()));
        c.add(new Case("no-members", d, lb(Protocol.HTTP).monitor(httpDefault(1)).build()));

        // ---- session persistence
        c.add(new Case("persistence-source-ip", d,
                lb(Protocol.HTTP).persistence(SessionPersistence.sourceIp()).members(2).build()));
        c.add(new Case("persistence-http-cookie", d,
                lb(Protocol.HTTP).persistence(SessionPersistence.httpCookie()).members(2).build()));
        c.add(new Case("persistence-app-cookie", d,
                lb(Protocol.HTTP).persistence(SessionPersistence.appCookie("JSESSIONID")).members(2).build()));
        // every RFC 6265 token character that means something to HAProxy's parsers, in cookie name and path
        c.add(new Case("escaping-cookie-name-and-path", d, lb(Protocol.HTTP)
                .persistence(SessionPersistence.appCookie("x!#$%&'*+^`|~y"))
                .monitor(httpMonitor(1, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/h'a$b?q=%20&x=(1),;=:@!*+~", "200"))
                .members(1).build()));

        // ---- health monitors
        c.add(new Case("monitor-tcp-floors", d, lb(Protocol.TCP).monitor(monitor(1, MonitorType.TCP, 1, 1, 1)).members(2).build()));
        c.add(new Case("monitor-http", d, lb(Protocol.HTTP)
                .monitor(httpMonitor(1, MonitorType.HTTP, 10, 4, 5, HttpMethod.HEAD, "/healthz?full=1", "200,202"))
                .members(2).build()));
        c.add(new Case("monitor-https", d, lb(Protocol.HTTPS).vipPort(443)
                .monitor(httpMonitor(1, MonitorType.HTTPS, 5, 2, 3, HttpMethod.GET, "/status", "200-299"))
                .members(2).build()));
        c.add(new Case("monitors-three", d, lb(Protocol.HTTP)
                .monitor(httpMonitor(3, MonitorType.HTTPS, 30, 10, 2, HttpMethod.HEAD, "/tls", "200"))
                .monitor(monitor(1, MonitorType.TCP, 10, 3, 5))
                .monitor(httpMonitor(2, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/a", "200-204"))
                // admin down: ignored, PING included
                .monitor(monitor(4, MonitorType.PING, 1, 1, 1).toBuilder().adminStateUp(false).build())
                .monitor(httpMonitor(5, MonitorType.HTTP, 1, 1, 1, HttpMethod.GET, "/ignored", "500").toBuilder()
                        .adminStateUp(false).build())
                .members(2).build()));
        c.add(new Case("expected-codes", d, lb(Protocol.HTTP)
                .monitor(httpMonitor(1, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/one", "204"))
                .monitor(httpMonitor(2, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/list", "302, 204,200,201,202"))
                .monitor(httpMonitor(3, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/range", "200-399"))
                .monitor(httpMonitor(4, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/many", everyOtherCode(100, 65)))
                .members(1).build()));

        // ---- admin state, weights, limits, logging
        c.add(new Case("admin-down-pool-and-members", d, lb(Protocol.HTTP).poolUp(false)
                .member(id(0xc, 1), "192.0.2.1", 8080, 1, true).member(id(0xc, 2), "192.0.2.2", 8080, 1, false)
                .monitor(monitor(1, MonitorType.TCP, 5, 5, 3)).build()));
        c.add(new Case("weights", d, lb(Protocol.TCP)
                .member(id(0xc, 1), "192.0.2.1", 8080, 0, true).member(id(0xc, 2), "192.0.2.2", 8080, 1, true)
                .member(id(0xc, 3), "192.0.2.3", 8080, 256, true).build()));
        c.add(new Case("connection-limit-0", d, lb(Protocol.HTTP).connectionLimit(0).members(1).build()));
        c.add(new Case("connection-limit-0-tcp", d, lb(Protocol.TCP).connectionLimit(0).members(1).build()));
        c.add(new Case("connection-limit-500", d, lb(Protocol.HTTP).connectionLimit(500).members(1).build()));
        c.add(new Case("connection-limit-unlimited", d, lb(Protocol.HTTP).members(1).build()));
        c.add(new Case("connection-limit-unlimited-fd-bound", d.withOpenFilesLimit(2000),
                lb(Protocol.HTTP).members(1).build()));
        c.add(new Case("logging-tcp", d.withLogTarget(Optional.of("127.0.0.1:5514")), lb(Protocol.TCP).members(1).build()));
        c.add(new Case("logging-http-ipv6-target", d.withLogTarget(Optional.of("[2001:db8::514]")),
                lb(Protocol.HTTP).members(1).build()));

        // ---- an ACTIVE_STANDBY pair replicating its stick table: both instances' configurations
        HaPair pair = new HaPair(5);
        LoadBalancer sourceIp = lb(Protocol.TCP).vipPort(3306).persistence(SessionPersistence.sourceIp())
                .monitor(monitor(1, MonitorType.TCP, 2, 1, 3)).members(2).build();
        LoadBalancer appCookie = lb(Protocol.HTTP).persistence(SessionPersistence.appCookie("JSESSIONID"))
                .monitor(httpDefault(1)).members(2).build();
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            c.add(new Case("pair-source-ip-instance-" + ordinal, d, sourceIp, Optional.of(pairPeers(pair, ordinal))));
            c.add(new Case("pair-app-cookie-instance-" + ordinal, d, appCookie, Optional.of(pairPeers(pair, ordinal))));
        }

        // ---- realistic combinations
        c.add(new Case("ipv6-http-source-ip-persistence", d, lb(Protocol.HTTP)
                .subnet("2001:db8:0:1::/64", "2001:db8:0:1::1").vipAddress("2001:db8:0:1::10")
                .persistence(SessionPersistence.sourceIp()).method(LbMethod.LEAST_CONNECTIONS)
                .monitor(httpDefault(1)).members(3).build()));
        c.add(new Case("app-cookie-with-https-check", d.withLogTarget(Optional.of("/dev/log")), lb(Protocol.HTTP)
                .persistence(SessionPersistence.appCookie("PHPSESSID")).connectionLimit(10000)
                .monitor(httpMonitor(1, MonitorType.HTTPS, 3, 2, 2, HttpMethod.GET, "/health", "200,204"))
                .members(3).build()));
        c.add(new Case("tcp-source-ip-persistence", d, lb(Protocol.TCP).vipPort(3306).method(LbMethod.SOURCE_IP)
                .persistence(SessionPersistence.sourceIp()).connectionLimit(200)
                .monitor(monitor(1, MonitorType.TCP, 2, 1, 3)).members(3).build()));
        c.add(new Case("http-cookie-three-monitors-mixed-members", d, lb(Protocol.HTTP)
                .persistence(SessionPersistence.httpCookie())
                .monitor(monitor(1, MonitorType.TCP, 15, 5, 4))
                .monitor(httpMonitor(2, MonitorType.HTTP, 6, 3, 3, HttpMethod.GET, "/", "200"))
                .monitor(httpMonitor(3, MonitorType.HTTP, 20, 20, 10, HttpMethod.OPTIONS, "/ready?probe=lb", "200-204"))
                .member(id(0xc, 1), "10.0.0.11", 8080, 10, true).member(id(0xc, 2), "10.0.0.12", 8080, 0, true)
                .member(id(0xc, 3), "10.0.0.13", 8080, 5, false).member(id(0xc, 4), "2001:db8:2::13", 8443, 1, true)
                .build()));
        return List.copyOf(c);
    }

    static HealthMonitor httpDefault(int n) {
        return HealthMonitor.builder().id(id(0xd, n)).tenantId(RenderFixtures.TENANT).type(MonitorType.HTTP).build();
    }

    /** {@code count} codes from {@code first} in steps of two: no two consecutive, so nothing merges. */
    static String everyOtherCode(int first, int count) {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            j.add(Integer.toString(first + 2 * i));
        }
        return j.toString();
    }
}

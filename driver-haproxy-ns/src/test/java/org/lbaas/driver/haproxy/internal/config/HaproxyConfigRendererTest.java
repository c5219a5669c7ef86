package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.files;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.httpMonitor;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.id;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.lb;
import static org.lbaas.driver.haproxy.internal.config.RenderFixtures.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.runtime.RuntimePlan;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;

class HaproxyConfigRendererTest {

    private final HaproxyConfigRenderer renderer = new HaproxyConfigRenderer(RenderSettings.defaults());

    private String render(LoadBalancer lb) {
        return renderer.render(lb, files(lb));
    }

    private static List<String> lines(String config, String prefix) {
        return config.lines().map(String::strip).filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void refusesWhatIsNotDeployable() {
        LoadBalancer down = lb(Protocol.HTTP).vipUp(false).members(1).build();
        assertThrows(IllegalArgumentException.class, () -> render(down));
        LoadBalancer noVip = down.withVip(Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> render(noVip));
    }

    @Test
    void anAdminUpPingMonitorIsRefusedAndAnAdminDownOneIgnored() {
        LoadBalancer ping = lb(Protocol.TCP).monitor(monitor(1, MonitorType.PING, 5, 5, 3)).members(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> render(ping));
        assertTrue(e.getMessage().contains("PING"), e.getMessage());
        LoadBalancer off = lb(Protocol.TCP).monitor(monitor(1, MonitorType.PING, 5, 5, 3).toBuilder().adminStateUp(false).build())
                .members(1).build();
        assertEquals(render(lb(Protocol.TCP).members(1).build()), render(off));
    }

    @Test
    void refusesMoreMembersThanTheDescriptorBudgetReserves() {
        RenderSettings small = new RenderSettings("nobody", "nogroup", 1, 100, 20_000, 2, Duration.ofSeconds(5),
                Duration.ofSeconds(50), Duration.ofSeconds(50), Duration.ofSeconds(30), Optional.empty(), 10, Duration.ofMinutes(1),
                "h");
        LoadBalancer three = lb(Protocol.TCP).members(3).build();
        assertThrows(IllegalArgumentException.class, () -> new HaproxyConfigRenderer(small).render(three, files(three)));
        LoadBalancer two = lb(Protocol.TCP).members(2).build();
        assertEquals(2, lines(new HaproxyConfigRenderer(small).render(two, files(two)), "server ").size());
    }

    @Test
    void globalMaxconnFollowsTheDocumentedFormula() {
        RenderSettings s = RenderSettings.defaults();
        // (20000 - 64 - 3*1 - 1000 - 2) / 2
        assertEquals(9465, s.maxconnCap());
        assertEquals(List.of("maxconn 2016", "maxconn 2000"), lines(render(lb(Protocol.HTTP).build()), "maxconn"));
        assertEquals(List.of("maxconn 516", "maxconn 500"), lines(render(lb(Protocol.HTTP).connectionLimit(500).build()), "maxconn"));
        assertEquals(List.of("maxconn 17", "maxconn 1"), lines(render(lb(Protocol.HTTP).connectionLimit(0).build()), "maxconn"));
        // an explicit limit beyond the budget stays on the frontend; the global limit is the cap
        assertEquals(List.of("maxconn 9465", "maxconn 100000"),
                lines(render(lb(Protocol.HTTP).connectionLimit(100_000).build()), "maxconn"));
        // unlimited is lowered to what the descriptors allow
        RenderSettings tight = s.withOpenFilesLimit(2000);
        assertEquals(465, tight.maxconnCap());
        LoadBalancer unlimited = lb(Protocol.HTTP).build();
        assertEquals(List.of("maxconn 465", "maxconn 449"),
                lines(new HaproxyConfigRenderer(tight).render(unlimited, files(unlimited)), "maxconn"));
        assertEquals(RenderSettings.minimumOpenFilesLimit(1, 1000), 64 + 3 + 1000 + 2 + 34);
        assertThrows(IllegalArgumentException.class, () -> s.withOpenFilesLimit(RenderSettings.minimumOpenFilesLimit(1, 1000) - 1));
        RenderSettings barely = s.withOpenFilesLimit(RenderSettings.minimumOpenFilesLimit(1, 1000));
        assertEquals(17, barely.maxconnCap());
    }

    @Test
    void connectionLimitZeroRejectsEveryConnection() {
        String http = render(lb(Protocol.HTTP).connectionLimit(0).members(1).build());
        assertEquals(List.of("tcp-request connection reject"), lines(http, "tcp-request"));
        assertEquals(List.of(), lines(render(lb(Protocol.HTTP).connectionLimit(1).members(1).build()), "tcp-request"));
    }

    @Test
    void monitorsCombineStrictestFirst() {
        LoadBalancer lb = lb(Protocol.HTTP)
                .monitor(monitor(1, MonitorType.TCP, 20, 7, 9))
                .monitor(httpMonitor(2, MonitorType.HTTP, 8, 6, 4, HttpMethod.GET, "/a", "200"))
                .monitor(httpMonitor(3, MonitorType.HTTPS, 30, 2, 6, HttpMethod.HEAD, "/b", "200"))
                .members(1).build();
        String config = render(lb);
        assertEquals(List.of("timeout connect 5s", "timeout client 50s", "timeout server 50s", "timeout connect 2s",
                "timeout check 2s"), lines(config, "timeout"));
        assertEquals(List.of("http-check connect", "http-check connect ssl"), lines(config, "http-check connect"));
        assertTrue(lines(config, "server ").get(0).endsWith(" check inter 8s fall 4 rise 2 check-ssl verify none"), config);
    }

    @Test
    void monitorOrderDoesNotMatter() {
        var a = httpMonitor(2, MonitorType.HTTP, 8, 6, 4, HttpMethod.GET, "/a", "200");
        var b = httpMonitor(1, MonitorType.HTTP, 9, 3, 2, HttpMethod.PUT, "/b", "201");
        assertEquals(render(lb(Protocol.HTTP).monitor(a).monitor(b).members(2).build()),
                render(lb(Protocol.HTTP).monitor(b).monitor(a).members(2).build()));
    }

    @Test
    void tcpMonitorsAloneAreALayer4CheckWithTheSmallestTimings() {
        String config = render(lb(Protocol.TCP).monitor(monitor(1, MonitorType.TCP, 1, 1, 10)).members(1).build());
        assertEquals(List.of(), lines(config, "option httpchk"));
        assertEquals(List.of(), lines(config, "http-check"));
        assertTrue(lines(config, "server ").get(0).endsWith(" weight 1 check inter 1s fall 10 rise 2"), config);
        assertEquals(List.of("timeout check 1s"), lines(config, "timeout check"));
    }

    @Test
    void expectedCodesAreSortedMergedAndFallBackToARegex() {
        assertEquals("expect status 200", words(HaproxyConfigRenderer.expectation(ExpectedCodes.parse("200"))));
        assertEquals("expect status 200-202,204,302",
                words(HaproxyConfigRenderer.expectation(ExpectedCodes.parse("302,204, 201,200,202"))));
        assertEquals("expect status 201-204", words(HaproxyConfigRenderer.expectation(ExpectedCodes.parse("201-204"))));
        String sixtyFour = GoldenCases.everyOtherCode(100, 64);
        assertEquals("expect status " + sixtyFour, words(HaproxyConfigRenderer.expectation(ExpectedCodes.parse(sixtyFour))));
        String many = GoldenCases.everyOtherCode(100, 65);
        assertEquals("expect rstatus \"^(" + many.replace(',', '|') + ")\\$\"",
                words(HaproxyConfigRenderer.expectation(ExpectedCodes.parse(many))));
    }

    private static String words(List<Token> tokens) {
        return String.join(" ", tokens.stream().map(Token::text).toList());
    }

    @Test
    void modeDependentOptionsOnlyWhereTheyAreValid() {
        String tcp = render(lb(Protocol.TCP).members(1).build());
        String https = render(lb(Protocol.HTTPS).members(1).build());
        for (String c : List.of(tcp, https)) {
            assertEquals(List.of("mode tcp", "mode tcp"), lines(c, "mode"));
            assertEquals(List.of(), lines(c, "option forwardfor"));
            assertEquals(List.of(), lines(c, "option idle-close"));
            assertEquals(List.of(), lines(c, "option tcplog"));
        }
        HaproxyConfigRenderer logging = new HaproxyConfigRenderer(RenderSettings.defaults().withLogTarget(Optional.of("/dev/log")));
        LoadBalancer t = lb(Protocol.TCP).members(1).build();
        assertEquals(List.of("option tcplog"), lines(logging.render(t, files(t)), "option tcplog"));
        LoadBalancer h = lb(Protocol.HTTP).members(1).build();
        assertEquals(List.of("option httplog"), lines(logging.render(h, files(h)), "option httplog"));
        assertEquals(List.of("log /dev/log local0", "log global"), lines(logging.render(h, files(h)), "log "));
        assertEquals(List.of(), lines(render(h), "log "));
    }

    @Test
    void logTargetsAreParsedIntoTokens() {
        assertEquals("127.0.0.1:514", words(RenderSettings.defaults().withLogTarget(Optional.of("127.0.0.1")).logTokens()));
        assertEquals("[2001:db8::1]:1514",
                words(RenderSettings.defaults().withLogTarget(Optional.of("[2001:db8::1]:1514")).logTokens()));
        assertEquals("[2001:db8::1]:514", words(RenderSettings.defaults().withLogTarget(Optional.of("2001:db8::1")).logTokens()));
        assertEquals("stdout format raw", words(RenderSettings.defaults().withLogTarget(Optional.of("stdout")).logTokens()));
        assertEquals("/dev/log", words(RenderSettings.defaults().withLogTarget(Optional.of("/dev/log")).logTokens()));
        for (String bad : List.of("udp@127.0.0.1:514", "localhost:514", "127.0.0.1:", "127.0.0.1:99999x", "[::1", "dev/log",
                "/dev/log local7\n", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> RenderSettings.defaults().withLogTarget(Optional.of(bad)), bad);
        }
    }

    @Test
    void settingsComeFromTheDriversSettings() {
        HaproxySettings hs = HaproxySettings.parse(Map.of("user", "_haproxy", "group", "haproxy", "nbthread", "2",
                "default_maxconn", "3000", "timeout_connect", "2s", "timeout_client", "1m", "timeout_server", "90s",
                "hard_stop_after", "10s", "log_target", "127.0.0.1:5514"));
        RenderSettings rs = RenderSettings.from(hs, 65_536);
        assertEquals(new RenderSettings("_haproxy", "haproxy", 2, 3000, 65_536, 1000, Duration.ofSeconds(2), Duration.ofMinutes(1),
                Duration.ofSeconds(90), Duration.ofSeconds(10), Optional.of("127.0.0.1:5514"), 102_400, Duration.ofMinutes(30),
                "lbaas-check"), rs);
        LoadBalancer lb = lb(Protocol.HTTP).build();
        String config = new HaproxyConfigRenderer(rs).render(lb, files(lb));
        assertEquals(List.of("user \"_haproxy\"", "group haproxy", "nbthread 2", "maxconn 3016"),
                config.lines().skip(1).limit(4).map(String::strip).toList());
        RenderSettings defaults = RenderSettings.from(HaproxySettings.defaults().withAccount("haproxy", "haproxy"), 20_000);
        assertEquals(RenderSettings.defaults(), defaults);
        assertThrows(IllegalArgumentException.class, () -> RenderSettings.from(HaproxySettings.defaults(), 20_000),
                "an unresolved 'auto' account is never rendered");
    }

    @Test
    void theSocketPathIsTheInstancesAndBoundedByHaproxysLimit() {
        LoadBalancer lb = lb(Protocol.HTTP).build();
        String config = render(lb);
        assertEquals(List.of("stats socket /var/lib/lbaas/haproxy/" + lb.id() + "/sock mode 600 level admin expose-fd listeners",
                "stats timeout 30s"), lines(config, "stats"));
        Path deep = Path.of("/" + "d".repeat(60));
        InstanceFiles tooLong = new InstanceFiles(deep, deep.resolve("c"), deep.resolve("p"), deep.resolve("x".repeat(40)));
        assertThrows(InvalidTokenException.class, () -> renderer.render(lb, tooLong));
    }

    @Test
    void memberOnlyChangesTouchOnlyServerLinesSoTheRuntimeApiCanApplyThem() {
        LoadBalancer before = lb(Protocol.HTTP).monitor(httpMonitor(1, MonitorType.HTTP, 5, 5, 3, HttpMethod.GET, "/", "200"))
                .members(3).build();
        List<Member> changed = new ArrayList<>(before.members());
        changed.set(0, changed.get(0).toBuilder().weight(7).build());
        changed.set(1, changed.get(1).toBuilder().adminStateUp(false).build());
        changed.remove(2);
        changed.add(Member.builder().id(id(0xc, 99)).tenantId(RenderFixtures.TENANT).poolId(before.id()).address("192.0.2.99")
                .protocolPort(80).build());
        LoadBalancer after = before.withMembers(changed);
        Optional<RuntimePlan> plan = RuntimePlan.plan(render(before), render(after));
        assertTrue(plan.isPresent());
        assertEquals(List.of(
                "add server " + before.id() + "/" + id(0xc, 99) + " 192.0.2.99:80 weight 1 check inter 5s fall 3 rise 2",
                "enable health " + before.id() + "/" + id(0xc, 99),
                "enable server " + before.id() + "/" + id(0xc, 99),
                "set weight " + before.id() + "/" + id(0xc, 1) + " 7",
                "set server " + before.id() + "/" + id(0xc, 2) + " state maint",
                "set server " + before.id() + "/" + id(0xc, 3) + " state maint",
                "del server " + before.id() + "/" + id(0xc, 3)), plan.get().commands());
        // cookie persistence needs a reload: the runtime API cannot give a new server its cookie
        LoadBalancer cookies = before.withVip(before.vip().map(v -> v.toBuilder().sessionPersistence(SessionPersistence.httpCookie()).build()));
        assertFalse(RuntimePlan.plan(render(cookies), render(cookies.withMembers(changed))).isPresent());
    }

    @Test
    void memberAdminDownStaysAsADisabledServer() {
        LoadBalancer lb = lb(Protocol.TCP).member(id(0xc, 1), "192.0.2.1", 80, 3, false).build();
        assertEquals(List.of("server " + id(0xc, 1) + " 192.0.2.1:80 weight 3 disabled"), lines(render(lb), "server "));
    }

    @Test
    void buildExposesTheStructureThatRenderWrites() {
        LoadBalancer lb = lb(Protocol.HTTP).persistence(SessionPersistence.appCookie("A")).members(2).build();
        HaproxyConfig config = renderer.build(lb, files(lb));
        assertEquals(render(lb), config.render());
        assertEquals(List.of(Section.Type.GLOBAL, Section.Type.DEFAULTS, Section.Type.FRONTEND, Section.Type.BACKEND),
                config.sections().stream().map(Section::type).toList());
    }
}

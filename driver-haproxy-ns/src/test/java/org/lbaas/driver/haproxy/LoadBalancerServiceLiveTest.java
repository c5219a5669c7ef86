package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * The tenant flow of the issue, through {@link LoadBalancerService} with the {@code haproxy-ns}
 * driver, against real HAProxy in real namespaces with real HTTP traffic.
 */
class LoadBalancerServiceLiveTest extends LiveEnvTest {

    static final String TENANT = "tenant-live";

    LoadBalancerService service;
    Subnet subnet;

    @BeforeEach
    void setUp() {
        subnet = Subnet.of(UUID.randomUUID(), env.topology.ipv4Subnet(), env.topology.ipv4Gateway().getHostAddress());
        service = LoadBalancerService.builder().driver(env.driver).subnets(SubnetRegistry.of(subnet)).build();
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
    }

    static <T> T done(Pending<T> p) throws Exception {
        return p.outcome().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Creates a pool with members on the given backends and a VIP, waits until ACTIVE. */
    private LoadBalancer create(LbMethod method, VipOptions vip, String... backends) throws Exception {
        UUID pool = done(service.createPool(PoolCreate.of(TENANT, subnet.id(), Protocol.HTTP, method))).id();
        for (String b : backends) {
            Member m = done(service.createMember(MemberCreate.of(TENANT, pool, env.topology.host(b).ipv4().getHostAddress(), 8080)));
            assertEquals(Status.ACTIVE, m.status());
        }
        VipCreate request = VipCreate.of(TENANT, subnet.id(), 80, Protocol.HTTP, pool).withAddress(env.topology.allocateIpv4());
        request = vip.apply(request);
        Vip created = done(service.createVip(request));
        assertEquals(Status.ACTIVE, created.status(), created.statusDescription());
        return service.loadBalancer(pool);
    }

    interface VipOptions extends java.util.function.UnaryOperator<VipCreate> {
    }

    private UUID memberOn(LoadBalancer lb, String backend) {
        String address = env.topology.host(backend).ipv4().getHostAddress();
        return lb.members().stream().filter(m -> m.address().getHostAddress().equals(address)).findFirst().orElseThrow().id();
    }

    @Test
    void roundRobinHealthMonitorStatsAndUndeployThroughTheService() throws Exception {
        LoadBalancer lb = create(LbMethod.ROUND_ROBIN, v -> v, "a", "b", "c");
        UUID monitor = done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.HTTP, 1, 1, 2)
                .withHttp(HttpMethod.GET, "/health", "200"))).id();
        done(service.associate(lb.id(), monitor));
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(lb, 30))));
        PoolStats before = service.stats(lb.id());
        env.requests(lb, 10);
        PoolStats after = service.stats(lb.id());
        assertTrue(after.totalConnections() > before.totalConnections() && after.bytesOut() > before.bytesOut(), before + " -> " + after);

        UUID b = memberOn(lb, "b");
        await("every member UP", Duration.ofSeconds(10),
                () -> service.memberHealth(lb.id()).values().stream().allMatch(h -> h == MemberHealth.UP));
        env.backendControl("b", "/control/fail");
        await("b DOWN within delay x max_retries + slack", Duration.ofSeconds(1 * 2 + 3),
                () -> service.memberHealth(lb.id()).get(b) == MemberHealth.DOWN);
        assertEquals(Map.of("a", 10, "c", 10), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(lb, 20))));
        env.backendControl("b", "/control/recover");
        await("b UP again", Duration.ofSeconds(1 * 2 + 3), () -> service.memberHealth(lb.id()).get(b) == MemberHealth.UP);

        Member disabled = done(service.updateMember(memberOn(lb, "c"), MemberUpdate.empty().withAdminStateUp(false)));
        assertEquals(Status.DISABLED, disabled.status());
        Map<String, Integer> noC = LiveEnv.byBackend(env.requests(lb, 20));
        assertFalse(noC.containsKey("c"), noC.toString());

        String ns = env.driver.namespace(env.driver.instance(lb.id()));
        assertTrue(HostView.system().namespaceExists(ns));
        done(service.deleteVip(lb.vip().orElseThrow().id()));
        assertFalse(HostView.system().namespaceExists(ns));
        assertEquals(List.of(), env.leftovers());
    }

    @Test
    void leastConnectionsFavoursTheIdleMember() throws Exception {
        LoadBalancer lb = create(LbMethod.LEAST_CONNECTIONS, v -> v, "a", "b");
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(
                () -> env.topology.httpGet(NetnsTopology.CLIENT, env.url(lb, "/slow?ms=4000")).body().strip());
        Thread.sleep(500);
        Map<String, Integer> quick = LiveEnv.byBackend(env.requests(lb, 10));
        String busy = slow.get(20, TimeUnit.SECONDS);
        assertEquals(1, quick.size(), quick.toString());
        String idle = quick.keySet().iterator().next();
        assertNotEquals(busy, idle, "the busy member got quick requests: " + quick);
        assertEquals(10, quick.get(idle));
    }

    @Test
    void sourceIpPersistenceKeepsAClientOnOneMember() throws Exception {
        LoadBalancer lb = create(LbMethod.ROUND_ROBIN, v -> v.withSessionPersistence(SessionPersistence.sourceIp()), "a", "b", "c");
        Map<String, Integer> counts = LiveEnv.byBackend(env.requests(lb, 15));
        assertEquals(1, counts.size(), counts.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(counts.keySet(), LiveEnv.byBackend(env.requests(lb, 1)).keySet(), "a new connection stays too");
        }
        LoadBalancer hashed = create(LbMethod.SOURCE_IP, v -> v, "a", "b", "c");
        assertEquals(1, LiveEnv.byBackend(env.requests(hashed, 15)).size());
    }

    @Test
    void httpCookiePersistenceKeepsAClientOnOneMember() throws Exception {
        LoadBalancer lb = create(LbMethod.ROUND_ROBIN, v -> v.withSessionPersistence(SessionPersistence.httpCookie()), "a", "b", "c");
        NetnsTopology.HttpResponse first = env.topology.httpGet(NetnsTopology.CLIENT, env.url(lb, "/"));
        String setCookie = first.header("set-cookie").orElseThrow(() -> new AssertionError("no cookie: " + first.headers()));
        String cookie = setCookie.split(";")[0];
        assertTrue(cookie.startsWith("SRV="), cookie);
        String member = first.body().strip();
        assertEquals(Map.of(member, 12), LiveEnv.byBackend(env.requests(lb, 12, "Cookie: " + cookie)));
        assertEquals(3, LiveEnv.byBackend(env.requests(lb, 12)).size(), "without the cookie requests spread");
    }

    @Test
    void appCookiePersistenceKeepsAClientOnOneMember() throws Exception {
        LoadBalancer lb = create(LbMethod.ROUND_ROBIN, v -> v.withSessionPersistence(SessionPersistence.appCookie("APPSESS")), "a", "b", "c");
        NetnsTopology.HttpResponse first = env.topology.httpGet(NetnsTopology.CLIENT, env.url(lb, "/setcookie?name=APPSESS"));
        String cookie = first.header("set-cookie").orElseThrow().split(";")[0];
        String member = first.body().strip();
        assertTrue(cookie.startsWith("APPSESS=" + member + "-"), cookie);
        assertEquals(Map.of(member, 12), LiveEnv.byBackend(env.requests(lb, 12, "Cookie: other=1; " + cookie)));
        assertEquals(3, LiveEnv.byBackend(env.requests(lb, 12, "Cookie: APPSESS=unknown")).size());
    }

    @Test
    void aConnectionLimitLetsExactlyThatManyConnectionsThrough() throws Exception {
        LoadBalancer lb = create(LbMethod.ROUND_ROBIN, v -> v.withConnectionLimit(2), "a", "b", "c");
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> env.topology.httpGet(NetnsTopology.CLIENT, env.url(lb, "/slow?ms=3000")).status()));
        }
        Thread.sleep(1500);
        long inFlight = 0;
        for (String b : List.of("a", "b", "c")) {
            String json = env.topology.httpGet(NetnsTopology.CLIENT, env.topology.backendUrl(b, "/control/stats")).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"inFlight\":(\\d+)").matcher(json);
            assertTrue(m.find(), json);
            // the backend counts the /control/stats request itself as in flight
            inFlight += Long.parseLong(m.group(1)) - 1;
        }
        assertEquals(2, inFlight, "connections through at once");
        for (CompletableFuture<Integer> c : calls) {
            assertEquals(200, c.get(30, TimeUnit.SECONDS), "the others waited and were served later");
        }
    }

    @Test
    void anIpv6VipWaitsForDuplicateAddressDetection() throws Exception {
        HaproxyNsDriver v6driver = env.newDriver(Map.of("ipv6_dad", "wait"));
        LoadBalancer lb = Lbs.lb(UUID.randomUUID(), UUID.randomUUID(), env.topology.ipv6Subnet(), null,
                NetnsTopology.format(env.topology.allocateIpv6()), Protocol.HTTP);
        for (String b : List.of("a", "b")) {
            lb = Lbs.withMember(lb, Lbs.member(lb, UUID.randomUUID(), NetnsTopology.format(env.topology.host(b).ipv6()), 8080));
        }
        LoadBalancer deployed = lb;
        long t0 = System.nanoTime();
        v6driver.apply(Optional.empty(), deployed);
        System.out.printf("MEASURED IPv6 deploy with DAD wait: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(Map.of("a", 5, "b", 5), new java.util.TreeMap<>(LiveEnv.byBackend(env.requests(deployed, 10))));
        v6driver.remove(deployed.id());
    }
}

package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.POOL_ID;
import static org.lbaas.api.json.JsonFixtures.SUBNET_ID;
import static org.lbaas.api.json.JsonFixtures.TENANT;
import static org.lbaas.api.json.JsonFixtures.VIP_ID;
import static org.lbaas.api.json.JsonFixtures.loadBalancer;
import static org.lbaas.api.json.JsonFixtures.member;
import static org.lbaas.api.json.JsonFixtures.pool;
import static org.lbaas.api.json.JsonFixtures.subnet;
import static org.lbaas.api.json.JsonFixtures.vip;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.PoolView;
import org.lbaas.model.Cidr;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;
import org.lbaas.testkit.LbArbitraries;

/** Whatever is written reads back equal, for every kind of object and for generated values. */
class RoundTripTest {

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<UUID> ids() {
        return Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
    }

    /** Printable text a user could type, including quotes, backslashes and non-ASCII letters. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', 'ß', '中', '€', '"', '\\').ofMaxLength(40);
    }

    @Provide
    Arbitrary<InetAddress> addresses() {
        return LbArbitraries.ipAddresses();
    }

    @Provide
    Arbitrary<Member> members() {
        return Combinators.combine(ids(), ids(), addresses(), Arbitraries.integers().between(1, 65_535),
                Arbitraries.integers().between(0, Member.MAX_WEIGHT), Arbitraries.of(true, false),
                Arbitraries.of(Status.class), texts()).as((id, pool, address, port, weight, up, status, why) ->
                new Member(id, TENANT, pool, address, port, weight, up, status, why));
    }

    @Provide
    Arbitrary<Optional<SessionPersistence>> persistences() {
        return LbArbitraries.sessionPersistences().optional();
    }

    @Provide
    Arbitrary<Vip> vips() {
        return Combinators.combine(ids(), texts(), addresses(), ids(), Arbitraries.integers().between(1, 65_535),
                persistences(), Arbitraries.integers().between(-1, 1_000_000), Arbitraries.of(Status.class))
                .as((id, name, address, port, protocolPort, persistence, limit, status) -> {
                    Protocol protocol = persistence.map(p -> p.type().usesCookies()).orElse(false) ? Protocol.HTTP
                            : Protocol.values()[Math.floorMod(protocolPort, 3)];
                    return new Vip(id, TENANT, name, name, SUBNET_ID, address, port, protocolPort, protocol, POOL_ID,
                            persistence, limit, protocolPort % 2 == 0, status, name);
                });
    }

    @Provide
    Arbitrary<HealthMonitor> monitors() {
        return LbArbitraries.healthMonitors();
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 200)
    void everyMemberRoundTrips(@ForAll("members") Member member) {
        assertEquals(member, JSON.readMember(JSON.writeMember(member)));
    }

    @Property(tries = 200)
    void everyVipRoundTrips(@ForAll("vips") Vip vip) {
        assertEquals(vip, JSON.readVip(JSON.writeVip(vip)));
    }

    @Property(tries = 200)
    void everyMonitorRoundTrips(@ForAll("monitors") HealthMonitor monitor) {
        HealthMonitorView view = new HealthMonitorView(monitor,
                List.of(new PoolMonitorAssociation(POOL_ID, monitor.id(), Status.PENDING_UPDATE, "")));
        assertEquals(view, JSON.readHealthMonitor(JSON.writeHealthMonitor(view)));
    }

    @Property(tries = 100)
    void everyStatsRoundTrip(@ForAll @LongRange(min = 0) long in, @ForAll @LongRange(min = 0) long out,
                             @ForAll @IntRange(min = 0) int active, @ForAll @LongRange(min = 0) long total) {
        PoolStats stats = new PoolStats(in, out, active, total);
        assertEquals(stats, JSON.readStats(JSON.writeStats(stats)));
    }

    @Property(tries = 100)
    void everyMemberListRoundTrips(@ForAll("members") Member a, @ForAll("members") Member b) {
        assertEquals(List.of(a, b), JSON.readMembers(JSON.writeMembers(List.of(a, b))));
    }

    // ------------------------------------------------------------------ examples

    @Test
    void emptyListsRoundTrip() {
        assertEquals("{\n  \"vips\": []\n}\n", JSON.writeVips(List.of()));
        assertEquals(List.of(), JSON.readVips(JSON.writeVips(List.of())));
        assertEquals(List.of(), JSON.readPools(JSON.writePools(List.of())));
        assertEquals(List.of(), JSON.readHealthMonitors(JSON.writeHealthMonitors(List.of())));
        assertEquals(List.of(), JSON.readSubnets(JSON.writeSubnets(List.of())));
    }

    @Test
    void poolViewsWithEveryStatusRoundTrip() {
        for (Status status : Status.values()) {
            Pool pool = pool().toBuilder().status(status).statusDescription(status.isPending() ? "" : "because " + status)
                    .lbMethod(LbMethod.values()[status.ordinal() % 3]).build();
            PoolView view = new PoolView(pool, List.of(JsonFixtures.memberId(9)), List.of(), List.of(),
                    status == Status.ACTIVE ? Optional.of(VIP_ID) : Optional.empty());
            assertEquals(view, JSON.readPool(JSON.writePool(view)));
        }
    }

    @Test
    void extremeStatsRoundTrip() {
        PoolStats stats = new PoolStats(Long.MAX_VALUE, 0, Long.MAX_VALUE, 1);
        assertEquals(stats, JSON.readStats(JSON.writeStats(stats)));
    }

    @Test
    void ipv6SubnetRoundTrips() {
        Subnet subnet = new Subnet(SUBNET_ID, "v6 net", Cidr.parse("2001:db8:abcd::/48"),
                Optional.of(IpAddresses.parse("2001:db8:abcd::1", "gw")));
        assertEquals(subnet, JSON.readSubnet(JSON.writeSubnet(subnet)));
    }

    @Test
    void documentsRoundTrip() {
        LoadBalancer full = loadBalancer();
        assertEquals(full, JSON.readDocument(JSON.writeDocument(full)));

        LoadBalancer bare = LoadBalancer.of(subnet(), pool().toBuilder().status(Status.PENDING_CREATE).build());
        assertEquals(bare, JSON.readDocument(JSON.writeDocument(bare)));

        LoadBalancer pending = new LoadBalancer(subnet(), pool(),
                Optional.of(vip().toBuilder().sessionPersistence(null).status(Status.ERROR)
                        .statusDescription("haproxy -c failed: line 12").adminStateUp(false).build()),
                List.of(member(1).withStatus(Status.INACTIVE, "health check failed"), member(2)),
                List.of(JsonFixtures.tcpMonitor(), JsonFixtures.httpMonitor().toBuilder().id(UUID.randomUUID()).build()));
        assertEquals(pending, JSON.readDocument(JSON.writeDocument(pending)));
    }

    @Test
    void oneInstanceServesManyThreadsAtOnce() throws Exception {
        LoadBalancer lb = loadBalancer();
        String expected = JSON.writeDocument(lb);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    if (n % 3 == 0) {
                        JSON.readMemberCreate("{\"member\": {\"weight\": \"x\"}}");
                    }
                    return JSON.writeDocument(JSON.readDocument(expected)).equals(expected);
                }));
            }
            for (Future<Boolean> result : results) {
                try {
                    assertEquals(true, result.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertEquals(ValidationException.class, e.getCause().getClass(), e::toString);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writingIsDeterministic() {
        assertEquals(JSON.writeDocument(loadBalancer()), JSON.writeDocument(JSON.readDocument(JSON.writeDocument(loadBalancer()))));
        assertEquals(JSON.writeVip(vip()), JSON.writeVip(JSON.readVip(JSON.writeVip(vip()))));
    }
}

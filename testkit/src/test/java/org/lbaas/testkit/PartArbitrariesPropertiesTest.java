package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** Each part's arbitrary generates values the model accepts when they are built again. */
@StatisticsReport(onFailureOnly = true)
class PartArbitrariesPropertiesTest {

    private static final UUID POOL = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");

    @Property(tries = 300)
    void pools(@ForAll("poolsArb") Pool pool) {
        assertEquals(pool, Rebuild.pool(pool));
    }

    @Provide
    Arbitrary<Pool> poolsArb() {
        return LbArbitraries.pools();
    }

    @Property(tries = 300)
    void members(@ForAll("membersArb") Member member) {
        assertEquals(member, Rebuild.member(member));
        assertEquals(POOL, member.poolId());
        assertEquals("tenant-x", member.tenantId());
        assertTrue(member.weight() >= 0 && member.weight() <= 256);
        Statistics.label("weight 1").collect(member.weight() == 1);
        Statistics.label("weight 1").coverage(c -> c.check(true).percentage(p -> p > 30.0));
    }

    @Provide
    Arbitrary<Member> membersArb() {
        return LbArbitraries.members(POOL, "tenant-x");
    }

    @Property(tries = 300)
    void healthMonitors(@ForAll("monitorsArb") HealthMonitor monitor) {
        assertEquals(monitor, Rebuild.monitor(monitor));
        Statistics.collect(monitor.type());
        Statistics.coverage(c -> {
            for (MonitorType t : MonitorType.values()) {
                c.check(t).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<HealthMonitor> monitorsArb() {
        return LbArbitraries.healthMonitors();
    }

    @Property(tries = 100)
    void healthMonitorsOfOneTenantAndType(@ForAll("httpMonitors") HealthMonitor monitor) {
        assertEquals("t1", monitor.tenantId());
        assertEquals(MonitorType.HTTP, monitor.type());
        assertTrue(monitor.httpCheck().isPresent());
    }

    @Provide
    Arbitrary<HealthMonitor> httpMonitors() {
        return LbArbitraries.healthMonitors("t1", MonitorType.HTTP);
    }

    @Property(tries = 300)
    void vips(@ForAll("vipsArb") Vip vip) {
        assertEquals(vip, Rebuild.vip(vip));
    }

    @Provide
    Arbitrary<Vip> vipsArb() {
        return LbArbitraries.vips();
    }

    record Placed(Pool pool, Subnet subnet, Vip vip) {
    }

    @Property(tries = 300)
    void vipsOnAGivenPoolAndSubnetFitThem(@ForAll("placed") Placed placed) {
        Vip vip = placed.vip();
        assertEquals(placed.pool().id(), vip.poolId());
        assertEquals(placed.pool().tenantId(), vip.tenantId());
        assertEquals(placed.pool().protocol(), vip.protocol());
        assertEquals(placed.subnet().id(), vip.subnetId());
        assertTrue(placed.subnet().cidr().contains(vip.address()));
        assertTrue(placed.subnet().gateway().map(g -> !g.equals(vip.address())).orElse(true));
    }

    @Provide
    Arbitrary<Placed> placed() {
        return LbArbitraries.pools().flatMap(p -> LbArbitraries.subnets()
                .flatMap(s -> LbArbitraries.vips(p, s).map(v -> new Placed(p, s, v))));
    }

    @Property(tries = 300)
    void sessionPersistences(@ForAll("persistences") SessionPersistence sp) {
        assertEquals(sp, Rebuild.persistence(sp));
        Statistics.collect(sp.type());
        Statistics.coverage(c -> {
            for (PersistenceType t : PersistenceType.values()) {
                c.check(t).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<SessionPersistence> persistences() {
        return LbArbitraries.sessionPersistences();
    }

    @Property(tries = 100)
    void persistenceForTcpIsSourceIp(@ForAll("tcpPersistence") SessionPersistence sp) {
        assertEquals(PersistenceType.SOURCE_IP, sp.type());
    }

    @Provide
    Arbitrary<SessionPersistence> tcpPersistence() {
        return LbArbitraries.sessionPersistences(Protocol.TCP);
    }

    @Property(tries = 300)
    void subnets(@ForAll("subnetsArb") Subnet subnet) {
        assertEquals(subnet, Rebuild.subnet(subnet));
        assertEquals(subnet.cidr(), org.lbaas.model.Cidr.parse(subnet.cidr().toString()));
    }

    @Provide
    Arbitrary<Subnet> subnetsArb() {
        return LbArbitraries.subnets();
    }

    @Property(tries = 500)
    void ipAddressesAreUsableUnicastLiterals(@ForAll("addresses") InetAddress address) {
        assertTrue(IpAddresses.isUsableUnicast(address));
        assertEquals(address, IpAddresses.parse(IpAddresses.toText(address)).orElseThrow());
    }

    @Provide
    Arbitrary<InetAddress> addresses() {
        return LbArbitraries.ipAddresses();
    }

    @Property(tries = 500)
    void tenantIdsAreAccepted(@ForAll("tenants") String tenant) {
        Pool pool = Pool.builder().id(POOL).tenantId(tenant).subnetId(POOL).protocol(Protocol.TCP).build();
        assertEquals(tenant, pool.tenantId());
    }

    @Provide
    Arbitrary<String> tenants() {
        return LbArbitraries.tenantIds();
    }

    @Property(tries = 500)
    void cookieNamesAreAccepted(@ForAll("cookieNamesArb") String name) {
        assertEquals(name, SessionPersistence.appCookie(name).cookieName().orElseThrow());
        Statistics.label("length 64").collect(name.length() == 64);
        Statistics.label("length 64").coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Provide
    Arbitrary<String> cookieNamesArb() {
        return LbArbitraries.cookieNames();
    }

    @Property(tries = 500)
    void urlPathsAreAccepted(@ForAll("paths") String path) {
        assertEquals(path, new HttpCheck(HttpMethod.GET, path, ExpectedCodes.defaultCodes()).urlPath());
        Statistics.label("escape").collect(path.contains("%"));
        Statistics.label("length 1024").collect(path.length() == 1024);
        Statistics.label("escape").coverage(c -> c.check(true).count(n -> n > 0));
        Statistics.label("length 1024").coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Provide
    Arbitrary<String> paths() {
        return LbArbitraries.urlPaths();
    }

    @Property(tries = 500)
    void expectedCodesAreCanonicalAndReparse(@ForAll("codes") ExpectedCodes codes) {
        assertEquals(codes, ExpectedCodes.parse(codes.spec()));
        assertTrue(codes.spec().matches("\\d{3}(,\\d{3})*|\\d{3}-\\d{3}"), codes.spec());
        assertTrue(codes.codes().stream().allMatch(c -> c >= 100 && c <= 599));
        Statistics.collect(codes.isRange() ? "range" : codes.spec().contains(",") ? "list" : "single");
        Statistics.coverage(c -> {
            c.check("range").count(n -> n > 0);
            c.check("list").count(n -> n > 0);
            c.check("single").count(n -> n > 0);
        });
    }

    @Provide
    Arbitrary<ExpectedCodes> codes() {
        return LbArbitraries.expectedCodes();
    }
}

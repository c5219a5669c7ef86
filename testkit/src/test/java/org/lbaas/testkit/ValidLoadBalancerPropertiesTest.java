package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** Everything the valid arbitraries generate is valid, and the knobs do what they say. */
@StatisticsReport(onFailureOnly = true)
class ValidLoadBalancerPropertiesTest {

    @Property
    void everyGeneratedLoadBalancerValidatesWhenRebuiltFromItsParts(@ForAll("defaults") LoadBalancer lb) {
        assertEquals(lb, Rebuild.loadBalancer(lb));
        assertIndependentlyConsistent(lb);
        Statistics.label("vip").collect(lb.vip().isPresent());
        Statistics.label("ip version").collect(lb.subnet().ipVersion());
        Statistics.label("protocol").collect(lb.pool().protocol());
        Statistics.label("persistence").collect(lb.vip().flatMap(Vip::sessionPersistence).map(SessionPersistence::type)
                .map(Enum::name).orElse("none"));
        Statistics.label("vip").coverage(c -> c.check(true).percentage(p -> p > 40.0));
        Statistics.label("ip version").coverage(c -> {
            c.check(4).percentage(p -> p > 30.0);
            c.check(6).percentage(p -> p > 10.0);
        });
        Statistics.label("protocol").coverage(c -> {
            for (Protocol protocol : Protocol.values()) {
                c.check(protocol).percentage(p -> p > 10.0);
            }
        });
        Statistics.label("persistence").coverage(c -> {
            for (PersistenceType type : PersistenceType.values()) {
                c.check(type.name()).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<LoadBalancer> defaults() {
        return LbArbitraries.loadBalancers();
    }

    @Property
    void withInstanceAddressesEveryVipComesWithThatManyValidOnes(@ForAll("pairs") LoadBalancer lb) {
        assertEquals(lb, Rebuild.loadBalancer(lb).withInstanceAddresses(lb.instanceAddresses()));
        if (lb.vip().isEmpty()) {
            assertEquals(java.util.List.of(), lb.instanceAddresses());
            return;
        }
        assertEquals(2, lb.instanceAddresses().size());
        Subnet subnet = lb.subnet();
        Set<InetAddress> taken = new HashSet<>();
        taken.add(lb.vip().get().address());
        lb.members().forEach(m -> taken.add(m.address()));
        subnet.gateway().ifPresent(taken::add);
        for (InetAddress a : lb.instanceAddresses()) {
            assertTrue(subnet.cidr().contains(a), () -> a + " outside " + subnet.cidr());
            assertNotEquals(subnet.cidr().network(), a);
            assertTrue(taken.add(a), () -> IpAddresses.toText(a) + " is the VIP's, a member's, the gateway or repeated");
        }
        Statistics.label("ip version").collect(subnet.ipVersion());
        Statistics.label("ip version").coverage(c -> {
            c.check(4).percentage(p -> p > 30.0);
            c.check(6).percentage(p -> p > 10.0);
        });
    }

    @Provide
    Arbitrary<LoadBalancer> pairs() {
        return LbArbitraries.loadBalancers().withInstanceAddresses(2);
    }

    /** Checks the cross-object rules again, without the model's code. */
    private static void assertIndependentlyConsistent(LoadBalancer lb) {
        String tenant = lb.pool().tenantId();
        Set<String> endpoints = new HashSet<>();
        Set<Object> ids = new HashSet<>();
        for (Member m : lb.members()) {
            assertEquals(tenant, m.tenantId());
            assertEquals(lb.pool().id(), m.poolId());
            assertTrue(endpoints.add(IpAddresses.toText(m.address()) + "/" + m.protocolPort()), "duplicate endpoint");
            assertTrue(ids.add(m.id()), "duplicate member id");
        }
        Set<Object> monitorIds = new HashSet<>();
        for (HealthMonitor m : lb.healthMonitors()) {
            assertEquals(tenant, m.tenantId());
            assertTrue(monitorIds.add(m.id()), "duplicate monitor id");
            assertEquals(m.type().isHttp(), m.httpCheck().isPresent());
            assertTrue(m.timeout() <= m.delay());
        }
        lb.vip().ifPresent(vip -> {
            Subnet s = lb.subnet();
            assertEquals(tenant, vip.tenantId());
            assertEquals(lb.pool().protocol(), vip.protocol());
            assertEquals(s.id(), vip.subnetId());
            InetAddress a = vip.address();
            assertTrue(s.cidr().contains(a));
            assertFalse(s.gateway().map(a::equals).orElse(false), "VIP on the gateway");
            assertNotEquals(s.cidr().network(), a);
            if (s.ipVersion() == 4) {
                assertNotEquals(s.cidr().lastAddress(), a);
            }
            vip.sessionPersistence().ifPresent(sp ->
                    assertTrue(!sp.type().usesCookies() || vip.protocol() == Protocol.HTTP, "cookies need HTTP"));
        });
    }

    @Property(tries = 200)
    void memberAndMonitorCountsFollowTheKnobs(@ForAll("counted") LoadBalancer lb) {
        assertTrue(lb.members().size() >= 3 && lb.members().size() <= 7, "members: " + lb.members().size());
        assertEquals(2, lb.healthMonitors().size());
        assertTrue(lb.healthMonitors().stream().allMatch(m -> m.type() == MonitorType.PING || m.type() == MonitorType.HTTPS));
        assertEquals(lb, Rebuild.loadBalancer(lb));
    }

    @Provide
    Arbitrary<LoadBalancer> counted() {
        return LbArbitraries.loadBalancers().withMembers(3, 7).withMonitors(2, 2)
                .withMonitorTypes(MonitorType.PING, MonitorType.HTTPS);
    }

    @Property(tries = 200)
    void ipv6OnlyMeansEveryAddressIsIpv6(@ForAll("ipv6") LoadBalancer lb) {
        assertEquals(6, lb.subnet().ipVersion());
        lb.vip().ifPresent(v -> assertEquals(6, IpAddresses.version(v.address())));
        lb.members().forEach(m -> assertEquals(6, IpAddresses.version(m.address())));
        assertEquals(lb, Rebuild.loadBalancer(lb));
    }

    @Provide
    Arbitrary<LoadBalancer> ipv6() {
        return LbArbitraries.loadBalancers().ipv6Only().withMembers(1, 10).withVip();
    }

    @Property(tries = 200)
    void ipv4OnlyMeansEveryAddressIsIpv4(@ForAll("ipv4") LoadBalancer lb) {
        assertEquals(4, lb.subnet().ipVersion());
        assertTrue(lb.vip().isPresent());
        assertEquals(4, IpAddresses.version(lb.vip().get().address()));
        lb.members().forEach(m -> assertEquals(4, IpAddresses.version(m.address())));
    }

    @Provide
    Arbitrary<LoadBalancer> ipv4() {
        return LbArbitraries.loadBalancers().ipv4Only().withMembers(1, 10).withVip();
    }

    @Property(tries = 200)
    void requiredPersistenceNarrowsTheProtocol(@ForAll("cookies") LoadBalancer lb) {
        Vip vip = lb.vip().orElseThrow();
        SessionPersistence sp = vip.sessionPersistence().orElseThrow();
        assertTrue(sp.type() == PersistenceType.APP_COOKIE || sp.type() == PersistenceType.SOURCE_IP);
        if (sp.type() == PersistenceType.APP_COOKIE) {
            assertEquals(Protocol.HTTP, vip.protocol());
            assertTrue(sp.cookieName().isPresent());
        }
        Statistics.collect(sp.type(), vip.protocol());
    }

    @Provide
    Arbitrary<LoadBalancer> cookies() {
        return LbArbitraries.loadBalancers().withPersistence(PersistenceType.APP_COOKIE, PersistenceType.SOURCE_IP)
                .withProtocols(Protocol.HTTP, Protocol.TCP);
    }

    @Property(tries = 100)
    void cookieOnlyPersistenceForcesHttp(@ForAll("httpCookieOnly") LoadBalancer lb) {
        assertEquals(Protocol.HTTP, lb.pool().protocol());
        assertEquals(PersistenceType.HTTP_COOKIE, lb.vip().orElseThrow().sessionPersistence().orElseThrow().type());
    }

    @Provide
    Arbitrary<LoadBalancer> httpCookieOnly() {
        return LbArbitraries.loadBalancers().withPersistence(PersistenceType.HTTP_COOKIE);
    }

    @Property(tries = 100)
    void withoutVipAndWithoutPersistenceAreHonoured(@ForAll("noVip") LoadBalancer lb, @ForAll("noPersistence") LoadBalancer other) {
        assertTrue(lb.vip().isEmpty());
        assertFalse(lb.isDeployable());
        assertTrue(other.vip().orElseThrow().sessionPersistence().isEmpty());
    }

    @Provide
    Arbitrary<LoadBalancer> noVip() {
        return LbArbitraries.loadBalancers().withoutVip();
    }

    @Provide
    Arbitrary<LoadBalancer> noPersistence() {
        return LbArbitraries.loadBalancers().withoutPersistence().withVip();
    }

    @Property(tries = 100)
    void largePoolsStayValid(@ForAll("large") LoadBalancer lb) {
        assertTrue(lb.members().size() >= 40);
        assertEquals(lb, Rebuild.loadBalancer(lb));
    }

    @Provide
    Arbitrary<LoadBalancer> large() {
        return LbArbitraries.loadBalancers().withMembers(40, 60).ipv4Only();
    }
}

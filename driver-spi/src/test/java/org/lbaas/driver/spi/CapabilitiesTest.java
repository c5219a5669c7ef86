package org.lbaas.driver.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;

class CapabilitiesTest {

    private static final String TENANT = "tenant1";
    private final Subnet subnet = Subnet.of(UUID.randomUUID(), "192.0.2.0/24", "192.0.2.1");
    private final Pool pool = Pool.builder().id(UUID.randomUUID()).tenantId(TENANT).subnetId(subnet.id())
            .protocol(Protocol.HTTP).lbMethod(LbMethod.SOURCE_IP).build();

    private LoadBalancer lb(int members, MonitorType monitor, SessionPersistence persistence, int limit) {
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId(TENANT).subnetId(subnet.id()).address("192.0.2.10")
                .portId(UUID.randomUUID()).protocolPort(80).protocol(Protocol.HTTP).poolId(pool.id())
                .sessionPersistence(persistence).connectionLimit(limit).build();
        List<Member> ms = new java.util.ArrayList<>();
        for (int i = 0; i < members; i++) {
            ms.add(Member.builder().id(UUID.randomUUID()).tenantId(TENANT).poolId(pool.id()).address("198.51.100." + (i + 1))
                    .protocolPort(8080).build());
        }
        HealthMonitor hm = HealthMonitor.builder().id(UUID.randomUUID()).tenantId(TENANT).type(monitor).build();
        return new LoadBalancer(subnet, pool, Optional.of(vip), ms, List.of(hm));
    }

    @Test
    void everythingAcceptsAnythingWithinLimits() {
        Capabilities all = Capabilities.everything(10, 2, 1000);
        assertEquals(List.of(), all.unsupported(lb(10, MonitorType.PING, SessionPersistence.appCookie("SID"), 1000)));
    }

    @Test
    void reportsEachUnsupportedFeatureWithItsPath() {
        Capabilities narrow = new Capabilities(EnumSet.of(Protocol.TCP), EnumSet.of(LbMethod.ROUND_ROBIN),
                EnumSet.of(PersistenceType.SOURCE_IP), EnumSet.of(MonitorType.TCP), 2, 1, 100, false);
        List<String> paths = narrow.unsupported(lb(3, MonitorType.PING, SessionPersistence.httpCookie(), 101)).stream()
                .map(Violation::path).toList();
        assertEquals(List.of("pool.protocol", "pool.lb_method", "members", "health_monitors[0].type",
                "vip.session_persistence.type", "vip.connection_limit"), paths);
    }

    @Test
    void requireSupportedRefusesWithEveryFeatureNamedAndIsNotRetryable() {
        Capabilities small = Capabilities.everything(2, 2, 100);
        small.requireSupported(lb(2, MonitorType.TCP, null, 100), "demo");
        LoadBalancer tooBig = lb(3, MonitorType.TCP, null, 101);
        String features = String.join("; ", small.unsupported(tooBig).stream().map(Violation::message).toList());
        DriverException e = assertThrows(DriverException.class, () -> small.requireSupported(tooBig, "demo"));
        assertFalse(e.retryable());
        assertEquals("the load balancer needs what this driver does not support: " + features, e.tenantMessage());
        assertEquals("demo: refused pool " + tooBig.id() + " beyond its capabilities: " + features, e.operatorMessage());
    }

    @Test
    void unlimitedConnectionsAlwaysAccepted() {
        Capabilities small = Capabilities.everything(10, 2, 5);
        assertTrue(small.unsupported(lb(1, MonitorType.TCP, null, Vip.UNLIMITED)).isEmpty());
    }

    @Test
    void ipv6RejectedWhenNotDeclared() {
        Capabilities v4 = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                EnumSet.allOf(PersistenceType.class), EnumSet.allOf(MonitorType.class), 10, 2, 100, false);
        Subnet s6 = Subnet.of(UUID.randomUUID(), "2001:db8::/64", null);
        Pool p6 = pool.toBuilder().subnetId(s6.id()).build();
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId(TENANT).subnetId(s6.id()).address("2001:db8::10")
                .portId(UUID.randomUUID()).protocolPort(80).protocol(Protocol.HTTP).poolId(p6.id()).build();
        Member m = Member.builder().id(UUID.randomUUID()).tenantId(TENANT).poolId(p6.id()).address("2001:db8::20")
                .protocolPort(80).build();
        List<String> paths = v4.unsupported(new LoadBalancer(s6, p6, Optional.of(vip), List.of(m), List.of())).stream()
                .map(Violation::path).toList();
        assertEquals(List.of("members[0].address", "vip.address"), paths);
    }

    @Test
    void instanceAddressesDefaultToNoneAndMustNotBeNegative() {
        assertEquals(0, Capabilities.everything(10, 2, 100).instanceAddresses());
        Capabilities old = new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                EnumSet.allOf(PersistenceType.class), EnumSet.allOf(MonitorType.class), 10, 2, 100, true);
        assertEquals(0, old.instanceAddresses());
        Capabilities pair = old.withInstanceAddresses(2);
        assertEquals(2, pair.instanceAddresses());
        assertEquals(old, pair.withInstanceAddresses(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> old.withInstanceAddresses(-1));
        assertTrue(e.getMessage().contains("instanceAddresses must not be negative, was -1"), e.getMessage());
    }

    @Test
    void aVipWithFewerInstanceAddressesThanDeclaredIsUnsupported() {
        Capabilities pair = Capabilities.everything(10, 2, 100).withInstanceAddresses(2);
        LoadBalancer one = lb(1, MonitorType.TCP, null, 100).withInstanceAddresses(
                List.of(org.lbaas.model.IpAddresses.parse("192.0.2.11", "test")));
        List<Violation> out = pair.unsupported(one);
        assertEquals(List.of("instance_addresses"), out.stream().map(Violation::path).toList());
        assertTrue(out.get(0).message().contains("this driver needs 2 instance addresses with a VIP"), out.get(0).message());
        assertTrue(pair.unsupported(one.withInstanceAddresses(List.of(org.lbaas.model.IpAddresses.parse("192.0.2.11", "test"),
                org.lbaas.model.IpAddresses.parse("192.0.2.12", "test")))).isEmpty());
        assertTrue(pair.unsupported(one.withVip(Optional.empty()).withInstanceAddresses(List.of())).isEmpty(),
                "without a VIP none are needed");
    }
}

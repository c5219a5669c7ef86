package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.Subnet;

/** The knobs of {@link LoadBalancerArbitrary}: immutable, checked, and loud about conflicts. */
class LoadBalancerArbitraryTest {

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Test
    void knobsReturnNewArbitrariesAndLeaveTheOriginalAlone() {
        LoadBalancerArbitrary base = LbArbitraries.loadBalancers();
        String before = base.toString();
        LoadBalancerArbitrary five = base.withMembers(5, 5);
        assertNotSame(base, five);
        assertEquals(before, base.toString());
        assertTrue(five.toString().contains("members 5..5"), five.toString());
        List<LoadBalancer> fromBase = base.sampleStream().limit(200).toList();
        assertTrue(fromBase.stream().allMatch(lb -> lb.members().size() <= 5));
        assertTrue(fromBase.stream().anyMatch(lb -> lb.members().size() < 5));
        assertTrue(five.sampleStream().limit(50).allMatch(lb -> lb.members().size() == 5));
    }

    @Test
    void boundsAreChecked() {
        LoadBalancerArbitrary a = LbArbitraries.loadBalancers();
        assertThrows(IllegalArgumentException.class, () -> a.withMembers(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> a.withMembers(3, 2));
        assertThrows(IllegalArgumentException.class, () -> a.withMonitors(0, -1));
        assertThrows(IllegalArgumentException.class, () -> a.withProtocols());
        assertThrows(IllegalArgumentException.class, () -> a.withPersistence());
        assertThrows(IllegalArgumentException.class, () -> a.withMonitorTypes());
        assertThrows(NullPointerException.class, () -> a.withProtocols(Protocol.HTTP, null));
    }

    @Test
    void cookiePersistenceWithoutHttpIsAConflict() {
        LoadBalancerArbitrary a = LbArbitraries.loadBalancers().withPersistence(PersistenceType.HTTP_COOKIE)
                .withProtocols(Protocol.TCP, Protocol.HTTPS);
        Throwable t = rootCause(assertThrows(RuntimeException.class, a::sample));
        assertTrue(t instanceof IllegalStateException && t.getMessage().contains("cookie persistence needs HTTP"),
                String.valueOf(t));
    }

    @Test
    void persistenceWithoutAVipIsAConflict() {
        LoadBalancerArbitrary a = LbArbitraries.loadBalancers().withPersistence(PersistenceType.SOURCE_IP).withoutVip();
        Throwable t = rootCause(assertThrows(RuntimeException.class, a::sample));
        assertTrue(t instanceof IllegalStateException && t.getMessage().contains("needs a VIP"), String.valueOf(t));
    }

    @Test
    void aSubnetWithoutRoomForAVipIsRefused() {
        Subnet full = Subnet.of(UUID.randomUUID(), "192.0.2.7/32", "192.0.2.7");
        Pool pool = Pool.builder().id(UUID.randomUUID()).tenantId("t").subnetId(full.id()).protocol(Protocol.TCP).build();
        assertThrows(IllegalArgumentException.class, () -> LbArbitraries.vips(pool, full));
    }

    @Test
    void tinySubnetsGetTheirOnlyFreeAddress() {
        Subnet tiny = Subnet.of(UUID.randomUUID(), "192.0.2.4/30", "192.0.2.5");
        Pool pool = Pool.builder().id(UUID.randomUUID()).tenantId("t").subnetId(tiny.id()).protocol(Protocol.TCP).build();
        assertTrue(LbArbitraries.vips(pool, tiny).sampleStream().limit(50)
                .allMatch(v -> IpAddresses.toText(v.address()).equals("192.0.2.6")));
        Subnet p2p = Subnet.of(UUID.randomUUID(), "192.0.2.8/31", null);
        assertTrue(LbArbitraries.vips(pool, p2p).sampleStream().limit(50)
                .allMatch(v -> p2p.cidr().contains(v.address())));
        assertEquals(Optional.empty(), LbArbitraries.loadBalancers().withoutVip().sample().vip());
    }

    @Test
    void instanceAddressesAreNoneByDefaultAndAsManyAsAskedWithAVip() {
        assertTrue(LbArbitraries.loadBalancers().sampleStream().limit(100).allMatch(lb -> lb.instanceAddresses().isEmpty()));
        LoadBalancerArbitrary three = LbArbitraries.loadBalancers().withVip().withMembers(0, 50).withInstanceAddresses(3);
        assertTrue(three.toString().contains("instance addresses 3"), three.toString());
        assertTrue(three.sampleStream().limit(200).allMatch(lb -> lb.instanceAddresses().size() == 3));
        assertTrue(LbArbitraries.loadBalancers().withoutVip().withInstanceAddresses(2).sampleStream().limit(50)
                .allMatch(lb -> lb.instanceAddresses().isEmpty()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LbArbitraries.loadBalancers().withInstanceAddresses(-1));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
    }

    @Test
    void instanceAddressesFollowTheVipAndWrapAroundTheSubnet() {
        Subnet subnet = Subnet.of(UUID.randomUUID(), "192.0.2.0/29", "192.0.2.1");
        List<java.net.InetAddress> got = Gen.instanceAddresses(subnet, IpAddresses.parse("192.0.2.5", "t"),
                List.of(IpAddresses.parse("192.0.2.6", "t")), 2);
        assertEquals(List.of(IpAddresses.parse("192.0.2.2", "t"), IpAddresses.parse("192.0.2.3", "t")), got);
        assertThrows(IllegalStateException.class, () -> Gen.instanceAddresses(subnet, IpAddresses.parse("192.0.2.5", "t"),
                List.of(), 5));
    }
}

package org.lbaas.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The objects stored in {@code src/test/resources/store-format-N/}: store directories written by
 * the format-1 codec (before the store wrapped the wire nodes), the format-2 codec (before instance
 * addresses) and the format-3 codec, with fixed ids. The files were generated once from exactly these values and must never be regenerated:
 * they stand for what is on users' disks.
 */
final class StoreFixtures {

    static final UUID POOL_SUBNET = id(1);
    static final UUID VIP_SUBNET = id(2);
    static final UUID RICH_POOL = id(3);
    static final UUID BARE_POOL = id(4);
    static final UUID TCP_POOL = id(5);
    static final UUID HTTP_MONITOR = id(6);
    static final UUID TCP_MONITOR = id(7);
    static final UUID PING_MONITOR = id(8);

    private StoreFixtures() {
    }

    /** {@code id(3)} is 33333333-3333-4333-8333-333333333333. */
    private static UUID id(int digit) {
        String d = String.valueOf(digit);
        return UUID.fromString(d.repeat(8) + "-" + d.repeat(4) + "-4" + d.repeat(3) + "-8" + d.repeat(3) + "-" + d.repeat(12));
    }

    static Subnet poolSubnet() {
        return Subnet.of(POOL_SUBNET, "192.0.2.0/24", null);
    }

    static Subnet vipSubnet() {
        return new Subnet(VIP_SUBNET, "public", Cidr.parse("2001:db8:1::/64"), IpAddresses.parse("2001:db8:1::1"));
    }

    /** Every attribute away from its default: IPv6 VIP with APP_COOKIE, two members, an association. */
    static StoredLoadBalancer rich() {
        Pool pool = Pool.builder().id(RICH_POOL).tenantId("t1").name("web \"pool\"").description("ünïcode, \\ and /")
                .subnetId(POOL_SUBNET).protocol(Protocol.HTTP).lbMethod(LbMethod.SOURCE_IP).provider("haproxy-ns")
                .adminStateUp(false).status(Status.ERROR).statusDescription("it broke").build();
        Vip vip = Vip.builder().id(UUID.fromString("33333333-0000-4000-8000-000000000001")).tenantId("t1").name("v")
                .description("the front").subnetId(VIP_SUBNET).address("2001:db8:1::5")
                .portId(UUID.fromString("33333333-0000-4000-8000-000000000002")).protocolPort(443).protocol(Protocol.HTTP)
                .poolId(RICH_POOL).sessionPersistence(SessionPersistence.appCookie("JSESSIONID")).connectionLimit(1000)
                .status(Status.PENDING_UPDATE).statusDescription("updating").build();
        Member m1 = Member.builder().id(UUID.fromString("33333333-0000-4000-8000-000000000003")).tenantId("t1")
                .poolId(RICH_POOL).address("192.0.2.10").protocolPort(8080).weight(0).status(Status.ACTIVE).build();
        Member m2 = Member.builder().id(UUID.fromString("33333333-0000-4000-8000-000000000004")).tenantId("t1")
                .poolId(RICH_POOL).address("2001:db8::7").protocolPort(80).adminStateUp(false).status(Status.DISABLED)
                .statusDescription("admin down").build();
        PoolMonitorAssociation a1 = new PoolMonitorAssociation(RICH_POOL, HTTP_MONITOR, Status.ACTIVE, "");
        PoolMonitorAssociation a2 = new PoolMonitorAssociation(RICH_POOL, PING_MONITOR, Status.PENDING_CREATE, "creating");
        return new StoredLoadBalancer(42, pool, poolSubnet(), Optional.of(vip), Optional.of(vipSubnet()), List.of(m1, m2),
                List.of(a1, a2));
    }

    /** A pool alone: no VIP, no members, no monitors, defaults everywhere. */
    static StoredLoadBalancer bare() {
        Pool pool = Pool.builder().id(BARE_POOL).tenantId("t2").subnetId(POOL_SUBNET).protocol(Protocol.TCP).build();
        return new StoredLoadBalancer(1, pool, poolSubnet(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    /** A TCP load balancer with an IPv4 VIP in the pool's subnet, SOURCE_IP persistence, one member. */
    static StoredLoadBalancer tcp() {
        Pool pool = Pool.builder().id(TCP_POOL).tenantId("t2").name("db").subnetId(POOL_SUBNET).protocol(Protocol.TCP)
                .lbMethod(LbMethod.LEAST_CONNECTIONS).status(Status.ACTIVE).build();
        Vip vip = Vip.builder().id(UUID.fromString("55555555-0000-4000-8000-000000000001")).tenantId("t2")
                .subnetId(POOL_SUBNET).address("192.0.2.100").portId(UUID.fromString("55555555-0000-4000-8000-000000000002"))
                .protocolPort(5432).protocol(Protocol.TCP).poolId(TCP_POOL)
                .sessionPersistence(SessionPersistence.sourceIp()).status(Status.ACTIVE).build();
        Member m = Member.builder().id(UUID.fromString("55555555-0000-4000-8000-000000000003")).tenantId("t2")
                .poolId(TCP_POOL).address("192.0.2.20").protocolPort(5432).weight(256).status(Status.PENDING_CREATE).build();
        PoolMonitorAssociation a = new PoolMonitorAssociation(TCP_POOL, TCP_MONITOR, Status.ERROR, "failed");
        return new StoredLoadBalancer(7, pool, poolSubnet(), Optional.of(vip), Optional.of(poolSubnet()), List.of(m),
                List.of(a));
    }

    /** What formats 1 and 2 hold: no instance addresses. */
    static List<StoredLoadBalancer> loadBalancers() {
        return List.of(rich(), bare(), tcp());
    }

    /** What format 3 holds: the same, with two instance addresses on the rich VIP and one on the TCP VIP. */
    static List<StoredLoadBalancer> loadBalancersFormat3() {
        return List.of(withInstanceAddresses(rich(), "2001:db8:1::6", "2001:db8:1::7"), bare(),
                withInstanceAddresses(tcp(), "192.0.2.2"));
    }

    private static StoredLoadBalancer withInstanceAddresses(StoredLoadBalancer s, String... addresses) {
        return new StoredLoadBalancer(s.revision(), s.pool(), s.poolSubnet(), s.vip(), s.vipSubnet(), s.members(),
                s.associations(), java.util.Arrays.stream(addresses).map(a -> IpAddresses.parse(a, "test")).toList());
    }

    static List<HealthMonitor> healthMonitors() {
        HealthMonitor http = HealthMonitor.builder().id(HTTP_MONITOR).tenantId("t1").type(MonitorType.HTTPS).delay(9)
                .timeout(4).maxRetries(10)
                .httpCheck(new HttpCheck(HttpMethod.HEAD, "/status?x=1", new ExpectedCodes("200-204"))).adminStateUp(false)
                .build();
        HealthMonitor tcp = HealthMonitor.builder().id(TCP_MONITOR).tenantId("t2").type(MonitorType.TCP).delay(5).timeout(3)
                .maxRetries(2).build();
        HealthMonitor ping = HealthMonitor.builder().id(PING_MONITOR).tenantId("t1").type(MonitorType.PING).build();
        return List.of(http, tcp, ping);
    }
}

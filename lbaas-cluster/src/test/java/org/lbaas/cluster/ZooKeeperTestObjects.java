package org.lbaas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.HealthMonitor;
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

/** Objects built by hand for the ZooKeeper repository's tests, and the clients they use. */
final class ZooKeeperTestObjects {

    static final String TENANT = "tenant-a";
    static final Subnet POOL_SUBNET = Subnet.of(UUID.fromString("9a1f3b2c-0000-4000-8000-000000000001"), "10.0.0.0/16",
            "10.0.0.1");
    static final Subnet VIP_SUBNET = Subnet.of(UUID.fromString("9a1f3b2c-0000-4000-8000-000000000002"), "2001:db8:1::/64",
            "2001:db8:1::1");
    /** The longest tenant id the model allows. */
    static final String LONGEST_TENANT = "t".repeat(255);
    /** The longest status description the model allows, of characters that take three bytes in UTF-8. */
    static final String LONGEST_DESCRIPTION = "\u20ac".repeat(1024);

    private static final java.util.concurrent.atomic.AtomicInteger VIP_ADDRESSES = new java.util.concurrent.atomic.AtomicInteger();

    private ZooKeeperTestObjects() {
    }

    /** A client with short timeouts, so that failures show within seconds. */
    static CuratorFramework client(String connectString) {
        return ZooKeeperClients.connect(connectString, Duration.ofSeconds(6), Duration.ofSeconds(2));
    }

    /** A unique root, so that tests sharing one server never see each other. */
    static String uniqueRoot() {
        return "/lbaas-test-" + UUID.randomUUID();
    }

    static Pool pool(UUID id, String tenant, String name) {
        return Pool.builder().id(id).tenantId(tenant).name(name).subnetId(POOL_SUBNET.id()).protocol(Protocol.HTTP)
                .lbMethod(LbMethod.LEAST_CONNECTIONS).status(Status.ACTIVE).build();
    }

    /** A member with a short IPv4 address, the pool's tenant and no status description. */
    static Member typicalMember(UUID poolId, int i) {
        return Member.builder().id(UUID.randomUUID()).tenantId(TENANT).poolId(poolId)
                .address("10.0." + (i / 250) % 256 + "." + (i % 250 + 1)).protocolPort(8000 + i / 64000)
                .status(Status.ACTIVE).build();
    }

    /** A member with the longest texts the model allows: tenant id, status description, an IPv6 address. */
    static Member largestMember(UUID poolId, int i) {
        String address = String.format("2001:db8:abcd:abcd:abcd:abcd:%04x:%04x", 0x1000 + (i >> 12), 0x1000 + (i & 0xfff));
        return Member.builder().id(UUID.randomUUID()).tenantId(LONGEST_TENANT).poolId(poolId).address(address)
                .protocolPort(65535).weight(Member.MAX_WEIGHT).status(Status.ERROR).statusDescription(LONGEST_DESCRIPTION)
                .build();
    }

    /**
     * A load balancer with a VIP (app-cookie persistence), one association and the given members.
     * The VIP's address is one of 15 of the same length ({@code 2001:db8:1::1} to {@code ::f}), in
     * turn: two VIPs with one address are refused by the repository's claims, and the documents'
     * size stays the same.
     */
    static StoredLoadBalancer loadBalancer(UUID poolId, String tenant, String name, List<Member> members) {
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId(tenant).name(name).subnetId(VIP_SUBNET.id())
                .address("2001:db8:1::" + Integer.toHexString(1 + Math.floorMod(VIP_ADDRESSES.getAndIncrement(), 15))).portId(UUID.randomUUID()).protocolPort(443).protocol(Protocol.HTTP).poolId(poolId)
                .sessionPersistence(SessionPersistence.appCookie("JSESSIONID")).connectionLimit(1000)
                .status(Status.ACTIVE).build();
        PoolMonitorAssociation a = new PoolMonitorAssociation(poolId, UUID.randomUUID(), Status.ACTIVE, "");
        return new StoredLoadBalancer(7, pool(poolId, tenant, name), POOL_SUBNET, Optional.of(vip), Optional.of(VIP_SUBNET),
                members, List.of(a));
    }

    /** A load balancer with a VIP, an association and {@code count} typical members. */
    static StoredLoadBalancer loadBalancer(String name, int count) {
        UUID poolId = UUID.randomUUID();
        return loadBalancer(poolId, TENANT, name, members(count, i -> typicalMember(poolId, i)));
    }

    static List<Member> members(int count, IntFunction<Member> member) {
        List<Member> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(member.apply(i));
        }
        return out;
    }

    /** The same load balancer with another pool name and the next revision. */
    static StoredLoadBalancer renamed(StoredLoadBalancer lb, String name) {
        return new StoredLoadBalancer(lb.revision() + 1, lb.pool().toBuilder().name(name).build(), lb.poolSubnet(), lb.vip(),
                lb.vipSubnet(), lb.members(), lb.associations(), lb.instanceAddresses());
    }

    static HealthMonitor monitor(int delay) {
        return HealthMonitor.builder().id(UUID.randomUUID()).tenantId(TENANT).type(MonitorType.TCP).delay(delay).timeout(3)
                .build();
    }
}

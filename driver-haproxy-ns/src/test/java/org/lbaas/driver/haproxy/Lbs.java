package org.lbaas.driver.haproxy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** Builds load balancers for the driver's tests. */
final class Lbs {

    static final String TENANT = "tenant-t";

    private Lbs() {
    }

    static UUID uuid(long n) {
        return new UUID(0x1111_2222_3333_4444L, 0x8000_0000_0000_0000L | n);
    }

    /** A load balancer: pool {@code poolId} on {@code cidr}, VIP at {@code vipAddress}:80, no members. */
    static LoadBalancer lb(UUID poolId, UUID portId, String cidr, String gateway, String vipAddress, Protocol protocol) {
        UUID subnetId = new UUID(poolId.getMostSignificantBits(), 0x8000_0000_0000_0001L);
        Subnet subnet = Subnet.of(subnetId, cidr, gateway);
        Pool pool = Pool.builder().id(poolId).tenantId(TENANT).subnetId(subnetId).protocol(protocol).status(Status.ACTIVE).build();
        Vip vip = Vip.builder().id(new UUID(poolId.getMostSignificantBits(), 0x8000_0000_0000_0002L)).tenantId(TENANT)
                .subnetId(subnetId).address(vipAddress).portId(portId).protocolPort(80).protocol(protocol).poolId(poolId)
                .status(Status.ACTIVE).build();
        return new LoadBalancer(subnet, pool, Optional.of(vip), List.of(), List.of());
    }

    static Member member(LoadBalancer lb, UUID id, InetAddress address, int port, int weight, boolean up) {
        return Member.builder().id(id).tenantId(TENANT).poolId(lb.id()).address(address).protocolPort(port)
                .weight(weight).adminStateUp(up).status(Status.ACTIVE).build();
    }

    static Member member(LoadBalancer lb, UUID id, String address, int port) {
        return member(lb, id, IpAddresses.parse(address, "address"), port, 1, true);
    }

    static LoadBalancer withMember(LoadBalancer lb, Member m) {
        List<Member> ms = new ArrayList<>(lb.members());
        ms.add(m);
        return lb.withMembers(ms);
    }

    static LoadBalancer withoutMember(LoadBalancer lb, UUID id) {
        return lb.withMembers(lb.members().stream().filter(m -> !m.id().equals(id)).toList());
    }

    static LoadBalancer replaceMember(LoadBalancer lb, Member m) {
        return lb.withMembers(lb.members().stream().map(x -> x.id().equals(m.id()) ? m : x).toList());
    }

    static LoadBalancer method(LoadBalancer lb, LbMethod method) {
        return lb.withPool(lb.pool().toBuilder().lbMethod(method).build());
    }

    static LoadBalancer vip(LoadBalancer lb, java.util.function.UnaryOperator<Vip.Builder> change) {
        return lb.withVip(Optional.of(change.apply(lb.vip().orElseThrow().toBuilder()).build()));
    }

    static LoadBalancer persistence(LoadBalancer lb, SessionPersistence sp) {
        return vip(lb, b -> b.sessionPersistence(sp));
    }

    static HealthMonitor httpMonitor(UUID id, int delay, int timeout, int retries, String path) {
        return HealthMonitor.builder().id(id).tenantId(TENANT).type(MonitorType.HTTP).delay(delay).timeout(timeout)
                .maxRetries(retries).httpCheck(new HttpCheck(HttpMethod.GET, path, ExpectedCodes.defaultCodes())).build();
    }
}

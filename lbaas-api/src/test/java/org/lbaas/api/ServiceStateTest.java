package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

@DisplayName("the service's state and its indexes")
class ServiceStateTest {

    private static final UUID SUBNET_ID = Fixtures.SUBNET_ID;
    private static final UUID POOL_A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID POOL_B = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    private static final UUID MEMBER = UUID.fromString("00000000-0000-4000-8000-0000000000e1");
    private static final UUID VIP = UUID.fromString("00000000-0000-4000-8000-0000000000f1");
    private static final UUID PORT = UUID.fromString("00000000-0000-4000-8000-0000000000f2");
    private static final UUID MONITOR = UUID.fromString("00000000-0000-4000-8000-0000000000c1");

    private final ServiceState state = new ServiceState();

    private static TrackedLoadBalancer lb(UUID poolId) {
        Pool pool = Pool.builder().id(poolId).tenantId(Fixtures.TENANT).subnetId(SUBNET_ID).protocol(Protocol.HTTP).build();
        return TrackedLoadBalancer.create(pool, Fixtures.SUBNET);
    }

    private static Member member(UUID poolId, String address) {
        return Member.builder().id(MEMBER).tenantId(Fixtures.TENANT).poolId(poolId).address(address).protocolPort(80)
                .build();
    }

    private static Vip vip(UUID poolId, String address) {
        return Vip.builder().id(VIP).tenantId(Fixtures.TENANT).subnetId(SUBNET_ID).address(address).portId(PORT)
                .protocolPort(80).protocol(Protocol.HTTP).poolId(poolId).build();
    }

    private TrackedLoadBalancer full() {
        return lb(POOL_A).withMember(member(POOL_A, "192.168.1.5"))
                .withVip(Optional.of(vip(POOL_A, "10.0.0.10")), Optional.of(Fixtures.SUBNET))
                .withAssociation(new PoolMonitorAssociation(POOL_A, MONITOR, Status.ACTIVE, ""));
    }

    @Test
    @DisplayName("every object is found through its index after a replace, and nothing is after a removal")
    void indexesFollowReplace() {
        state.replace(POOL_A, Optional.of(full()));
        assertEquals(Optional.of(POOL_A), state.poolOfMember(MEMBER));
        assertEquals(Optional.of(POOL_A), state.poolOfVip(VIP));
        assertEquals(List.of(POOL_A), state.poolsOfMonitor(MONITOR));
        assertEquals(Set.of(IpAddresses.parse("10.0.0.10", "test")), state.vipAddresses(SUBNET_ID));
        assertEquals(VIP, state.vipWithAddress(SUBNET_ID, IpAddresses.parse("10.0.0.10", "test")).orElseThrow().id());
        assertEquals(VIP, state.vipWithPort(PORT).orElseThrow().id());
        assertEquals(MEMBER, state.memberOrThrow(MEMBER).id());

        state.replace(POOL_A, Optional.empty());
        assertEquals(Optional.empty(), state.poolOfMember(MEMBER));
        assertEquals(Optional.empty(), state.poolOfVip(VIP));
        assertEquals(List.of(), state.poolsOfMonitor(MONITOR));
        assertEquals(Set.of(), state.vipAddresses(SUBNET_ID));
        assertEquals(Optional.empty(), state.vipWithPort(PORT));
        assertThrows(NotFoundException.class, () -> state.memberOrThrow(MEMBER));
        assertThrows(NotFoundException.class, () -> state.lbOrThrow(POOL_A));
    }

    @Test
    @DisplayName("a VIP's address is in use on its own subnet only")
    void addressesPerSubnet() {
        state.replace(POOL_A, Optional.of(full()));
        assertEquals(Set.of(), state.vipAddresses(Fixtures.SUBNET6_ID));
        assertEquals(Optional.empty(), state.vipWithAddress(Fixtures.SUBNET6_ID, IpAddresses.parse("10.0.0.10", "test")));
    }

    @Test
    @DisplayName("a move written new owner first keeps the index on the new owner when the old one is replaced")
    void moveKeepsNewOwner() {
        state.replace(POOL_A, Optional.of(full()));
        state.replace(POOL_B, Optional.of(lb(POOL_B).withMember(member(POOL_B, "192.168.1.5"))
                .withVip(Optional.of(vip(POOL_B, "10.0.0.10")), Optional.of(Fixtures.SUBNET))));
        state.replace(POOL_A, Optional.of(full().withoutMember(MEMBER).withVip(Optional.empty(), Optional.empty())));
        assertEquals(Optional.of(POOL_B), state.poolOfMember(MEMBER));
        assertEquals(Optional.of(POOL_B), state.poolOfVip(VIP));
        assertEquals(POOL_B, state.vipWithPort(PORT).orElseThrow().poolId());
        assertEquals(POOL_B, state.findMember(MEMBER).orElseThrow().poolId());
    }

    @Test
    @DisplayName("an object is settled when it is not pending or gone; a status names its load balancer")
    void findAndSettled() {
        state.replace(POOL_A, Optional.of(full()));
        ServiceState.ObjectStatus pool = state.find(ObjectKey.pool(POOL_A)).orElseThrow();
        assertEquals(new ServiceState.ObjectStatus(Status.PENDING_CREATE, "", POOL_A), pool);
        assertFalse(state.settled(ObjectKey.pool(POOL_A)));
        assertTrue(state.settled(ObjectKey.association(POOL_A, MONITOR)));
        assertTrue(state.settled(ObjectKey.member(UUID.randomUUID())));
        assertEquals(POOL_A, state.find(ObjectKey.member(MEMBER)).orElseThrow().lbId());
        assertEquals(Optional.empty(), state.find(ObjectKey.association(POOL_B, MONITOR)));
    }

    @Test
    @DisplayName("the driver is told the load balancer without the objects being deleted, with the monitors themselves")
    void desired() {
        HealthMonitor monitor = HealthMonitor.builder().id(MONITOR).tenantId(Fixtures.TENANT).type(MonitorType.TCP).build();
        state.replaceMonitor(MONITOR, Optional.of(monitor));
        TrackedLoadBalancer lb = full();
        state.replace(POOL_A, Optional.of(lb));
        LoadBalancer d = state.desired(lb);
        assertEquals(List.of(MEMBER), d.members().stream().map(Member::id).toList());
        assertEquals(List.of(monitor), d.healthMonitors());
        assertEquals(Fixtures.SUBNET, d.subnet());
        assertEquals(List.of(POOL_A), state.monitorView(monitor).pools().stream()
                .map(PoolMonitorAssociation::poolId).toList());

        TrackedLoadBalancer deleting = lb.withMember(lb.members().get(MEMBER).withStatus(Status.PENDING_DELETE, ""))
                .withAssociation(lb.associations().get(MONITOR).withStatus(Status.PENDING_DELETE, ""))
                .withVip(Optional.of(lb.vip().orElseThrow().withStatus(Status.PENDING_DELETE, "")), lb.vipSubnet());
        LoadBalancer less = state.desired(deleting);
        assertEquals(List.of(), less.members());
        assertEquals(List.of(), less.healthMonitors());
        assertEquals(Optional.empty(), less.vip());
    }

    @Test
    @DisplayName("pending markers say since which change an object waits, and the stored form drops them")
    void pendingMarkers() {
        TrackedLoadBalancer lb = full().pendingSince(MEMBER, 7).pendingSince(POOL_A, 9);
        assertTrue(lb.pendingUpTo(MEMBER, 7));
        assertFalse(lb.pendingUpTo(POOL_A, 8));
        assertTrue(lb.pendingUpTo(POOL_A, 9));
        assertFalse(lb.withoutMember(MEMBER).pendingUpTo(MEMBER, 7));
        assertEquals(lb.withRevision(3).stored(), TrackedLoadBalancer.of(lb.withRevision(3).stored()).stored());
        assertEquals(java.util.Map.of(), TrackedLoadBalancer.of(lb.stored()).pending());
        Subnet vipSubnet = TrackedLoadBalancer.of(lb.stored()).vipSubnet().orElseThrow();
        assertEquals(Fixtures.SUBNET, vipSubnet);
    }
}

package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

/** The request and view records: no nulls, documented defaults, and the persistence tri-state. */
class RequestsTest {

    @Test
    void nothingIsNull() {
        UUID id = UUID.randomUUID();
        assertThrows(NullPointerException.class, () -> PoolCreate.of(null, id, Protocol.TCP, LbMethod.ROUND_ROBIN));
        assertThrows(NullPointerException.class,
                () -> new PoolUpdate(Optional.empty(), null, Optional.empty(), Optional.empty()));
        assertThrows(NullPointerException.class, () -> new MemberUpdate(Optional.empty(), Optional.empty(), null));
        assertThrows(NullPointerException.class, () -> VipCreate.of("t", id, 80, null, id));
        assertThrows(NullPointerException.class, () -> VipUpdate.empty().withSessionPersistence(null));
        assertThrows(NullPointerException.class, () -> new Pending<>("x", null));
    }

    @Test
    void defaultsAreV1s() {
        UUID id = UUID.randomUUID();
        PoolCreate pool = PoolCreate.of("t", id, Protocol.HTTP, LbMethod.SOURCE_IP);
        assertEquals("", pool.name());
        assertTrue(pool.adminStateUp());
        assertEquals(Optional.empty(), pool.provider());
        MemberCreate member = MemberCreate.of("t", id, "192.0.2.1", 80);
        assertEquals(1, member.weight());
        assertTrue(member.adminStateUp());
        VipCreate vip = VipCreate.of("t", id, 80, Protocol.HTTP, id);
        assertEquals(-1, vip.connectionLimit());
        assertEquals(Optional.empty(), vip.address());
        assertEquals(Optional.empty(), vip.sessionPersistence());
        assertEquals(Optional.empty(), HealthMonitorCreate.of("t", org.lbaas.model.MonitorType.HTTP, 5, 5, 3).httpMethod());
    }

    @Test
    void memberAddressMustBeALiteral() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> MemberCreate.of("t", UUID.randomUUID(), "example.com", 80));
        assertEquals(List.of("address"), e.violations().stream().map(Violation::path).toList());
    }

    @Test
    void persistenceChangeIsThreeWay() {
        assertEquals(Optional.empty(), VipUpdate.empty().sessionPersistence(), "absent: keep");
        PersistenceChange set = VipUpdate.empty().withSessionPersistence(SessionPersistence.sourceIp()).sessionPersistence()
                .orElseThrow();
        assertFalse(set.isClear());
        assertEquals(Optional.of(SessionPersistence.sourceIp()), set.persistence());
        assertTrue(VipUpdate.empty().withoutSessionPersistence().sessionPersistence().orElseThrow().isClear());
        assertEquals(PersistenceChange.clear(), new PersistenceChange(Optional.empty()));
    }

    @Test
    void subnetRegistry() {
        assertEquals(Optional.of(Fixtures.SUBNET), SubnetRegistry.of(Fixtures.SUBNET).subnet(Fixtures.SUBNET_ID));
        assertEquals(Optional.empty(), SubnetRegistry.of().subnet(Fixtures.SUBNET_ID));
        assertThrows(IllegalArgumentException.class, () -> SubnetRegistry.of(Fixtures.SUBNET, Fixtures.SUBNET));
    }

    @Test
    void builderNeedsADriverAndAPositiveDeadline() {
        assertThrows(IllegalStateException.class, () -> LoadBalancerService.builder().build());
        assertThrows(IllegalArgumentException.class, () -> LoadBalancerService.builder().driverDeadline(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> LoadBalancerService.builder().threads(0));
    }

    @Test
    void exceptionsNameKindAndId() {
        NotFoundException nf = new NotFoundException(ObjectKind.HEALTH_MONITOR, "abc");
        assertEquals("health_monitor abc not found", nf.getMessage());
        InvalidRequestException ir = new InvalidRequestException(ObjectKind.VIP, "",
                List.of(Violation.of("vip.address", "10.0.0.1", "must not be the subnet's gateway")));
        assertTrue(ir.getMessage().startsWith("invalid vip: vip.address"), ir.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InvalidRequestException(ObjectKind.VIP, "", List.of()));
        assertTrue(LbaasException.class.isAssignableFrom(UnsupportedByDriverException.class));
        assertTrue(RuntimeException.class.isAssignableFrom(LbaasException.class));
    }
}

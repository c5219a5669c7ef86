package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PoolStatsAndAssociationTest {

    @Test
    void countersMayBeZeroButNotNegative() {
        assertEquals(PoolStats.ZERO, new PoolStats(0, 0, 0, 0));
        assertOnlyViolation(() -> new PoolStats(-1, 0, 0, 0), "bytes_in", "between 0 and");
        assertOnlyViolation(() -> new PoolStats(0, -1, 0, 0), "bytes_out", "between 0 and");
        assertOnlyViolation(() -> new PoolStats(0, 0, -1, 0), "active_connections", "between 0 and");
        assertOnlyViolation(() -> new PoolStats(0, 0, 0, Long.MIN_VALUE), "total_connections", "between 0 and");
        ValidationException e = assertThrows(ValidationException.class, () -> new PoolStats(-1, -1, -1, -1));
        assertEquals(List.of("bytes_in", "bytes_out", "active_connections", "total_connections"), Fixtures.paths(e));
    }

    @Test
    void plusAddsAndSaturates() {
        assertEquals(new PoolStats(3, 5, 7, 9), new PoolStats(1, 2, 3, 4).plus(new PoolStats(2, 3, 4, 5)));
        PoolStats big = new PoolStats(Long.MAX_VALUE, 1, 1, Long.MAX_VALUE - 1);
        assertEquals(new PoolStats(Long.MAX_VALUE, 2, 2, Long.MAX_VALUE), big.plus(new PoolStats(1, 1, 1, 5)));
    }

    @Test
    void anAssociationNeedsBothIdsAndAStatus() {
        ValidationException e = assertThrows(ValidationException.class, () -> new PoolMonitorAssociation(null, null, null, ""));
        assertEquals(List.of("pool_id", "monitor_id", "status"), Fixtures.paths(e));
        PoolMonitorAssociation a = new PoolMonitorAssociation(Fixtures.POOL_ID, Fixtures.uuid(1), Status.PENDING_CREATE, "");
        assertEquals(Status.ACTIVE, a.withStatus(Status.ACTIVE, "").status());
        assertOnlyViolation(() -> a.withStatus(Status.ERROR, "x\ny"), "status_description", "control");
    }

    @ParameterizedTest
    @EnumSource(MemberHealth.class)
    void memberHealthMapsToTheV1StatusClientsExpect(MemberHealth health) {
        Status expected = switch (health) {
            case DOWN -> Status.INACTIVE;
            case MAINT -> Status.DISABLED;
            default -> Status.ACTIVE;
        };
        assertEquals(expected, health.toV1Status());
    }

    @Test
    void onlyThePendingStatusesArePending() {
        for (Status s : Status.values()) {
            assertEquals(s.name().startsWith("PENDING_"), s.isPending(), s.name());
        }
        assertTrue(MonitorType.HTTPS.isHttp());
        assertFalse(MonitorType.TCP.isHttp());
        assertTrue(Protocol.HTTP.isHttp());
        assertFalse(Protocol.HTTPS.isHttp());
    }
}

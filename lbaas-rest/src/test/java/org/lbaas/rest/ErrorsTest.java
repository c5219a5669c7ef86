package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.ConflictException;
import org.lbaas.api.ConflictException.Reason;
import org.lbaas.api.InvalidRequestException;
import org.lbaas.api.InvalidStateException;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.StorageException;
import org.lbaas.api.UnsupportedByDriverException;
import org.lbaas.api.json.InvalidJsonException;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.model.Status;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

@DisplayName("every failure kind maps to its status and Neutron type")
class ErrorsTest {

    private static ApiError map(RuntimeException e) {
        return Errors.map(e).orElseThrow(() -> new AssertionError("not mapped: " + e));
    }

    @Test
    @DisplayName("not found: 404 with v1's type per kind")
    void notFound() {
        assertEquals("PoolNotFound", map(new NotFoundException(ObjectKind.POOL, "x")).type());
        assertEquals("MemberNotFound", map(new NotFoundException(ObjectKind.MEMBER, "x")).type());
        assertEquals("HealthMonitorNotFound", map(new NotFoundException(ObjectKind.HEALTH_MONITOR, "x")).type());
        assertEquals("VipNotFound", map(new NotFoundException(ObjectKind.VIP, "x")).type());
        assertEquals("PoolMonitorAssociationNotFound", map(new NotFoundException(ObjectKind.ASSOCIATION, "x")).type());
        ApiError subnet = map(new NotFoundException(ObjectKind.SUBNET, "s1"));
        assertEquals(404, subnet.status());
        assertEquals("SubnetNotFound", subnet.type());
        assertTrue(subnet.getMessage().contains("s1"));
    }

    private static ConflictException conflict(ObjectKind kind, String id, Reason reason, String message) {
        return new ConflictException(kind, id, reason, message);
    }

    @Test
    @DisplayName("conflicts: 409, where v1 answered some with 500")
    void conflicts() {
        assertEquals("PoolInUse", map(conflict(ObjectKind.POOL, "p", Reason.IN_USE, "in use")).type());
        assertEquals("HealthMonitorInUse", map(conflict(ObjectKind.HEALTH_MONITOR, "m", Reason.IN_USE, "in use")).type());
        assertEquals("PoolMonitorAssociationExists", map(conflict(ObjectKind.ASSOCIATION, "a", Reason.ASSOCIATION_EXISTS, "exists")).type());
        assertEquals("MemberExists", map(conflict(ObjectKind.MEMBER, "m", Reason.MEMBER_EXISTS, "exists")).type());
        assertEquals("VipExists", map(conflict(ObjectKind.VIP, "", Reason.VIP_EXISTS, "pool p already has vip v")).type());
        assertEquals("IpAddressInUse", map(conflict(ObjectKind.VIP, "", Reason.ADDRESS_IN_USE, "address 10.0.0.5 on subnet s is in use")).type());
        assertEquals("PortInUse", map(conflict(ObjectKind.VIP, "", Reason.PORT_IN_USE, "port 1 is in use by vip v")).type());
        assertEquals("IpAddressGenerationFailure",
                map(conflict(ObjectKind.VIP, "", Reason.NO_FREE_ADDRESS, "subnet s (10.0.0.0/30) has no free address for a vip")).type());
        ApiError state = map(new InvalidStateException(ObjectKind.POOL, "p", Status.PENDING_DELETE, "pool p is being deleted"));
        assertEquals(409, state.status());
        assertEquals("StateInvalid", state.type());
        assertEquals(409, map(new ConflictException(ObjectKind.MEMBER, "m", "x")).status());
    }

    @Test
    @DisplayName("invalid input: 400 naming every path")
    void badRequests() {
        ApiError invalid = map(new InvalidRequestException(ObjectKind.HEALTH_MONITOR, "",
                List.of(Violation.of("health_monitor.timeout", 10, "must not exceed delay (3 s)"))));
        assertEquals(400, invalid.status());
        assertTrue(invalid.getMessage().contains("health_monitor.timeout"));
        ApiError validation = map(new ValidationException(List.of(Violation.of("pool.protocol", "UDP", "must be one of"),
                Violation.of("pool.lb_method", null, "is required"))));
        assertEquals(400, validation.status());
        assertEquals("Invalid input: pool.protocol: must be one of (rejected: \"UDP\"); pool.lb_method: is required (rejected: null)",
                validation.getMessage());
        ApiError json = map(new InvalidJsonException(2, 7, "pool", "unexpected end"));
        assertEquals(400, json.status());
        assertTrue(json.getMessage().contains("line 2, column 7"), json.getMessage());
        ApiError unsupported = map(new UnsupportedByDriverException(ObjectKind.HEALTH_MONITOR, "",
                List.of(Violation.of("health_monitor.type", "PING", "is not supported"))));
        assertEquals(400, unsupported.status());
        assertEquals("UnsupportedByDriver", unsupported.type());
    }

    @Test
    @DisplayName("storage and driver failures: 500 and 503 with the tenant's message only")
    void serverSide() {
        ApiError storage = map(new StorageException(ObjectKind.POOL, "p", "disk full", new IOException("ENOSPC")));
        assertEquals(500, storage.status());
        assertEquals("StorageError", storage.type());
        ApiError driver = map(new DriverException("statistics are not available", "socket /x refused", true));
        assertEquals(503, driver.status());
        assertEquals("statistics are not available", driver.getMessage());
        assertTrue(Errors.map(new IllegalStateException("bug")).isEmpty(), "a bug is not dressed up as a known failure");
    }
}

package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.monitor;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HealthMonitorTest {

    @ParameterizedTest(name = "delay {0}, timeout {1}")
    @CsvSource({"1,1", "2,1", "5,5", "10,3", "86400,86400", "86400,1"})
    void delayAtLeastTimeoutBothOneTo86400IsAccepted(int delay, int timeout) {
        HealthMonitor m = monitor(1).delay(delay).timeout(timeout).build();
        assertEquals(delay, m.delay());
        assertEquals(timeout, m.timeout());
    }

    @ParameterizedTest(name = "delay {0}, timeout {1}")
    @CsvSource({"1,2", "4,5", "86399,86400"})
    void timeoutAboveDelayIsRejectedAtTimeout(int delay, int timeout) {
        Violation v = assertOnlyViolation(() -> monitor(1).delay(delay).timeout(timeout).build(), "timeout",
                "must not exceed delay");
        assertEquals(Integer.toString(timeout), v.rejectedValue());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 86_401, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void delayOutsideOneTo86400IsRejected(int delay) {
        assertOnlyViolation(() -> monitor(1).delay(delay).timeout(1).build(), "delay", "between 1 and 86400");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 86_401})
    void timeoutOutsideOneTo86400IsRejectedWithoutAComparisonToDelay(int timeout) {
        assertOnlyViolation(() -> monitor(1).delay(86_400).timeout(timeout).build(), "timeout", "between 1 and 86400");
    }

    @org.junit.jupiter.api.Test
    void zeroDelayAndTimeoutAreBothReported() {
        ValidationException e = assertThrows(ValidationException.class, () -> monitor(1).delay(0).timeout(0).build());
        assertEquals(List.of("delay", "timeout"), Fixtures.paths(e));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9, 10})
    void maxRetriesOneToTenIsAccepted(int retries) {
        assertEquals(retries, monitor(1).maxRetries(retries).build().maxRetries());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 11, 100})
    void maxRetriesOutsideOneToTenIsRejected(int retries) {
        assertOnlyViolation(() -> monitor(1).maxRetries(retries).build(), "max_retries", "between 1 and 10");
    }

    @ParameterizedTest
    @EnumSource(value = MonitorType.class, names = {"HTTP", "HTTPS"})
    void httpMonitorsGetV1DefaultsFromTheBuilder(MonitorType type) {
        HealthMonitor m = monitor(1).type(type).build();
        HttpCheck check = m.httpCheck().orElseThrow();
        assertEquals(HttpMethod.GET, check.method());
        assertEquals("/", check.urlPath());
        assertEquals("200", check.expectedCodes().spec());
    }

    @ParameterizedTest
    @EnumSource(value = MonitorType.class, names = {"HTTP", "HTTPS"})
    void httpMonitorsWithoutHttpFieldsAreRejected(MonitorType type) {
        HealthMonitor valid = monitor(1).type(type).build();
        assertOnlyViolation(() -> new HealthMonitor(valid.id(), valid.tenantId(), type, 5, 3, 3, Optional.empty(), true),
                "http_method", "needs http_method");
    }

    @ParameterizedTest
    @EnumSource(value = MonitorType.class, names = {"PING", "TCP"})
    void pingAndTcpMonitorsCarryNoHttpFields(MonitorType type) {
        assertEquals(Optional.empty(), monitor(1).type(type).build().httpCheck());
        Violation v = assertOnlyViolation(() -> monitor(1).type(type).httpCheck(HttpCheck.defaults()).build(),
                "http_method", "only for HTTP and HTTPS");
        assertEquals("GET", v.rejectedValue());
    }

    @Test
    void aNullOptionalMeansNoHttpCheck() {
        HealthMonitor m = new HealthMonitor(Fixtures.uuid(9), "t", MonitorType.TCP, 5, 3, 3, null, true);
        assertEquals(Optional.empty(), m.httpCheck());
    }

    @Test
    void typeIsRequired() {
        assertOnlyViolation(() -> monitor(1).type(null).build(), "type", "required");
    }

    @Test
    void tenantFollowsThePoolRule() {
        assertOnlyViolation(() -> monitor(1).tenantId("a b").build(), "tenant_id", "letters");
    }

    @Test
    void threeBadFieldsGiveThreeViolations() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> monitor(1).delay(-1).timeout(86_401).maxRetries(0).build());
        assertEquals(List.of("delay", "timeout", "max_retries"), Fixtures.paths(e));
    }

    @Test
    void toBuilderRoundTrips() {
        HealthMonitor m = monitor(2).type(MonitorType.HTTPS)
                .httpCheck(new HttpCheck(HttpMethod.HEAD, "/health?full=1", ExpectedCodes.parse("200-204"))).build();
        assertEquals(m, m.toBuilder().build());
        assertTrue(m.adminStateUp());
    }
}

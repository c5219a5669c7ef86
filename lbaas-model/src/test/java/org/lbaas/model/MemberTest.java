package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.ip;
import static org.lbaas.model.Fixtures.member;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 80, 65_535})
    void protocolPortInsideOneTo65535IsAccepted(int port) {
        assertEquals(port, member(1).protocolPort(port).build().protocolPort());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 65_536, Integer.MAX_VALUE})
    void protocolPortOutsideOneTo65535IsRejected(int port) {
        Violation v = assertOnlyViolation(() -> member(1).protocolPort(port).build(), "protocol_port", "between 1 and 65535");
        assertEquals(Integer.toString(port), v.rejectedValue());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 256})
    void weightInsideZeroTo256IsAccepted(int weight) {
        assertEquals(weight, member(1).weight(weight).build().weight());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 257, 1000})
    void weightOutsideZeroTo256IsRejected(int weight) {
        assertOnlyViolation(() -> member(1).weight(weight).build(), "weight", "between 0 and 256");
    }

    @Test
    void defaultsAreThoseOfV1() {
        Member m = member(1).build();
        assertEquals(1, m.weight());
        assertTrue(m.adminStateUp());
        assertEquals(Status.PENDING_CREATE, m.status());
        assertEquals("", m.statusDescription());
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.7", "169.254.1.1", "2001:db8::7", "fd00::1"})
    void anyUnicastAddressOnAnyNetworkIsAccepted(String address) {
        assertEquals(ip(address), member(1).address(address).build().address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "::", "::1", "ff02::1", "fe80::1"})
    void nonUnicastAddressesAreRejected(String address) {
        assertOnlyViolation(() -> member(1).address(address).build(), "address", "unicast");
    }

    @Test
    void aScopedIpv6AddressBuiltInCodeIsRejected() throws Exception {
        InetAddress scoped = Inet6Address.getByAddress(null, ip("2001:db8::7").getAddress(), 5);
        assertOnlyViolation(() -> member(1).address(scoped).build(), "address", "scope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "fe80::1%eth0", "[2001:db8::1]", ""})
    void theBuilderRejectsTextThatIsNotAnIpLiteral(String text) {
        assertOnlyViolation(() -> member(1).address(text), "address", "IPv4 or IPv6 address literal");
    }

    @Test
    void missingFieldsAreAllReportedAsRequired() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> new Member(null, null, null, null, 80, 1, true, null, null));
        assertEquals(List.of("id", "tenant_id", "pool_id", "address", "status", "status_description"), Fixtures.paths(e));
        e.violations().forEach(v -> Fixtures.assertRuleMentions(v, "required"));
    }

    @Test
    void statusDescriptionUpTo1024CharactersIsAccepted() {
        String text = "x".repeat(1024);
        assertEquals(text, member(1).statusDescription(text).build().statusDescription());
    }

    @Test
    void statusDescriptionOf1025CharactersIsRejected() {
        assertOnlyViolation(() -> member(1).statusDescription("x".repeat(1025)).build(), "status_description", "at most 1024");
    }

    @Test
    void statusDescriptionWithANewlineIsRejected() {
        assertOnlyViolation(() -> member(1).statusDescription("down\nserver x").build(), "status_description", "control");
    }

    @Test
    void withStatusKeepsEverythingElse() {
        Member m = member(3).weight(7).build();
        Member changed = m.withStatus(Status.ERROR, "boom");
        assertEquals(Status.ERROR, changed.status());
        assertEquals("boom", changed.statusDescription());
        assertEquals(m, changed.toBuilder().status(m.status()).statusDescription("").build());
    }

    @Test
    void threeBadFieldsGiveThreeViolationsWithTheirPaths() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> member(1).protocolPort(0).weight(300).tenantId("bad tenant").build());
        assertEquals(List.of("tenant_id", "protocol_port", "weight"), Fixtures.paths(e));
        assertTrue(e.getMessage().startsWith("3 violations:"), e.getMessage());
    }
}

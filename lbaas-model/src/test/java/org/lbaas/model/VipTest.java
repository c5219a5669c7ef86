package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.vip;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class VipTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 443, 65_535})
    void protocolPortInRangeIsAccepted(int port) {
        assertEquals(port, vip().protocolPort(port).build().protocolPort());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65_536, -80})
    void protocolPortOutOfRangeIsRejected(int port) {
        assertOnlyViolation(() -> vip().protocolPort(port).build(), "protocol_port", "between 1 and 65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, Integer.MAX_VALUE})
    void connectionLimitOfMinusOneOrMoreIsAccepted(int limit) {
        Vip vip = vip().connectionLimit(limit).build();
        assertEquals(limit, vip.connectionLimit());
        assertEquals(limit == -1, vip.unlimited());
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -100, Integer.MIN_VALUE})
    void connectionLimitBelowMinusOneIsRejected(int limit) {
        assertOnlyViolation(() -> vip().connectionLimit(limit).build(), "connection_limit", "-1 (unlimited)");
    }

    @Test
    void defaultsAreThoseOfV1() {
        Vip vip = vip().build();
        assertTrue(vip.unlimited());
        assertEquals(Optional.empty(), vip.sessionPersistence());
        assertTrue(vip.adminStateUp());
        assertEquals(Status.PENDING_CREATE, vip.status());
        assertEquals("", vip.name());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sourceIpPersistenceFitsEveryProtocol(Protocol protocol) {
        Vip vip = vip().protocol(protocol).sessionPersistence(SessionPersistence.sourceIp()).build();
        assertEquals(PersistenceType.SOURCE_IP, vip.sessionPersistence().orElseThrow().type());
    }

    @ParameterizedTest
    @EnumSource(value = PersistenceType.class, names = {"HTTP_COOKIE", "APP_COOKIE"})
    void cookiePersistenceFitsHttp(PersistenceType type) {
        SessionPersistence sp = new SessionPersistence(type, type.needsCookieName() ? Optional.of("JSESSIONID") : Optional.empty());
        assertEquals(sp, vip().protocol(Protocol.HTTP).sessionPersistence(sp).build().sessionPersistence().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({"TCP,HTTP_COOKIE", "TCP,APP_COOKIE", "HTTPS,HTTP_COOKIE", "HTTPS,APP_COOKIE"})
    void cookiePersistenceIsRejectedForTcpAndHttps(Protocol protocol, PersistenceType type) {
        SessionPersistence sp = new SessionPersistence(type, type.needsCookieName() ? Optional.of("JSESSIONID") : Optional.empty());
        Violation v = assertOnlyViolation(() -> vip().protocol(protocol).sessionPersistence(sp).build(),
                "session_persistence.type", "needs protocol HTTP");
        assertEquals(type.name(), v.rejectedValue());
    }

    @Test
    void httpsCookieRejectionExplainsTlsPassthrough() {
        Violation v = assertOnlyViolation(
                () -> vip().protocol(Protocol.HTTPS).sessionPersistence(SessionPersistence.httpCookie()).build(),
                "session_persistence.type", "passthrough");
        Fixtures.assertRuleMentions(v, "encrypted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.2", "239.1.1.1", "::1", "fe80::2"})
    void addressMustBeUnicast(String address) {
        assertOnlyViolation(() -> vip().address(address).build(), "address", "unicast");
    }

    @Test
    void nameAndDescriptionUpTo255CharactersAreAccepted() {
        Vip vip = vip().name("n".repeat(255)).description("d".repeat(255)).build();
        assertEquals(255, vip.name().length());
        assertEquals(255, vip.description().length());
    }

    @Test
    void nameOf256CharactersIsRejected() {
        assertOnlyViolation(() -> vip().name("n".repeat(256)).build(), "name", "at most 255");
    }

    @Test
    void descriptionOf256CharactersIsRejected() {
        assertOnlyViolation(() -> vip().description("d".repeat(256)).build(), "description", "at most 255");
    }

    @Test
    void namesMayHoldSpacesQuotesAndUnicode() {
        String name = "web \"front\" 'vip' #1 \u00e9\u4e2d $HOME 100%";
        assertEquals(name, vip().name(name).build().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\u0000b", "a\tb", "a\u0085b", "a\u2028b", "a\u2029b", "a\u202eb",
            "a\u200bb", "a\ufeffb", "a\u001bb", "a\u007fb", "a\udb40\udc01b"})
    void nameWithControlFormatOrSeparatorCharactersIsRejected(String name) {
        assertOnlyViolation(() -> vip().name(name).build(), "name", "control characters");
    }

    @Test
    void missingPersistenceOptionalIsTreatedAsNone() {
        Vip built = vip().build();
        Vip viaConstructor = new Vip(built.id(), built.tenantId(), built.name(), built.description(), built.subnetId(),
                built.address(), built.portId(), built.protocolPort(), built.protocol(), built.poolId(), null,
                built.connectionLimit(), built.adminStateUp(), built.status(), built.statusDescription());
        assertFalse(viaConstructor.sessionPersistence().isPresent());
        assertEquals(built, viaConstructor);
    }

    @Test
    void withStatusChangesOnlyTheStatus() {
        Vip vip = vip().connectionLimit(10).build();
        Vip active = vip.withStatus(Status.ACTIVE, "");
        assertEquals(Status.ACTIVE, active.status());
        assertEquals(vip, active.toBuilder().status(Status.PENDING_CREATE).build());
    }

    @Test
    void threeBadFieldsGiveThreeViolations() {
        ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
                () -> vip().protocolPort(0).connectionLimit(-5).name("x\ny").build());
        assertEquals(java.util.List.of("name", "protocol_port", "connection_limit"), Fixtures.paths(e));
    }
}

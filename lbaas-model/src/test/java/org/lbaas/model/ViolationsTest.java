package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ViolationsTest {

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void enumValueAcceptsTheExactConstantName(Protocol protocol) {
        Violations v = new Violations();
        assertEquals(Optional.of(protocol), v.enumValue(Protocol.class, protocol.name(), "protocol"));
        assertTrue(v.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "", " HTTP", "HTTP ", "HTTP\n", "H\u0054TP2"})
    void enumValueRejectsUnknownValuesAndListsTheAllowedOnes(String raw) {
        Violations v = new Violations();
        assertEquals(Optional.empty(), v.enumValue(Protocol.class, raw, "protocol"));
        Violation only = v.list().get(0);
        assertEquals(1, v.list().size());
        assertEquals("protocol", only.path());
        assertEquals("must be one of [TCP, HTTP, HTTPS]", only.rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "Http", "round_robin"})
    void enumValueHintsAtUpperCase(String raw) {
        Violations v = new Violations();
        Class<? extends Enum<?>> type = raw.startsWith("round") ? LbMethod.class : Protocol.class;
        if (type == LbMethod.class) {
            v.enumValue(LbMethod.class, raw, "lb_method");
        } else {
            v.enumValue(Protocol.class, raw, "protocol");
        }
        Fixtures.assertRuleMentions(v.list().get(0), "(values are upper case)");
        Fixtures.assertRuleMentions(v.list().get(0), "must be one of");
    }

    @Test
    void enumValueReportsNullAsRequired() {
        Violations v = new Violations();
        assertEquals(Optional.empty(), v.enumValue(PersistenceType.class, null, "session_persistence.type"));
        assertEquals(List.of(Violation.of("session_persistence.type", null, "is required")), v.list());
    }

    @Test
    void thereIsNoSilentDefaultForAnyEnum() {
        Violations v = new Violations();
        v.enumValue(LbMethod.class, "WEIGHTED", "lb_method");
        v.enumValue(MonitorType.class, "UDP-CONNECT", "type");
        v.enumValue(HttpMethod.class, "TRACE", "http_method");
        v.enumValue(Status.class, "UP", "status");
        assertEquals(List.of("lb_method", "type", "http_method", "status"), v.list().stream().map(Violation::path).toList());
        assertThrows(ValidationException.class, v::throwIfAny);
    }

    @Test
    void rangeCheckReportsTheBounds() {
        Violations v = new Violations();
        assertTrue(v.range(5, 1, 5, "x"));
        assertFalse(v.range(6, 1, 5, "x"));
        assertEquals("must be between 1 and 5", v.list().get(0).rule());
        assertEquals("6", v.list().get(0).rejectedValue());
    }

    @Test
    void nestedKeepsGoingAndPrefixesPaths() {
        Violations v = new Violations();
        Optional<Member> bad = v.nested("members[2]", () -> Fixtures.member(1).protocolPort(0).build());
        Optional<Member> good = v.nested("members[3]", () -> Fixtures.member(2).build());
        Optional<Vip> badVip = v.nested("vip", () -> Fixtures.vip().sessionPersistence(null).connectionLimit(-9).build());
        assertTrue(bad.isEmpty());
        assertTrue(good.isPresent());
        assertTrue(badVip.isEmpty());
        assertEquals(List.of("members[2].protocol_port", "vip.connection_limit"),
                v.list().stream().map(Violation::path).toList());
        ValidationException e = assertThrows(ValidationException.class, v::throwIfAny);
        assertEquals(2, e.violations().size());
    }

    @Test
    void throwIfAnyIsQuietWithoutViolations() {
        Violations v = new Violations();
        v.throwIfAny();
        assertTrue(v.isEmpty());
        v.check(true, "x", 1, "fine");
        v.throwIfAny();
        assertEquals(List.of(), v.list());
    }

    @Test
    void prefixingJoinsWithDotsOrBrackets() {
        Violation v = Violation.of("cookie_name", "a b", "bad");
        assertEquals("vip.session_persistence.cookie_name", v.prefixed("session_persistence").prefixed("vip").path());
        assertEquals("members[1]", Violation.of("[1]", null, "is required").prefixed("members").path());
        assertEquals(v, v.prefixed(""));
        ValidationException e = ValidationException.of("url_path", "x", "bad").prefixed("health_monitors[0]");
        assertEquals("health_monitors[0].url_path", e.violations().get(0).path());
    }
}

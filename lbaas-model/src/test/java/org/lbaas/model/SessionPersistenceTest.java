package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionPersistenceTest {

    @Test
    void appCookieRequiresACookieName() {
        assertOnlyViolation(() -> new SessionPersistence(PersistenceType.APP_COOKIE, Optional.empty()), "cookie_name",
                "required for APP_COOKIE");
        assertOnlyViolation(() -> new SessionPersistence(PersistenceType.APP_COOKIE, null), "cookie_name", "required");
    }

    @ParameterizedTest
    @EnumSource(value = PersistenceType.class, names = {"SOURCE_IP", "HTTP_COOKIE"})
    void otherTypesForbidACookieName(PersistenceType type) {
        Violation v = assertOnlyViolation(() -> new SessionPersistence(type, Optional.of("SID")), "cookie_name",
                "must not be set for " + type);
        assertEquals("\"SID\"", v.rejectedValue());
    }

    @ParameterizedTest
    @EnumSource(value = PersistenceType.class, names = {"SOURCE_IP", "HTTP_COOKIE"})
    void otherTypesWithoutCookieNameAreAccepted(PersistenceType type) {
        assertEquals(Optional.empty(), new SessionPersistence(type, Optional.empty()).cookieName());
    }

    @Test
    void factoriesBuildTheThreeKinds() {
        assertEquals(PersistenceType.SOURCE_IP, SessionPersistence.sourceIp().type());
        assertEquals(PersistenceType.HTTP_COOKIE, SessionPersistence.httpCookie().type());
        assertEquals(Optional.of("JSESSIONID"), SessionPersistence.appCookie("JSESSIONID").cookieName());
        assertThrows(NullPointerException.class, () -> SessionPersistence.appCookie(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "JSESSIONID", "PHPSESSID", "__Host-id", "!#$%&'*+-.^_`|~", "0123456789"})
    void rfc6265TokenCookieNamesAreAccepted(String name) {
        assertEquals(Optional.of(name), SessionPersistence.appCookie(name).cookieName());
    }

    @Test
    void cookieNameOf64CharactersIsAcceptedAnd65Rejected() {
        assertEquals(64, SessionPersistence.appCookie("c".repeat(64)).cookieName().orElseThrow().length());
        assertOnlyViolation(() -> SessionPersistence.appCookie("c".repeat(65)), "cookie_name", "1 to 64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$", "$Version", "$Path", "$1"})
    void cookieNamesStartingWithDollarAreRejected(String name) {
        assertOnlyViolation(() -> SessionPersistence.appCookie(name), "cookie_name", "not starting with '$'");
    }

    @Test
    void aDollarAfterTheFirstCharacterIsAccepted() {
        assertEquals(Optional.of("a$b$"), SessionPersistence.appCookie("a$b$").cookieName());
    }

    @Test
    void anEmptyCookieNameIsRejected() {
        assertOnlyViolation(() -> SessionPersistence.appCookie(""), "cookie_name", "1 to 64");
    }

    /** RFC 2616 separators, space, tab, controls and non-ASCII. */
    static Stream<String> nonTokenCharacters() {
        Stream<String> separators = "()<>@,;:\\\"/[]?={} \t".chars().mapToObj(c -> String.valueOf((char) c));
        Stream<String> controls = IntStream.concat(IntStream.rangeClosed(0, 0x1f), IntStream.of(0x7f))
                .mapToObj(c -> String.valueOf((char) c));
        return Stream.concat(Stream.concat(separators, controls), Stream.of("\u00e9", "\u2028", "\u202e", "\u00a0"));
    }

    @ParameterizedTest
    @MethodSource("nonTokenCharacters")
    void cookieNamesWithNonTokenCharactersAreRejected(String c) {
        assertOnlyViolation(() -> SessionPersistence.appCookie("SID" + c + "x"), "cookie_name", "RFC 6265 token");
    }

    @Test
    void aBadNameOnTheWrongTypeBreaksBothRules() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> new SessionPersistence(PersistenceType.SOURCE_IP, Optional.of("a b")));
        assertEquals(List.of("cookie_name", "cookie_name"), Fixtures.paths(e));
        assertTrue(e.violations().get(0).rule().contains("only APP_COOKIE"));
        assertTrue(e.violations().get(1).rule().contains("token"));
    }

    @Test
    void typeIsRequired() {
        assertOnlyViolation(() -> new SessionPersistence(null, Optional.empty()), "type", "is required");
    }

    @Test
    void onlyCookieTypesNeedHttp() {
        assertEquals(false, PersistenceType.SOURCE_IP.usesCookies());
        assertEquals(true, PersistenceType.HTTP_COOKIE.usesCookies());
        assertEquals(true, PersistenceType.APP_COOKIE.needsCookieName());
        assertEquals(false, PersistenceType.HTTP_COOKIE.needsCookieName());
    }
}

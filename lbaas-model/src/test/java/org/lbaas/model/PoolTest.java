package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.pool;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoolTest {

    @Test
    void defaultsAreRoundRobinAdminUpPendingCreateAndEmptyTexts() {
        Pool p = pool().build();
        assertEquals(LbMethod.ROUND_ROBIN, p.lbMethod());
        assertEquals("", p.provider());
        assertEquals("", p.name());
        assertEquals(Status.PENDING_CREATE, p.status());
        assertEquals(true, p.adminStateUp());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "tenant-a", "t_1.2-3", "9f3c2a7e1b4d4e0f8a6b5c4d3e2f1a0b"})
    void tenantIdsOfLettersDigitsAndUnderscoreDotDashAreAccepted(String tenant) {
        assertEquals(tenant, pool().tenantId(tenant).build().tenantId());
    }

    @Test
    void tenantIdOf255CharactersIsAcceptedAnd256Rejected() {
        assertEquals(255, pool().tenantId("t".repeat(255)).build().tenantId().length());
        assertOnlyViolation(() -> pool().tenantId("t".repeat(256)).build(), "tenant_id", "1 to 255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-lead", ".lead", "_lead", "has space", "semi;colon", "new\nline", "tab\t", "quote\"",
            "hash#", "slash/", "d\u00e9j\u00e0", "dollar$", "percent%"})
    void tenantIdsWithOtherCharactersAreRejected(String tenant) {
        assertOnlyViolation(() -> pool().tenantId(tenant).build(), "tenant_id", "letters, digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "haproxy", "haproxy-ns", "vendor_x.v2", "a0"})
    void providerEmptyOrLowerCaseTokenIsAccepted(String provider) {
        assertEquals(provider, pool().provider(provider).build().provider());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HAProxy", "ha proxy", "-x", "x\n", "x;y", "x#"})
    void providerWithOtherCharactersIsRejected(String provider) {
        assertOnlyViolation(() -> pool().provider(provider).build(), "provider", "lower-case");
    }

    @Test
    void providerOf64CharactersIsAcceptedAnd65Rejected() {
        assertEquals(64, pool().provider("p".repeat(64)).build().provider().length());
        assertOnlyViolation(() -> pool().provider("p".repeat(65)).build(), "provider", "1 to 64");
    }

    @Test
    void nameDescriptionAndStatusDescriptionLimits() {
        Pool p = pool().name("n".repeat(255)).description("d".repeat(255)).statusDescription("s".repeat(1024)).build();
        assertEquals(255, p.name().length());
        assertOnlyViolation(() -> pool().name("n".repeat(256)).build(), "name", "at most 255");
        assertOnlyViolation(() -> pool().description("d".repeat(256)).build(), "description", "at most 255");
        assertOnlyViolation(() -> pool().statusDescription("s".repeat(1025)).build(), "status_description", "at most 1024");
    }

    @Test
    void descriptionWithCarriageReturnIsRejected() {
        assertOnlyViolation(() -> pool().description("line\r\nbind :22").build(), "description", "carriage return");
    }

    @Test
    void aTooLongNameWithANewlineBreaksTwoRulesOfTheSameField() {
        ValidationException e = assertThrows(ValidationException.class, () -> pool().name("\n".repeat(300)).build());
        assertEquals(List.of("name", "name"), Fixtures.paths(e));
    }

    @Test
    void everyRequiredFieldIsReportedTogether() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> new Pool(null, null, null, null, null, null, null, null, true, null, null));
        assertEquals(List.of("id", "tenant_id", "name", "description", "subnet_id", "protocol", "lb_method", "provider",
                "status", "status_description"), Fixtures.paths(e));
        e.violations().forEach(v -> Fixtures.assertRuleMentions(v, "is required"));
    }

    @Test
    void threeBadFieldsAreReportedAtOnceWithTheirPaths() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> pool().tenantId("bad tenant").name("x".repeat(300)).provider("UPPER").build());
        assertEquals(List.of("tenant_id", "name", "provider"), Fixtures.paths(e));
        Fixtures.assertRuleMentions(e.violations().get(0), "letters");
        Fixtures.assertRuleMentions(e.violations().get(1), "255");
        Fixtures.assertRuleMentions(e.violations().get(2), "lower-case");
    }

    @Test
    void withStatusKeepsTheRest() {
        Pool p = pool().name("web").build();
        Pool err = p.withStatus(Status.ERROR, "driver failed");
        assertEquals(Status.ERROR, err.status());
        assertEquals("driver failed", err.statusDescription());
        assertEquals(p, err.toBuilder().status(Status.PENDING_CREATE).statusDescription("").build());
    }

    @Test
    void withStatusValidatesTheDescription() {
        assertOnlyViolation(() -> pool().build().withStatus(Status.ERROR, "a\u0000b"), "status_description", "NUL");
    }
}

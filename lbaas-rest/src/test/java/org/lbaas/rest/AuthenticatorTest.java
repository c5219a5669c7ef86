package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    @Test
    void staticTokenAcceptsExactlyItsToken() {
        Authenticator a = Authenticator.staticToken("secret", "tenant-a");
        assertEquals(Optional.of(Caller.tenant("tenant-a")), a.authenticate("secret"));
        assertEquals(Optional.empty(), a.authenticate("Secret"));
        assertEquals(Optional.empty(), a.authenticate("secret "));
        assertEquals(Optional.empty(), a.authenticate("secre"));
    }

    @Test
    void staticTokensMapEachTokenToItsCaller() {
        Authenticator a = Authenticator.staticTokens(Map.of("t1", Caller.tenant("one"), "t2", Caller.admin("ops")));
        assertEquals("one", a.authenticate("t1").orElseThrow().tenantId());
        assertFalse(a.authenticate("t1").orElseThrow().admin());
        assertTrue(a.authenticate("t2").orElseThrow().admin());
        assertTrue(a.authenticate("t3").isEmpty());
    }

    @Test
    void blankTokensAndTenantsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Authenticator.staticToken(" ", "t"));
        assertThrows(IllegalArgumentException.class, () -> Caller.tenant(""));
        assertThrows(NullPointerException.class, () -> Caller.admin(null));
    }

    @Test
    void ownershipFollowsTenantUnlessAdmin() {
        assertTrue(Caller.tenant("a").owns("a"));
        assertFalse(Caller.tenant("a").owns("b"));
        assertTrue(Caller.admin("a").owns("b"));
    }
}

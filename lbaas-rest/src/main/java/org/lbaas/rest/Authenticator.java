package org.lbaas.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the token of a request (Keystone's {@code X-Auth-Token} header) into a {@link Caller}.
 * A request without a token, or with one this answers empty for, gets {@code 401}.
 *
 * <p>An application that has its own identity service implements this interface (it is called on
 * the server's worker threads, so it must be thread-safe and should answer quickly); local use
 * takes {@link #staticToken(String, String)}, the counterpart of the neutron client's
 * {@code token_endpoint} authentication ({@code OS_TOKEN} + {@code OS_URL}).
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Establishes who holds a token.
     *
     * @param token the token as sent, never empty
     * @return the caller, or empty when the token is not valid
     */
    Optional<Caller> authenticate(String token);

    /**
     * Returns an authenticator that accepts exactly one token, for one tenant that is not an
     * administrator. Tokens are compared in constant time.
     *
     * @param token the secret, not blank
     * @param tenantId the tenant the token acts for
     * @return the authenticator
     */
    static Authenticator staticToken(String token, String tenantId) {
        return staticTokens(Map.of(token, Caller.tenant(tenantId)));
    }

    /**
     * Returns an authenticator that accepts a fixed set of tokens, each for its caller. Tokens are
     * compared in constant time.
     *
     * @param callers the caller of each token; tokens must not be blank
     * @return the authenticator
     */
    static Authenticator staticTokens(Map<String, Caller> callers) {
        Objects.requireNonNull(callers, "callers");
        Map<byte[], Caller> fixed = new LinkedHashMap<>();
        callers.forEach((token, caller) -> {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(caller, "caller");
            if (token.isBlank()) {
                throw new IllegalArgumentException("a token must not be blank");
            }
            fixed.put(token.getBytes(StandardCharsets.UTF_8), caller);
        });
        return token -> {
            byte[] given = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
            Caller found = null;
            for (Map.Entry<byte[], Caller> e : fixed.entrySet()) {
                // every entry is compared, so the time taken does not tell which one matched
                if (MessageDigest.isEqual(e.getKey(), given)) {
                    found = e.getValue();
                }
            }
            return Optional.ofNullable(found);
        };
    }
}

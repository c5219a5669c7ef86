package org.lbaas.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How a VIP keeps a client on the same member.
 *
 * <p>Rules: {@link PersistenceType#APP_COOKIE} requires a cookie name; the other types must not
 * carry one. A cookie name is an RFC 6265 token: 1 to 64 visible ASCII characters other than
 * separators ({@code ()<>@,;:\"/[]?={}}, space and tab), and it does not start with {@code $}
 * (reserved for cookie attributes; HAProxy never matches such a cookie). Whether the type fits the VIP's protocol
 * is checked by {@link Vip}.
 *
 * @param type the kind of persistence
 * @param cookieName the application's cookie name, only for {@code APP_COOKIE}
 */
public record SessionPersistence(PersistenceType type, Optional<String> cookieName) {

    public SessionPersistence {
        cookieName = cookieName == null ? Optional.empty() : cookieName;
        Violations v = new Violations();
        if (v.required(type, "type")) {
            if (type.needsCookieName()) {
                v.check(cookieName.isPresent(), "cookie_name", null, "is required for APP_COOKIE persistence");
            } else {
                v.check(cookieName.isEmpty(), "cookie_name", cookieName.orElse(null),
                        "must not be set for " + type + " persistence (only APP_COOKIE uses a cookie name)");
            }
        }
        cookieName.ifPresent(name -> v.check(Rules.cookieName(name), "cookie_name", name,
                "must be 1 to " + Rules.MAX_COOKIE_NAME
                        + " RFC 6265 token characters (letters, digits and !#$%&'*+-.^_`|~), not starting with '$'"));
        v.throwIfAny();
    }

    /** Returns source-IP persistence. */
    public static SessionPersistence sourceIp() {
        return new SessionPersistence(PersistenceType.SOURCE_IP, Optional.empty());
    }

    /** Returns persistence by a cookie the load balancer inserts. */
    public static SessionPersistence httpCookie() {
        return new SessionPersistence(PersistenceType.HTTP_COOKIE, Optional.empty());
    }

    /**
     * Returns persistence by the application's own cookie.
     *
     * @param cookieName the name of the cookie the application sets
     * @return the persistence
     */
    public static SessionPersistence appCookie(String cookieName) {
        return new SessionPersistence(PersistenceType.APP_COOKIE, Optional.of(Objects.requireNonNull(cookieName, "cookieName")));
    }
}

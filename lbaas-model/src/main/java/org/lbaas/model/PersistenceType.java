package org.lbaas.model;

/** How a VIP keeps a client on one member. */
public enum PersistenceType {
    /** By the client's source address (IPv4 or IPv6). Works for every protocol. */
    SOURCE_IP,
    /** By a cookie that the load balancer inserts. Needs protocol HTTP. */
    HTTP_COOKIE,
    /**
     * By a cookie that the application sets, named by
     * {@link SessionPersistence#cookieName()}. Needs protocol HTTP.
     */
    APP_COOKIE;

    /** Returns whether this kind reads cookies and therefore needs protocol HTTP. */
    public boolean usesCookies() {
        return this != SOURCE_IP;
    }

    /** Returns whether this kind needs a cookie name (only {@link #APP_COOKIE}). */
    public boolean needsCookieName() {
        return this == APP_COOKIE;
    }
}

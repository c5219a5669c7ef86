package org.lbaas.model;

/**
 * The protocol a VIP listens with and a pool balances. A VIP's protocol always equals its pool's.
 */
public enum Protocol {
    /** Plain TCP: connections are balanced without looking inside them. */
    TCP,
    /** HTTP: requests are parsed, so cookies can be used for persistence. */
    HTTP,
    /**
     * HTTPS, as TLS passthrough: the load balancer does not terminate TLS, so it balances
     * connections like {@link #TCP} and cannot see cookies.
     */
    HTTPS;

    /** Returns whether the load balancer sees HTTP requests (only {@link #HTTP}). */
    public boolean isHttp() {
        return this == HTTP;
    }
}

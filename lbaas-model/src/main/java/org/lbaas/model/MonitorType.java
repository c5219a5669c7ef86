package org.lbaas.model;

/** How a health monitor probes a member. */
public enum MonitorType {
    /** An ICMP echo to the member's address. Drivers may declare it unsupported. */
    PING,
    /** A TCP connect to the member's port. */
    TCP,
    /** An HTTP request to the member's port, judged by the response status. */
    HTTP,
    /** An HTTP request over TLS to the member's port, judged by the response status. */
    HTTPS;

    /** Returns whether monitors of this type send HTTP requests and so carry an {@link HttpCheck}. */
    public boolean isHttp() {
        return this == HTTP || this == HTTPS;
    }
}

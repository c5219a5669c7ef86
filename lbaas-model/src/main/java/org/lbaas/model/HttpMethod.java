package org.lbaas.model;

/** The HTTP methods an HTTP or HTTPS health monitor may send: a fixed set, nothing else. */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH
}

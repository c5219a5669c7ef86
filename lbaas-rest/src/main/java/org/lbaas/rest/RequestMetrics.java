package org.lbaas.rest;

/**
 * What the server reports about each request. The seam between the server and Micrometer, an
 * optional dependency: {@link MicrometerRequestMetrics}, the only class that names a Micrometer
 * type, is loaded only when the builder was given a registry
 * ({@link LbaasRestServer.Builder#meterRegistry}); {@link #NONE} does nothing.
 */
interface RequestMetrics {

    /** Reports nothing: the server's default, which touches no metrics class. */
    RequestMetrics NONE = (method, route, status, nanos) -> { };

    /**
     * A request was answered (or its connection failed).
     *
     * @param method the HTTP method
     * @param route the route template ({@link ApiHandler#route}), never the raw path
     * @param status the status code written
     * @param nanos from the request head to the end of the answer
     */
    void request(String method, String route, int status, long nanos);
}

package org.lbaas.rest;

import java.util.Map;
import java.util.Objects;

/**
 * A request that ends in an error response: the HTTP status, Neutron's error {@code type} and a
 * message for the user. Thrown anywhere while a request is handled and turned into
 * {@code {"NeutronError": {"type", "message", "detail": ""}}} by {@link ApiHandler}.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient Map<String, String> headers;

    ApiError(int status, String type, String message) {
        this(status, type, message, Map.of(), null);
    }

    ApiError(int status, String type, String message, Map<String, String> headers, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.headers = Map.copyOf(headers);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "HTTPBadRequest", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "HTTPNotFound", message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    Map<String, String> headers() {
        return headers;
    }
}

package org.lbaas.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times requests in a Micrometer registry as {@code lbaas.rest.requests}, tagged {@code method}
 * (one of the methods the API knows, else {@code OTHER}), {@code uri} (the route template),
 * {@code status} (the code) and {@code outcome} ({@code SUCCESS}, {@code CLIENT_ERROR},
 * {@code SERVER_ERROR}, as Micrometer's own HTTP meters say).
 */
final class MicrometerRequestMetrics implements RequestMetrics {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    private MicrometerRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Request metrics in {@code registry}, a Micrometer {@code MeterRegistry}. */
    static RequestMetrics of(Object registry) {
        return new MicrometerRequestMetrics((MeterRegistry) Objects.requireNonNull(registry, "meterRegistry"));
    }

    @Override
    public void request(String method, String route, int status, long nanos) {
        String m = METHODS.contains(method) ? method : "OTHER";
        String outcome = status >= 500 ? "SERVER_ERROR" : status >= 400 ? "CLIENT_ERROR" : "SUCCESS";
        timers.computeIfAbsent(m + ' ' + route + ' ' + status, k -> Timer.builder("lbaas.rest.requests")
                .description("Requests of the Neutron v1 REST API, by route template and status code")
                .tags("method", m, "uri", route, "status", Integer.toString(status), "outcome", outcome)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}

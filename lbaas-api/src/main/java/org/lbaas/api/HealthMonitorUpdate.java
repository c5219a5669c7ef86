package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import org.lbaas.model.HttpMethod;

/**
 * A partial update of a health monitor (Neutron {@code PUT /lb/health_monitors/{id}}): an absent
 * field stays as it is. Type and tenant are fixed after creation; the HTTP fields may only be
 * given for HTTP and HTTPS monitors.
 *
 * <p>The change is re-applied to every pool the monitor is associated with: each association
 * shows {@code PENDING_UPDATE} until its load balancer was applied.
 *
 * @param delay the new delay in seconds
 * @param timeout the new timeout in seconds
 * @param maxRetries the new retry count
 * @param httpMethod the new request method
 * @param urlPath the new request path
 * @param expectedCodes the new expected codes ({@code 200}, {@code 200,202}, {@code 200-204})
 * @param adminStateUp the new admin state
 */
public record HealthMonitorUpdate(Optional<Integer> delay, Optional<Integer> timeout, Optional<Integer> maxRetries,
                                  Optional<HttpMethod> httpMethod, Optional<String> urlPath,
                                  Optional<String> expectedCodes, Optional<Boolean> adminStateUp) {

    public HealthMonitorUpdate {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxRetries, "maxRetries");
        Objects.requireNonNull(httpMethod, "httpMethod");
        Objects.requireNonNull(urlPath, "urlPath");
        Objects.requireNonNull(expectedCodes, "expectedCodes");
        Objects.requireNonNull(adminStateUp, "adminStateUp");
    }

    /** Returns an update that changes nothing (it still re-applies every associated pool). */
    public static HealthMonitorUpdate empty() {
        return new HealthMonitorUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Returns a copy that also sets delay and timeout.
     *
     * @param newDelay seconds between probes
     * @param newTimeout seconds per probe
     * @return the copy
     */
    public HealthMonitorUpdate withTiming(int newDelay, int newTimeout) {
        return new HealthMonitorUpdate(Optional.of(newDelay), Optional.of(newTimeout), maxRetries, httpMethod, urlPath,
                expectedCodes, adminStateUp);
    }

    /**
     * Returns a copy that also sets the retry count.
     *
     * @param value failures before down
     * @return the copy
     */
    public HealthMonitorUpdate withMaxRetries(int value) {
        return new HealthMonitorUpdate(delay, timeout, Optional.of(value), httpMethod, urlPath, expectedCodes, adminStateUp);
    }

    /**
     * Returns a copy that also sets the URL path.
     *
     * @param value the path
     * @return the copy
     */
    public HealthMonitorUpdate withUrlPath(String value) {
        return new HealthMonitorUpdate(delay, timeout, maxRetries, httpMethod, Optional.of(value), expectedCodes, adminStateUp);
    }

    /**
     * Returns a copy that also sets the admin state.
     *
     * @param value the admin state
     * @return the copy
     */
    public HealthMonitorUpdate withAdminStateUp(boolean value) {
        return new HealthMonitorUpdate(delay, timeout, maxRetries, httpMethod, urlPath, expectedCodes, Optional.of(value));
    }
}

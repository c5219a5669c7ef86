package org.lbaas.model;

import java.util.Optional;
import java.util.UUID;

/**
 * A health monitor: how and how often members of the pools it is associated with are probed.
 * One monitor can serve many pools and a pool can have many monitors.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@code delay} (seconds between probes) and {@code timeout} (seconds a probe may take) are
 *       0 to 86400, and {@code delay >= timeout};</li>
 *   <li>{@code max_retries} (failed probes before a member is marked down) is 1 to 10;</li>
 *   <li>HTTP and HTTPS monitors carry an {@link HttpCheck} (method, path, expected codes); PING
 *       and TCP monitors must not;</li>
 *   <li>{@code id} is a UUID; {@code tenant_id} as in {@link Pool}.</li>
 * </ul>
 *
 * @param id the monitor's id
 * @param tenantId the owning tenant
 * @param type how members are probed
 * @param delay seconds between probes, 1..86400 (v1 accepted 0, which HAProxy cannot express: refused)
 * @param timeout seconds one probe may take, 1..86400 and at most {@code delay}
 * @param maxRetries consecutive failures before a member is down
 * @param httpCheck the HTTP part, present exactly for HTTP and HTTPS monitors
 * @param adminStateUp whether the monitor takes effect
 */
public record HealthMonitor(UUID id, String tenantId, MonitorType type, int delay, int timeout, int maxRetries,
                            Optional<HttpCheck> httpCheck, boolean adminStateUp) {

    public HealthMonitor {
        httpCheck = httpCheck == null ? Optional.empty() : httpCheck;
        Violations v = new Violations();
        v.required(id, "id");
        Rules.tenant(v, tenantId, "tenant_id");
        // v1 accepted 0, which HAProxy cannot express (an interval or timeout of 0 means "none"):
        // it was silently rendered as 1 s. A probe every 0 s is refused as the rule it breaks.
        boolean delayOk = v.range(delay, 1, Rules.MAX_DELAY_SECONDS, "delay");
        boolean timeoutOk = v.range(timeout, 1, Rules.MAX_DELAY_SECONDS, "timeout");
        if (delayOk && timeoutOk) {
            v.check(delay >= timeout, "timeout", timeout, "must not exceed delay (" + delay + " s)");
        }
        v.range(maxRetries, 1, 10, "max_retries");
        if (v.required(type, "type")) {
            if (type.isHttp()) {
                v.check(httpCheck.isPresent(), "http_method", null,
                        "an " + type + " monitor needs http_method, url_path and expected_codes");
            } else {
                v.check(httpCheck.isEmpty(), "http_method", httpCheck.map(HttpCheck::method).orElse(null),
                        "http_method, url_path and expected_codes are only for HTTP and HTTPS monitors, not " + type);
            }
        }
        v.throwIfAny();
    }

    /** Returns a builder holding this monitor's values. */
    public Builder toBuilder() {
        return new Builder().id(id).tenantId(tenantId).type(type).delay(delay).timeout(timeout)
                .maxRetries(maxRetries).httpCheck(httpCheck.orElse(null)).adminStateUp(adminStateUp);
    }

    /**
     * Returns a builder with v1's defaults: admin up, {@code max_retries} 3; for HTTP and HTTPS
     * types {@link HttpCheck#defaults()} unless one is given.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link HealthMonitor}; validation happens in {@link #build()}. */
    public static final class Builder {
        private UUID id;
        private String tenantId;
        private MonitorType type;
        private int delay = 5;
        private int timeout = 5;
        private int maxRetries = 3;
        private HttpCheck httpCheck;
        private boolean adminStateUp = true;

        private Builder() {
        }

        /** @param id the id @return this builder */
        public Builder id(UUID id) { this.id = id; return this; }
        /** @param tenantId the tenant @return this builder */
        public Builder tenantId(String tenantId) { this.tenantId = tenantId; return this; }
        /** @param type the type @return this builder */
        public Builder type(MonitorType type) { this.type = type; return this; }
        /** @param delay seconds between probes @return this builder */
        public Builder delay(int delay) { this.delay = delay; return this; }
        /** @param timeout seconds per probe @return this builder */
        public Builder timeout(int timeout) { this.timeout = timeout; return this; }
        /** @param maxRetries failures before down @return this builder */
        public Builder maxRetries(int maxRetries) { this.maxRetries = maxRetries; return this; }
        /** @param httpCheck the HTTP part, or {@code null} for the type's default @return this builder */
        public Builder httpCheck(HttpCheck httpCheck) { this.httpCheck = httpCheck; return this; }
        /** @param up admin state @return this builder */
        public Builder adminStateUp(boolean up) { this.adminStateUp = up; return this; }

        /**
         * Builds the monitor. An HTTP or HTTPS monitor without an explicit {@link HttpCheck} gets
         * {@link HttpCheck#defaults()}.
         *
         * @return the monitor
         * @throws ValidationException listing every broken rule
         */
        public HealthMonitor build() {
            HttpCheck check = httpCheck;
            if (check == null && type != null && type.isHttp()) {
                check = HttpCheck.defaults();
            }
            return new HealthMonitor(id, tenantId, type, delay, timeout, maxRetries, Optional.ofNullable(check), adminStateUp);
        }
    }
}

package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.MonitorType;

/**
 * A request to create a health monitor (Neutron {@code POST /lb/health_monitors}). A new monitor
 * is associated with no pool; {@link LoadBalancerService#associate} attaches it.
 *
 * <p>For HTTP and HTTPS monitors an absent {@code httpMethod}, {@code urlPath} or
 * {@code expectedCodes} takes v1's default ({@code GET}, {@code /}, {@code 200}); PING and TCP
 * monitors must leave all three absent. The service checks the model's rules
 * ({@code delay >= timeout}, {@code max_retries} 1..10, URL path characters, expected-codes
 * syntax) and reports every broken rule at once.
 *
 * @param tenantId the owning tenant
 * @param type how members are probed
 * @param delay seconds between probes
 * @param timeout seconds a probe may take, at most {@code delay}
 * @param maxRetries consecutive failures before a member is down, 1..10
 * @param httpMethod the request method (HTTP/HTTPS only)
 * @param urlPath the request path (HTTP/HTTPS only), such as {@code /health}
 * @param expectedCodes the passing status codes as Neutron writes them: {@code 200},
 *     {@code 200,202} or {@code 200-204} (HTTP/HTTPS only)
 * @param adminStateUp whether the monitor takes effect; v1's default is {@code true}
 * @param id the id the caller chose for the new object; empty to let the service assign a new
 *     one (see {@link #withId(UUID)})
 */
public record HealthMonitorCreate(String tenantId, MonitorType type, int delay, int timeout, int maxRetries,
                                  Optional<HttpMethod> httpMethod, Optional<String> urlPath,
                                  Optional<String> expectedCodes, boolean adminStateUp, Optional<UUID> id) {

    public HealthMonitorCreate {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(httpMethod, "httpMethod");
        Objects.requireNonNull(urlPath, "urlPath");
        Objects.requireNonNull(expectedCodes, "expectedCodes");
        Objects.requireNonNull(id, "id");
    }

    /**
     * Creates a request without an id: the service assigns a new one.
     *
     * @param tenantId see the record component
     * @param type see the record component
     * @param delay see the record component
     * @param timeout see the record component
     * @param maxRetries see the record component
     * @param httpMethod see the record component
     * @param urlPath see the record component
     * @param expectedCodes see the record component
     * @param adminStateUp see the record component
     */
    public HealthMonitorCreate(String tenantId, MonitorType type, int delay, int timeout, int maxRetries,
            Optional<HttpMethod> httpMethod, Optional<String> urlPath, Optional<String> expectedCodes, boolean adminStateUp) {
        this(tenantId, type, delay, timeout, maxRetries, httpMethod, urlPath, expectedCodes, adminStateUp, Optional.empty());
    }

    /**
     * Returns a copy that asks for the given id instead of a new one. The service refuses an id
     * that an object of the same kind already has (in any tenant) with a {@link ConflictException},
     * unless the request repeats the create that made that object: then the create is idempotent
     * and answers the existing object (see {@link LoadBalancerService}).
     *
     * @param newId the id the object gets
     * @return the copy
     */
    public HealthMonitorCreate withId(UUID newId) {
        Objects.requireNonNull(newId, "newId");
        return new HealthMonitorCreate(tenantId, type, delay, timeout, maxRetries, httpMethod, urlPath, expectedCodes,
                adminStateUp, Optional.of(newId));
    }

    /**
     * Returns a request without HTTP fields (defaults for HTTP and HTTPS), admin up.
     *
     * @param tenantId the tenant
     * @param type the type
     * @param delay seconds between probes
     * @param timeout seconds per probe
     * @param maxRetries failures before down
     * @return the request
     */
    public static HealthMonitorCreate of(String tenantId, MonitorType type, int delay, int timeout, int maxRetries) {
        return new HealthMonitorCreate(tenantId, type, delay, timeout, maxRetries, Optional.empty(), Optional.empty(),
                Optional.empty(), true);
    }

    /**
     * Returns a copy with HTTP fields.
     *
     * @param method the method
     * @param path the URL path
     * @param codes the expected codes
     * @return the copy
     */
    public HealthMonitorCreate withHttp(HttpMethod method, String path, String codes) {
        return new HealthMonitorCreate(tenantId, type, delay, timeout, maxRetries, Optional.of(method),
                Optional.of(path), Optional.of(codes), adminStateUp, id);
    }

    /**
     * Returns a copy with another admin state.
     *
     * @param up the admin state
     * @return the copy
     */
    public HealthMonitorCreate withAdminStateUp(boolean up) {
        return new HealthMonitorCreate(tenantId, type, delay, timeout, maxRetries, httpMethod, urlPath, expectedCodes,
                up, id);
    }
}

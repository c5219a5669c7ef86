package org.lbaas.rest;

import java.util.Objects;

/**
 * Who sent a request, as an {@link Authenticator} established it from the token.
 *
 * <p>A caller that is not an administrator sees and changes only the objects of its own tenant:
 * everything else answers {@code 404}, as if it did not exist (Neutron's rule). It creates objects
 * in its own tenant; a request body that names another {@code tenant_id} is refused with
 * {@code 403}. An administrator sees every tenant's objects and may create objects for any tenant
 * (its own when the body names none).
 *
 * @param tenantId the caller's tenant (Neutron's {@code tenant_id}), not blank
 * @param admin whether the caller is an administrator
 */
public record Caller(String tenantId, boolean admin) {

    public Caller {
        Objects.requireNonNull(tenantId, "tenantId");
        if (tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId must not be blank");
        }
    }

    /**
     * Returns a caller that acts for one tenant.
     *
     * @param tenantId the tenant
     * @return the caller
     */
    public static Caller tenant(String tenantId) {
        return new Caller(tenantId, false);
    }

    /**
     * Returns an administrator whose own tenant is {@code tenantId}.
     *
     * @param tenantId the administrator's own tenant, used when a create names none
     * @return the caller
     */
    public static Caller admin(String tenantId) {
        return new Caller(tenantId, true);
    }

    /** Returns whether this caller may see and change an object of the tenant. */
    boolean owns(String objectTenant) {
        return admin || tenantId.equals(objectTenant);
    }
}

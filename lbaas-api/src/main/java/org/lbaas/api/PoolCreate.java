package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;

/**
 * A request to create a pool (Neutron {@code POST /lb/pools}). The pool starts without members,
 * monitors or VIP.
 *
 * <p>Only the shape is checked here (no component is {@code null}); the model's rules (tenant,
 * text lengths, provider token) are checked by the service, which reports every broken rule at
 * once in an {@link InvalidRequestException}. The subnet must be known to the service's
 * {@link SubnetRegistry}.
 *
 * @param tenantId the owning tenant
 * @param name a display name; {@code ""} when the caller gave none
 * @param description free text; {@code ""} when the caller gave none
 * @param subnetId the subnet the pool's members are on (also the load balancer's subnet while it has no VIP)
 * @param protocol TCP, HTTP or HTTPS; fixed after creation
 * @param lbMethod how a member is chosen (v1 has no default: the caller must give one)
 * @param provider the driver name asked for; empty for the service's driver. When present and not
 *     empty it must name the service's driver, or the request is invalid
 * @param adminStateUp whether the pool serves; v1's default is {@code true}
 * @param id the id the caller chose for the new object; empty to let the service assign a new
 *     one (see {@link #withId(UUID)})
 */
public record PoolCreate(String tenantId, String name, String description, UUID subnetId, Protocol protocol,
                         LbMethod lbMethod, Optional<String> provider, boolean adminStateUp, Optional<UUID> id) {

    public PoolCreate {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(subnetId, "subnetId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(lbMethod, "lbMethod");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(id, "id");
    }

    /**
     * Creates a request without an id: the service assigns a new one.
     *
     * @param tenantId see the record component
     * @param name see the record component
     * @param description see the record component
     * @param subnetId see the record component
     * @param protocol see the record component
     * @param lbMethod see the record component
     * @param provider see the record component
     * @param adminStateUp see the record component
     */
    public PoolCreate(String tenantId, String name, String description, UUID subnetId, Protocol protocol, LbMethod
            lbMethod, Optional<String> provider, boolean adminStateUp) {
        this(tenantId, name, description, subnetId, protocol, lbMethod, provider, adminStateUp, Optional.empty());
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
    public PoolCreate withId(UUID newId) {
        Objects.requireNonNull(newId, "newId");
        return new PoolCreate(tenantId, name, description, subnetId, protocol, lbMethod, provider, adminStateUp,
                Optional.of(newId));
    }

    /**
     * Returns a request with the defaults: empty name and description, no provider, admin up.
     *
     * @param tenantId the owning tenant
     * @param subnetId the subnet
     * @param protocol the protocol
     * @param lbMethod the balancing method
     * @return the request
     */
    public static PoolCreate of(String tenantId, UUID subnetId, Protocol protocol, LbMethod lbMethod) {
        return new PoolCreate(tenantId, "", "", subnetId, protocol, lbMethod, Optional.empty(), true);
    }

    /**
     * Returns a copy with another name.
     *
     * @param newName the name
     * @return the copy
     */
    public PoolCreate withName(String newName) {
        return new PoolCreate(tenantId, newName, description, subnetId, protocol, lbMethod, provider, adminStateUp, id);
    }

    /**
     * Returns a copy with another admin state.
     *
     * @param up the admin state
     * @return the copy
     */
    public PoolCreate withAdminStateUp(boolean up) {
        return new PoolCreate(tenantId, name, description, subnetId, protocol, lbMethod, provider, up, id);
    }
}

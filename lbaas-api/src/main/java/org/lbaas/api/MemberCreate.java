package org.lbaas.api;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.IpAddresses;

/**
 * A request to add a member to a pool (Neutron {@code POST /lb/members}).
 *
 * <p>The service checks the model's rules (unicast address, port 1..65535, weight 0..256), that
 * the pool exists and belongs to the same tenant, and that no member of the pool has the same
 * {@code (address, protocol_port)} (a {@link ConflictException}).
 *
 * @param tenantId the owning tenant, the pool's
 * @param poolId the pool to join
 * @param address the backend's IPv4 or IPv6 address
 * @param protocolPort the backend's port
 * @param weight the relative share of traffic; v1's default is {@code 1}
 * @param adminStateUp whether it receives traffic; v1's default is {@code true}
 * @param id the id the caller chose for the new object; empty to let the service assign a new
 *     one (see {@link #withId(UUID)})
 */
public record MemberCreate(String tenantId, UUID poolId, InetAddress address, int protocolPort, int weight,
                           boolean adminStateUp, Optional<UUID> id) {

    /** The weight of a member created without one (v1's default). */
    public static final int DEFAULT_WEIGHT = 1;

    public MemberCreate {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(id, "id");
    }

    /**
     * Creates a request without an id: the service assigns a new one.
     *
     * @param tenantId see the record component
     * @param poolId see the record component
     * @param address see the record component
     * @param protocolPort see the record component
     * @param weight see the record component
     * @param adminStateUp see the record component
     */
    public MemberCreate(String tenantId, UUID poolId, InetAddress address, int protocolPort, int weight, boolean
            adminStateUp) {
        this(tenantId, poolId, address, protocolPort, weight, adminStateUp, Optional.empty());
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
    public MemberCreate withId(UUID newId) {
        Objects.requireNonNull(newId, "newId");
        return new MemberCreate(tenantId, poolId, address, protocolPort, weight, adminStateUp, Optional.of(newId));
    }

    /**
     * Returns a request with weight 1 and admin up.
     *
     * @param tenantId the tenant
     * @param poolId the pool
     * @param address an IP literal
     * @param protocolPort the port
     * @return the request
     * @throws org.lbaas.model.ValidationException (path {@code address}) when the literal is not an IP address
     */
    public static MemberCreate of(String tenantId, UUID poolId, String address, int protocolPort) {
        return new MemberCreate(tenantId, poolId, IpAddresses.parse(address, "address"), protocolPort, DEFAULT_WEIGHT, true);
    }

    /**
     * Returns a copy with another weight.
     *
     * @param newWeight the weight
     * @return the copy
     */
    public MemberCreate withWeight(int newWeight) {
        return new MemberCreate(tenantId, poolId, address, protocolPort, newWeight, adminStateUp, id);
    }

    /**
     * Returns a copy with another admin state.
     *
     * @param up the admin state
     * @return the copy
     */
    public MemberCreate withAdminStateUp(boolean up) {
        return new MemberCreate(tenantId, poolId, address, protocolPort, weight, up, id);
    }
}

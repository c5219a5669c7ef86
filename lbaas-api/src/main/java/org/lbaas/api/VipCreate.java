package org.lbaas.api;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Vip;

/**
 * A request to create the VIP of a pool (Neutron {@code POST /lb/vips}).
 *
 * <p>The service checks the model's rules and the relations: the pool exists, belongs to the same
 * tenant and has no VIP yet ({@link ConflictException}); the protocol equals the pool's; the subnet
 * is known to the {@link SubnetRegistry}; the address lies inside the subnet and is not its
 * gateway, network or broadcast address, nor the address of another VIP on that subnet
 * ({@link ConflictException}).
 *
 * @param tenantId the owning tenant, the pool's
 * @param name a display name; {@code ""} when the caller gave none
 * @param description free text; {@code ""} when the caller gave none
 * @param subnetId the subnet the address is on
 * @param address the address; when absent the service picks the first free host address of the
 *     subnet that is not its gateway, network or broadcast address nor another VIP's
 * @param portId the network port carrying the address; when absent the service generates one
 * @param protocolPort the port clients connect to, 1..65535
 * @param protocol the protocol, which must equal the pool's
 * @param poolId the pool behind the VIP
 * @param sessionPersistence how clients stay on one member, if at all
 * @param connectionLimit the most concurrent connections, or {@link Vip#UNLIMITED} ({@code -1},
 *     v1's default)
 * @param adminStateUp whether it accepts connections; v1's default is {@code true}
 * @param id the id the caller chose for the new object; empty to let the service assign a new
 *     one (see {@link #withId(UUID)})
 */
public record VipCreate(String tenantId, String name, String description, UUID subnetId,
                        Optional<InetAddress> address, Optional<UUID> portId, int protocolPort, Protocol protocol,
                        UUID poolId, Optional<SessionPersistence> sessionPersistence, int connectionLimit,
                        boolean adminStateUp, Optional<UUID> id) {

    public VipCreate {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(subnetId, "subnetId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(portId, "portId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(sessionPersistence, "sessionPersistence");
        Objects.requireNonNull(id, "id");
    }

    /**
     * Creates a request without an id: the service assigns a new one.
     *
     * @param tenantId see the record component
     * @param name see the record component
     * @param description see the record component
     * @param subnetId see the record component
     * @param address see the record component
     * @param portId see the record component
     * @param protocolPort see the record component
     * @param protocol see the record component
     * @param poolId see the record component
     * @param sessionPersistence see the record component
     * @param connectionLimit see the record component
     * @param adminStateUp see the record component
     */
    public VipCreate(String tenantId, String name, String description, UUID subnetId, Optional<InetAddress> address,
            Optional<UUID> portId, int protocolPort, Protocol protocol, UUID poolId, Optional<SessionPersistence>
            sessionPersistence, int connectionLimit, boolean adminStateUp) {
        this(tenantId, name, description, subnetId, address, portId, protocolPort, protocol, poolId, sessionPersistence,
                connectionLimit, adminStateUp, Optional.empty());
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
    public VipCreate withId(UUID newId) {
        Objects.requireNonNull(newId, "newId");
        return new VipCreate(tenantId, name, description, subnetId, address, portId, protocolPort, protocol, poolId,
                sessionPersistence, connectionLimit, adminStateUp, Optional.of(newId));
    }

    /**
     * Returns a request with the defaults: empty name and description, an address and port picked
     * by the service, no persistence, unlimited connections, admin up.
     *
     * @param tenantId the tenant
     * @param subnetId the subnet
     * @param protocolPort the port clients connect to
     * @param protocol the protocol
     * @param poolId the pool
     * @return the request
     */
    public static VipCreate of(String tenantId, UUID subnetId, int protocolPort, Protocol protocol, UUID poolId) {
        return new VipCreate(tenantId, "", "", subnetId, Optional.empty(), Optional.empty(), protocolPort, protocol,
                poolId, Optional.empty(), Vip.UNLIMITED, true);
    }

    /**
     * Returns a copy with an explicit address.
     *
     * @param value the address
     * @return the copy
     */
    public VipCreate withAddress(InetAddress value) {
        return new VipCreate(tenantId, name, description, subnetId, Optional.of(value), portId, protocolPort, protocol,
                poolId, sessionPersistence, connectionLimit, adminStateUp, id);
    }

    /**
     * Returns a copy with session persistence.
     *
     * @param value the persistence
     * @return the copy
     */
    public VipCreate withSessionPersistence(SessionPersistence value) {
        return new VipCreate(tenantId, name, description, subnetId, address, portId, protocolPort, protocol,
                poolId, Optional.of(value), connectionLimit, adminStateUp, id);
    }

    /**
     * Returns a copy with a connection limit.
     *
     * @param value the limit, -1 for unlimited
     * @return the copy
     */
    public VipCreate withConnectionLimit(int value) {
        return new VipCreate(tenantId, name, description, subnetId, address, portId, protocolPort, protocol,
                poolId, sessionPersistence, value, adminStateUp, id);
    }

    /**
     * Returns a copy with another admin state.
     *
     * @param up the admin state
     * @return the copy
     */
    public VipCreate withAdminStateUp(boolean up) {
        return new VipCreate(tenantId, name, description, subnetId, address, portId, protocolPort, protocol,
                poolId, sessionPersistence, connectionLimit, up, id);
    }
}

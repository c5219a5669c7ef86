package org.lbaas.model;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * A VIP: the address and port clients connect to, in front of exactly one pool.
 *
 * <p>Rules: {@code protocol_port} is 1..65535; {@code connection_limit} is -1 (unlimited, the
 * default) or 0 and more; {@code address} is an IPv4 or IPv6 literal (that it lies in its subnet
 * and is not the gateway is checked by {@link LoadBalancer}, which knows the subnet); cookie-based
 * session persistence ({@code HTTP_COOKIE}, {@code APP_COOKIE}) needs protocol HTTP; ids are UUIDs;
 * names and descriptions as in {@link Pool}. After creation only name, description, pool_id,
 * session_persistence, connection_limit and admin_state_up change.
 *
 * @param id the VIP's id
 * @param tenantId the owning tenant (the pool's)
 * @param name a display name, may be empty
 * @param description free text, may be empty
 * @param subnetId the subnet its address is on
 * @param address the address clients connect to
 * @param portId the id of the network port carrying the address (the data plane derives a stable
 *     MAC address from it)
 * @param protocolPort the port clients connect to
 * @param protocol the protocol, equal to its pool's
 * @param poolId the pool behind it
 * @param sessionPersistence how clients stay on a member, if at all
 * @param connectionLimit the most concurrent connections, or -1 for unlimited
 * @param adminStateUp whether it accepts connections
 * @param status provisioning status
 * @param statusDescription why the status is what it is, may be empty
 */
public record Vip(UUID id, String tenantId, String name, String description, UUID subnetId, InetAddress address,
                  UUID portId, int protocolPort, Protocol protocol, UUID poolId,
                  Optional<SessionPersistence> sessionPersistence, int connectionLimit, boolean adminStateUp,
                  Status status, String statusDescription) {

    /** The connection limit that means "no limit". */
    public static final int UNLIMITED = -1;

    public Vip {
        sessionPersistence = sessionPersistence == null ? Optional.empty() : sessionPersistence;
        Violations v = new Violations();
        v.required(id, "id");
        Rules.tenant(v, tenantId, "tenant_id");
        Rules.text(v, name, "name", Rules.MAX_TEXT);
        Rules.text(v, description, "description", Rules.MAX_TEXT);
        v.required(subnetId, "subnet_id");
        if (v.required(address, "address")) {
            v.check(IpAddresses.isUsableUnicast(address), "address", IpAddresses.toText(address),
                    "must be a unicast address (not unspecified, loopback, multicast, broadcast, IPv6 link-local or scoped)");
        }
        v.required(portId, "port_id");
        Rules.port(v, protocolPort, "protocol_port");
        v.required(poolId, "pool_id");
        v.check(connectionLimit >= UNLIMITED, "connection_limit", connectionLimit, "must be -1 (unlimited) or at least 0");
        v.required(status, "status");
        Rules.text(v, statusDescription, "status_description", Rules.MAX_STATUS_DESCRIPTION);
        if (v.required(protocol, "protocol") && sessionPersistence.isPresent()) {
            PersistenceType type = sessionPersistence.get().type();
            v.check(!type.usesCookies() || protocol.isHttp(), "session_persistence.type", type,
                    type + " persistence reads cookies and needs protocol HTTP, not " + protocol
                            + (protocol == Protocol.HTTPS ? " (HTTPS is TLS passthrough: cookies are encrypted)" : ""));
        }
        v.throwIfAny();
    }

    /** Returns whether the connection limit is {@link #UNLIMITED}. */
    public boolean unlimited() {
        return connectionLimit == UNLIMITED;
    }

    /** Returns a builder holding this VIP's values. */
    public Builder toBuilder() {
        return new Builder().id(id).tenantId(tenantId).name(name).description(description).subnetId(subnetId)
                .address(address).portId(portId).protocolPort(protocolPort).protocol(protocol).poolId(poolId)
                .sessionPersistence(sessionPersistence.orElse(null)).connectionLimit(connectionLimit)
                .adminStateUp(adminStateUp).status(status).statusDescription(statusDescription);
    }

    /**
     * Returns this VIP with another status.
     *
     * @param newStatus the status
     * @param why why, may be empty
     * @return the changed copy
     */
    public Vip withStatus(Status newStatus, String why) {
        return toBuilder().status(newStatus).statusDescription(why).build();
    }

    /**
     * Returns a builder with v1's defaults: empty name and description, no session persistence,
     * connection limit -1, admin up, status PENDING_CREATE.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Vip}; validation happens in {@link #build()}. */
    public static final class Builder {
        private UUID id;
        private String tenantId;
        private String name = "";
        private String description = "";
        private UUID subnetId;
        private InetAddress address;
        private UUID portId;
        private int protocolPort;
        private Protocol protocol;
        private UUID poolId;
        private SessionPersistence sessionPersistence;
        private int connectionLimit = UNLIMITED;
        private boolean adminStateUp = true;
        private Status status = Status.PENDING_CREATE;
        private String statusDescription = "";

        private Builder() {
        }

        /** @param id the id @return this builder */
        public Builder id(UUID id) { this.id = id; return this; }
        /** @param tenantId the tenant @return this builder */
        public Builder tenantId(String tenantId) { this.tenantId = tenantId; return this; }
        /** @param name the name @return this builder */
        public Builder name(String name) { this.name = name; return this; }
        /** @param description the description @return this builder */
        public Builder description(String description) { this.description = description; return this; }
        /** @param subnetId the subnet @return this builder */
        public Builder subnetId(UUID subnetId) { this.subnetId = subnetId; return this; }
        /** @param address the address @return this builder */
        public Builder address(InetAddress address) { this.address = address; return this; }
        /**
         * @param literal an IP literal
         * @return this builder
         * @throws ValidationException (path {@code address}) when it is not an IP literal
         */
        public Builder address(String literal) { this.address = IpAddresses.parse(literal, "address"); return this; }
        /** @param portId the port @return this builder */
        public Builder portId(UUID portId) { this.portId = portId; return this; }
        /** @param port the port clients connect to @return this builder */
        public Builder protocolPort(int port) { this.protocolPort = port; return this; }
        /** @param protocol the protocol @return this builder */
        public Builder protocol(Protocol protocol) { this.protocol = protocol; return this; }
        /** @param poolId the pool @return this builder */
        public Builder poolId(UUID poolId) { this.poolId = poolId; return this; }
        /** @param persistence the persistence, or {@code null} for none @return this builder */
        public Builder sessionPersistence(SessionPersistence persistence) { this.sessionPersistence = persistence; return this; }
        /** @param limit the limit, -1 for unlimited @return this builder */
        public Builder connectionLimit(int limit) { this.connectionLimit = limit; return this; }
        /** @param up admin state @return this builder */
        public Builder adminStateUp(boolean up) { this.adminStateUp = up; return this; }
        /** @param status the status @return this builder */
        public Builder status(Status status) { this.status = status; return this; }
        /** @param description the status description @return this builder */
        public Builder statusDescription(String description) { this.statusDescription = description; return this; }

        /**
         * @return the VIP
         * @throws ValidationException listing every broken rule
         */
        public Vip build() {
            return new Vip(id, tenantId, name, description, subnetId, address, portId, protocolPort, protocol, poolId,
                    Optional.ofNullable(sessionPersistence), connectionLimit, adminStateUp, status, statusDescription);
        }
    }
}

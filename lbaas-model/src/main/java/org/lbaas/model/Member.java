package org.lbaas.model;

import java.net.InetAddress;
import java.util.UUID;

/**
 * A backend server in a pool.
 *
 * <p>Rules: {@code address} is an IPv4 or IPv6 unicast address (not unspecified, loopback,
 * multicast, broadcast, IPv6 link-local or carrying an IPv6 scope id) and may lie on any network;
 * {@code protocol_port} is 1..65535; {@code weight} is 0..256 (0: the member gets no new connections), default 1;
 * {@code (pool_id, address, protocol_port)} is unique, which {@link LoadBalancer} checks.
 *
 * @param id the member's id
 * @param tenantId the owning tenant (the pool's)
 * @param poolId the pool it belongs to
 * @param address the backend's address
 * @param protocolPort the backend's port
 * @param weight the relative share of traffic
 * @param adminStateUp whether it receives traffic at all
 * @param status provisioning status
 * @param statusDescription why the status is what it is, may be empty
 */
public record Member(UUID id, String tenantId, UUID poolId, InetAddress address, int protocolPort, int weight,
                     boolean adminStateUp, Status status, String statusDescription) {

    /** The largest weight a member can have. */
    public static final int MAX_WEIGHT = 256;

    public Member {
        Violations v = new Violations();
        v.required(id, "id");
        Rules.tenant(v, tenantId, "tenant_id");
        v.required(poolId, "pool_id");
        if (v.required(address, "address")) {
            v.check(IpAddresses.isUsableUnicast(address), "address", IpAddresses.toText(address),
                    "must be a unicast address (not unspecified, loopback, multicast, broadcast, IPv6 link-local or scoped)");
        }
        Rules.port(v, protocolPort, "protocol_port");
        v.range(weight, 0, MAX_WEIGHT, "weight");
        v.required(status, "status");
        Rules.text(v, statusDescription, "status_description", Rules.MAX_STATUS_DESCRIPTION);
        v.throwIfAny();
    }

    /** Returns a builder holding this member's values. */
    public Builder toBuilder() {
        return new Builder().id(id).tenantId(tenantId).poolId(poolId).address(address).protocolPort(protocolPort)
                .weight(weight).adminStateUp(adminStateUp).status(status).statusDescription(statusDescription);
    }

    /**
     * Returns this member with another status.
     *
     * @param newStatus the status
     * @param why why, may be empty
     * @return the changed copy
     */
    public Member withStatus(Status newStatus, String why) {
        return new Member(id, tenantId, poolId, address, protocolPort, weight, adminStateUp, newStatus, why);
    }

    /** Returns a builder with v1's defaults: weight 1, admin up, status PENDING_CREATE. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Member}; validation happens in {@link #build()}. */
    public static final class Builder {
        private UUID id;
        private String tenantId;
        private UUID poolId;
        private InetAddress address;
        private int protocolPort;
        private int weight = 1;
        private boolean adminStateUp = true;
        private Status status = Status.PENDING_CREATE;
        private String statusDescription = "";

        private Builder() {
        }

        /** @param id the id @return this builder */
        public Builder id(UUID id) { this.id = id; return this; }
        /** @param tenantId the tenant @return this builder */
        public Builder tenantId(String tenantId) { this.tenantId = tenantId; return this; }
        /** @param poolId the pool @return this builder */
        public Builder poolId(UUID poolId) { this.poolId = poolId; return this; }
        /** @param address the address @return this builder */
        public Builder address(InetAddress address) { this.address = address; return this; }
        /**
         * @param literal an IP literal
         * @return this builder
         * @throws ValidationException (path {@code address}) when it is not an IP literal
         */
        public Builder address(String literal) { this.address = IpAddresses.parse(literal, "address"); return this; }
        /** @param port the port @return this builder */
        public Builder protocolPort(int port) { this.protocolPort = port; return this; }
        /** @param weight the weight @return this builder */
        public Builder weight(int weight) { this.weight = weight; return this; }
        /** @param up admin state @return this builder */
        public Builder adminStateUp(boolean up) { this.adminStateUp = up; return this; }
        /** @param status the status @return this builder */
        public Builder status(Status status) { this.status = status; return this; }
        /** @param description the status description @return this builder */
        public Builder statusDescription(String description) { this.statusDescription = description; return this; }

        /**
         * @return the member
         * @throws ValidationException listing every broken rule
         */
        public Member build() {
            return new Member(id, tenantId, poolId, address, protocolPort, weight, adminStateUp, status, statusDescription);
        }
    }
}

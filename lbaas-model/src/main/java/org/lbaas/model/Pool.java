package org.lbaas.model;

import java.util.UUID;

/**
 * A pool: a group of members that share traffic by one balancing method, the center of a load
 * balancer. Members, monitors and the VIP refer to a pool by its id.
 *
 * <p>Rules: {@code id} and {@code subnet_id} are UUIDs; {@code tenant_id} is 1 to 255 letters,
 * digits, {@code _ . -}; {@code name} and {@code description} are at most 255 characters without
 * control characters; {@code provider} is empty or a lower-case token. After creation only name,
 * description, lb_method and admin_state_up change.
 *
 * @param id the pool's id
 * @param tenantId the owning tenant
 * @param name a display name, may be empty
 * @param description free text, may be empty
 * @param subnetId the subnet its members are on
 * @param protocol the protocol, equal to its VIP's
 * @param lbMethod how a member is chosen
 * @param provider the driver that carries it, empty for the service's default
 * @param adminStateUp whether it serves (a pool that is down answers 503 or closes connections)
 * @param status provisioning status
 * @param statusDescription why the status is what it is, may be empty
 */
public record Pool(UUID id, String tenantId, String name, String description, UUID subnetId, Protocol protocol,
                   LbMethod lbMethod, String provider, boolean adminStateUp, Status status, String statusDescription) {

    public Pool {
        Violations v = new Violations();
        v.required(id, "id");
        Rules.tenant(v, tenantId, "tenant_id");
        Rules.text(v, name, "name", Rules.MAX_TEXT);
        Rules.text(v, description, "description", Rules.MAX_TEXT);
        v.required(subnetId, "subnet_id");
        v.required(protocol, "protocol");
        v.required(lbMethod, "lb_method");
        Rules.provider(v, provider, "provider");
        v.required(status, "status");
        Rules.text(v, statusDescription, "status_description", Rules.MAX_STATUS_DESCRIPTION);
        v.throwIfAny();
    }

    /** Returns a builder holding this pool's values. */
    public Builder toBuilder() {
        return new Builder().id(id).tenantId(tenantId).name(name).description(description).subnetId(subnetId)
                .protocol(protocol).lbMethod(lbMethod).provider(provider).adminStateUp(adminStateUp).status(status)
                .statusDescription(statusDescription);
    }

    /**
     * Returns this pool with another status.
     *
     * @param newStatus the status
     * @param why why, may be empty
     * @return the changed copy
     */
    public Pool withStatus(Status newStatus, String why) {
        return new Pool(id, tenantId, name, description, subnetId, protocol, lbMethod, provider, adminStateUp,
                newStatus, why);
    }

    /**
     * Returns a builder with defaults: empty name, description and provider, ROUND_ROBIN, admin
     * up, status PENDING_CREATE.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Pool}; validation happens in {@link #build()}. */
    public static final class Builder {
        private UUID id;
        private String tenantId;
        private String name = "";
        private String description = "";
        private UUID subnetId;
        private Protocol protocol;
        private LbMethod lbMethod = LbMethod.ROUND_ROBIN;
        private String provider = "";
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
        /** @param protocol the protocol @return this builder */
        public Builder protocol(Protocol protocol) { this.protocol = protocol; return this; }
        /** @param lbMethod the method @return this builder */
        public Builder lbMethod(LbMethod lbMethod) { this.lbMethod = lbMethod; return this; }
        /** @param provider the provider @return this builder */
        public Builder provider(String provider) { this.provider = provider; return this; }
        /** @param up admin state @return this builder */
        public Builder adminStateUp(boolean up) { this.adminStateUp = up; return this; }
        /** @param status the status @return this builder */
        public Builder status(Status status) { this.status = status; return this; }
        /** @param description the status description @return this builder */
        public Builder statusDescription(String description) { this.statusDescription = description; return this; }

        /**
         * @return the pool
         * @throws ValidationException listing every broken rule
         */
        public Pool build() {
            return new Pool(id, tenantId, name, description, subnetId, protocol, lbMethod, provider, adminStateUp,
                    status, statusDescription);
        }
    }
}

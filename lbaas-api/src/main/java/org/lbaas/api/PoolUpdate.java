package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import org.lbaas.model.LbMethod;

/**
 * A partial update of a pool (Neutron {@code PUT /lb/pools/{id}}): an absent field stays as it
 * is. Only these fields change after creation; protocol, subnet, provider and tenant are fixed
 * (the JSON layer rejects a document that tries to change them).
 *
 * <p>An update of a pool in {@code ERROR}, even an empty one, re-applies its load balancer.
 *
 * @param name the new name
 * @param description the new description
 * @param lbMethod the new balancing method
 * @param adminStateUp the new admin state
 */
public record PoolUpdate(Optional<String> name, Optional<String> description, Optional<LbMethod> lbMethod,
                         Optional<Boolean> adminStateUp) {

    public PoolUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(lbMethod, "lbMethod");
        Objects.requireNonNull(adminStateUp, "adminStateUp");
    }

    /** Returns an update that changes nothing (it still re-applies the load balancer). */
    public static PoolUpdate empty() {
        return new PoolUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Returns a copy that also sets the name.
     *
     * @param value the name
     * @return the copy
     */
    public PoolUpdate withName(String value) {
        return new PoolUpdate(Optional.of(value), description, lbMethod, adminStateUp);
    }

    /**
     * Returns a copy that also sets the description.
     *
     * @param value the description
     * @return the copy
     */
    public PoolUpdate withDescription(String value) {
        return new PoolUpdate(name, Optional.of(value), lbMethod, adminStateUp);
    }

    /**
     * Returns a copy that also sets the balancing method.
     *
     * @param value the method
     * @return the copy
     */
    public PoolUpdate withLbMethod(LbMethod value) {
        return new PoolUpdate(name, description, Optional.of(value), adminStateUp);
    }

    /**
     * Returns a copy that also sets the admin state.
     *
     * @param value the admin state
     * @return the copy
     */
    public PoolUpdate withAdminStateUp(boolean value) {
        return new PoolUpdate(name, description, lbMethod, Optional.of(value));
    }
}

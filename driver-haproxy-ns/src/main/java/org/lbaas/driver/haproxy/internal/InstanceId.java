package org.lbaas.driver.haproxy.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One HAProxy instance of a load balancer: the pool id plus an ordinal. A load balancer may have
 * more than one instance (active/standby on two nodes, or two namespaces on one node); everything
 * the driver creates (namespace, state directory, pid file, socket, devices) is keyed by instance,
 * never by pool alone.
 *
 * <p>The {@link #key()} of ordinal 0 is the pool id itself, so a single-instance deployment keeps
 * v1's names ({@code qlbaas-<pool_id>}); ordinal {@code n > 0} appends {@code -n}.
 *
 * @param poolId the load balancer's pool id
 * @param ordinal 0 to {@value #MAX_ORDINAL}
 */
public record InstanceId(UUID poolId, int ordinal) {

    /** The largest ordinal: device names carry it as one digit. */
    public static final int MAX_ORDINAL = 9;

    public InstanceId {
        Objects.requireNonNull(poolId, "poolId");
        if (ordinal < 0 || ordinal > MAX_ORDINAL) {
            throw new IllegalArgumentException("ordinal must be 0.." + MAX_ORDINAL + ": " + ordinal);
        }
    }

    /**
     * Returns the primary (ordinal 0) instance of a pool.
     *
     * @param poolId the pool id
     * @return the instance id
     */
    public static InstanceId primary(UUID poolId) {
        return new InstanceId(poolId, 0);
    }

    /** Returns the text that names this instance's namespace suffix and state directory. */
    public String key() {
        return ordinal == 0 ? poolId.toString() : poolId + "-" + ordinal;
    }

    /**
     * Parses a {@link #key()}; anything else (including upper-case or non-canonical UUIDs) is
     * empty, so foreign names are never mistaken for ours.
     *
     * @param key the text
     * @return the instance id, if the text is exactly a key
     */
    public static Optional<InstanceId> parse(String key) {
        if (key == null || key.length() < 36) {
            return Optional.empty();
        }
        String uuidText = key.substring(0, 36);
        UUID uuid;
        try {
            uuid = UUID.fromString(uuidText);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!uuid.toString().equals(uuidText)) {
            return Optional.empty();
        }
        if (key.length() == 36) {
            return Optional.of(new InstanceId(uuid, 0));
        }
        if (key.length() == 38 && key.charAt(36) == '-' && key.charAt(37) >= '1' && key.charAt(37) <= '9') {
            return Optional.of(new InstanceId(uuid, key.charAt(37) - '0'));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}

package org.lbaas.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Subnet;

/**
 * Where the service finds the subnets that pools and VIPs name (in Neutron, the networking
 * service). Implementations must be thread-safe.
 */
public interface SubnetRegistry {

    /**
     * Finds a subnet.
     *
     * @param subnetId the subnet's id
     * @return the subnet, empty when it is unknown
     */
    Optional<Subnet> subnet(UUID subnetId);

    /**
     * Returns every subnet the registry can enumerate, for listings such as Neutron's
     * {@code GET /v2.0/subnets} (through which clients resolve subnet names to ids). The default
     * is an empty list: a registry that can only look subnets up by id still serves the service,
     * and its subnets are then reachable by id only.
     *
     * @return the subnets, in a stable order
     */
    default List<Subnet> list() {
        return List.of();
    }

    /**
     * Returns a fixed, in-memory registry of these subnets; {@link #list()} returns them in the
     * order given.
     *
     * @param subnets the subnets, with distinct ids
     * @return the registry
     * @throws IllegalArgumentException when two subnets have the same id
     */
    static SubnetRegistry of(Subnet... subnets) {
        Map<UUID, Subnet> byId = new LinkedHashMap<>();
        for (Subnet s : subnets) {
            Objects.requireNonNull(s, "subnet");
            if (byId.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("two subnets with id " + s.id());
            }
        }
        Map<UUID, Subnet> fixed = Map.copyOf(byId);
        List<Subnet> ordered = List.copyOf(byId.values());
        return new SubnetRegistry() {
            @Override
            public Optional<Subnet> subnet(UUID subnetId) {
                return Optional.ofNullable(fixed.get(Objects.requireNonNull(subnetId, "subnetId")));
            }

            @Override
            public List<Subnet> list() {
                return ordered;
            }
        };
    }
}

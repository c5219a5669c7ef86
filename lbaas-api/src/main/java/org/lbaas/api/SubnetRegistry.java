package org.lbaas.api;

import java.util.LinkedHashMap;
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
     * Returns a fixed, in-memory registry of these subnets.
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
        return id -> Optional.ofNullable(fixed.get(Objects.requireNonNull(id, "subnetId")));
    }
}

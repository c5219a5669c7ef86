package org.lbaas.driver.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.Subnet;

class LoadBalancerDriverTest {

    private final Subnet subnet = Subnet.of(UUID.randomUUID(), "192.0.2.0/24", "192.0.2.1");

    private LoadBalancer bare(UUID pool) {
        return new LoadBalancer(subnet, Pool.builder().id(pool).tenantId("t").subnetId(subnet.id()).protocol(Protocol.TCP)
                .lbMethod(LbMethod.ROUND_ROBIN).build(), Optional.empty(), List.of(), List.of());
    }

    @Test
    void applyArgumentsMustBeGivenAndOfOnePool() {
        LoadBalancer one = bare(UUID.randomUUID());
        LoadBalancer two = bare(UUID.randomUUID());
        LoadBalancerDriver.requireSamePool(Optional.empty(), one);
        LoadBalancerDriver.requireSamePool(Optional.of(one), one);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadBalancerDriver.requireSamePool(Optional.of(one), two));
        assertEquals("previous and desired describe different pools: " + one.id() + ", " + two.id(), e.getMessage());
        assertThrows(NullPointerException.class, () -> LoadBalancerDriver.requireSamePool(null, one));
        assertThrows(NullPointerException.class, () -> LoadBalancerDriver.requireSamePool(Optional.of(one), null));
    }
}

package org.lbaas.conformance;

import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.memory.InMemoryDriver;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.lbaas.driver.spi.LoadBalancerDriver;

/** The reference in-memory driver passes the conformance kit. */
class InMemoryDriverConformanceTest extends DriverConformanceKit {

    @Override
    protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return new InMemoryDriverProvider().create(env.config());
    }

    @Override
    protected Optional<String> providerName() {
        return Optional.of(InMemoryDriverProvider.NAME);
    }

    @Override
    protected Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher() {
        return Optional.of((driver, poolId) -> ((InMemoryDriver) driver).crash(poolId));
    }
}

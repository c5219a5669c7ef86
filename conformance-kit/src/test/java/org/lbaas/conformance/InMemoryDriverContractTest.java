package org.lbaas.conformance;

import org.lbaas.driver.memory.InMemoryDriverProvider;

import org.lbaas.driver.spi.LoadBalancerDriver;

/** The reference in-memory driver satisfies the contract properties. */
class InMemoryDriverContractTest implements DriverContract {

    @Override
    public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return new InMemoryDriverProvider().create(env.config());
    }
}

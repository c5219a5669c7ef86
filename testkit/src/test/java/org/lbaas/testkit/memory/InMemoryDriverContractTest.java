package org.lbaas.testkit.memory;

import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.testkit.conformance.ConformanceEnvironment;
import org.lbaas.testkit.conformance.DriverContract;

/** The reference in-memory driver satisfies the contract properties. */
class InMemoryDriverContractTest implements DriverContract {

    @Override
    public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return new InMemoryDriverProvider().create(env.config());
    }
}

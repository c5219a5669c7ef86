package org.lbaas.examples;

import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.conformance.ConformanceEnvironment;
import org.lbaas.conformance.DriverContract;

class ExampleDriverContractTest implements DriverContract {

    @Override
    public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return new JsonFileDriverProvider().create(env.config().with("directory", env.directory().toString()));
    }
}

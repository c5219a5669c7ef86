package org.lbaas.examples;

import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.testkit.conformance.ConformanceEnvironment;
import org.lbaas.testkit.conformance.DriverContract;

class ExampleDriverContractTest implements DriverContract {

    @Override
    public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return new JsonFileDriverProvider().create(env.config().with("directory", env.directory().toString()));
    }
}

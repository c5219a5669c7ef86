package org.lbaas.examples;

import java.util.Optional;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.conformance.ConformanceEnvironment;
import org.lbaas.conformance.DriverConformanceKit;

class ExampleDriverConformanceTest extends DriverConformanceKit {

    @Override
    protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return new JsonFileDriverProvider().create(env.config().with("directory", env.directory().toString()));
    }

    @Override
    protected Optional<String> providerName() {
        return Optional.of("json-files");
    }
}

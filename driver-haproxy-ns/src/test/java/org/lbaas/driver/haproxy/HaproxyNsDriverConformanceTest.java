package org.lbaas.driver.haproxy;

import java.util.Optional;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.conformance.ConformanceEnvironment;
import org.lbaas.conformance.DriverConformanceKit;

/** The {@code haproxy-ns} driver, on a simulated host behind the recording executor, against the conformance kit. */
class HaproxyNsDriverConformanceTest extends DriverConformanceKit {

    @Override
    protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return ConformanceHost.driver(env);
    }

    @Override
    protected Optional<String> providerName() {
        return Optional.of(HaproxyNsDriverProvider.NAME);
    }
}

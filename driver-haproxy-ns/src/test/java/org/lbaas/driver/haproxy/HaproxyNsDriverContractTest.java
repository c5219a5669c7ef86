package org.lbaas.driver.haproxy;

import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.conformance.ConformanceEnvironment;
import org.lbaas.conformance.DriverContract;

/** The {@code haproxy-ns} driver, on a simulated host, against the contract properties. */
class HaproxyNsDriverContractTest implements DriverContract {

    @Override
    public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        return ConformanceHost.driver(env);
    }
}

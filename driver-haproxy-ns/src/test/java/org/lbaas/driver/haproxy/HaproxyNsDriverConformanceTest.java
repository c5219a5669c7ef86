package org.lbaas.driver.haproxy;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.conformance.ConformanceEnvironment;
import org.lbaas.conformance.DriverConformanceKit;

/**
 * The {@code haproxy-ns} driver, on a simulated host behind the recording executor, against the
 * conformance kit, probe and repair included: a crash removes the HAProxy process from the
 * simulated host, as {@code kill -9} would.
 */
class HaproxyNsDriverConformanceTest extends DriverConformanceKit {

    /** Each driver's simulated host, so that a crash hits the host the driver runs on. */
    private final Map<LoadBalancerDriver, Sim> hosts = new ConcurrentHashMap<>();

    @Override
    protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        Sim sim = new Sim(env.directory().resolve("state"));
        HaproxyNsDriver driver = ConformanceHost.driver(env, sim);
        hosts.put(driver, sim);
        return driver;
    }

    @Override
    protected Optional<String> providerName() {
        return Optional.of(HaproxyNsDriverProvider.NAME);
    }

    @Override
    protected Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher() {
        return Optional.of((driver, poolId) -> ConformanceHost.crash(hosts.get(driver), (HaproxyNsDriver) driver, poolId));
    }
}

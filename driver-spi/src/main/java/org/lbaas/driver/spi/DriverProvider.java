package org.lbaas.driver.spi;

/**
 * The service-provider entry point of a load-balancer driver: a small factory with a name.
 *
 * <p>Implementations are found by {@link java.util.ServiceLoader}: declare them in
 * {@code META-INF/services/org.lbaas.driver.spi.DriverProvider} and, in a named module, with
 * {@code provides org.lbaas.driver.spi.DriverProvider with ...}. Look-up by name goes through
 * {@link Drivers}. A provider must have a public no-argument constructor, must be cheap to
 * construct (no I/O) and can always be constructed directly without discovery.
 */
public interface DriverProvider {

    /**
     * Returns the name the driver is selected by, such as {@code haproxy-ns}: lower-case letters,
     * digits and {@code -}, unique among the providers on the class path.
     */
    String name();

    /**
     * Creates a driver. The driver owns nothing until this call and releases everything it holds
     * (threads, sockets), but not the load balancers it runs, on {@link LoadBalancerDriver#close()}.
     *
     * @param config the driver's settings and seams
     * @return a new driver
     * @throws DriverException when the configuration is invalid or the driver cannot start
     */
    LoadBalancerDriver create(DriverConfig config);
}

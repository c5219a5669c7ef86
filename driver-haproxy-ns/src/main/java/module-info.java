/**
 * Reference lbaas driver: renders HAProxy configurations and runs HAProxy inside Linux network
 * namespaces. Only {@code org.lbaas.driver.haproxy} is API; {@code ...internal} packages are not
 * exported.
 */
module org.lbaas.driver.haproxy {
    requires transitive org.lbaas.driver.spi;
    requires com.google.common;
    requires org.slf4j;

    exports org.lbaas.driver.haproxy;

    provides org.lbaas.driver.spi.DriverProvider with org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
}

/**
 * An example lbaas driver from outside the project: {@code json-files} writes one JSON document per
 * load balancer into a directory, for a device or agent that reads them.
 */
module org.lbaas.examples {
    requires transitive org.lbaas.driver.spi;
    requires com.fasterxml.jackson.databind;

    exports org.lbaas.examples;

    provides org.lbaas.driver.spi.DriverProvider with org.lbaas.examples.JsonFileDriverProvider;
}

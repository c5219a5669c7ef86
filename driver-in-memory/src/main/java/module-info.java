/**
 * The {@code in-memory} lbaas driver: a complete driver without a data plane, for trying lbaas and
 * for testing code that uses it without HAProxy. Depends on the model and the driver SPI only.
 */
module org.lbaas.driver.memory {
    requires transitive org.lbaas.driver.spi;

    exports org.lbaas.driver.memory;

    provides org.lbaas.driver.spi.DriverProvider with org.lbaas.driver.memory.InMemoryDriverProvider;
}

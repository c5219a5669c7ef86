/**
 * Test support at the level of the model and the driver SPI: jqwik arbitraries for valid, invalid
 * and hostile load balancers, and a recording shell executor. jqwik is part of its API and
 * therefore required transitively. It does not depend on {@code lbaas-api}, so the
 * service's own tests use it too.
 */
module org.lbaas.testkit {
    requires transitive org.lbaas.model;
    requires transitive org.lbaas.driver.spi;
    requires transitive net.jqwik.api;

    exports org.lbaas.testkit;
}

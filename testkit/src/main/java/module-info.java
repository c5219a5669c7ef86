/**
 * Test support for lbaas: jqwik arbitraries, a recording shell executor and a driver conformance
 * kit. JUnit Jupiter and jqwik are part of its API and therefore required transitively.
 */
module org.lbaas.testkit {
    requires transitive org.lbaas.model;
    requires transitive org.lbaas.driver.spi;
    requires transitive org.lbaas.api;
    requires transitive org.junit.jupiter.api;
    requires transitive net.jqwik.api;
    requires org.slf4j;
    requires jdk.httpserver;

    exports org.lbaas.testkit;
    exports org.lbaas.testkit.backend;
    exports org.lbaas.testkit.netns;
    exports org.lbaas.testkit.conformance;
    exports org.lbaas.testkit.memory;

    provides org.lbaas.driver.spi.DriverProvider with org.lbaas.testkit.memory.InMemoryDriverProvider;
}

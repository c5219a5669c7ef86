/**
 * The network lab: real topologies in Linux network namespaces (a bridge, client and backend
 * namespaces, veth pairs) and real HTTP backends, for live tests, the demo and the harnesses.
 * Uses the JDK and the driver SPI's shell seam; no test library.
 */
module org.lbaas.lab {
    requires transitive org.lbaas.driver.spi;
    requires jdk.httpserver;

    exports org.lbaas.lab.netns;
    exports org.lbaas.lab.backend;
}

/**
 * The OpenStack Neutron LBaaS v1 REST API ({@code /v2.0/lb/...}) over a
 * {@link org.lbaas.api.LoadBalancerService}, served by an embedded Jetty 12 server (core handlers,
 * no servlets). Entry point: {@link org.lbaas.rest.LbaasRestServer#builder()}.
 */
module org.lbaas.rest {
    requires transitive org.lbaas.api;
    requires org.eclipse.jetty.server;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports org.lbaas.rest;
}

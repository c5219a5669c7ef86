/**
 * The OpenStack Neutron LBaaS v1 REST API ({@code /v2.0/lb/...}) over a
 * {@link org.lbaas.api.LoadBalancerService}, served by an embedded Jetty 12 server (core handlers,
 * no servlets). Entry point: {@link org.lbaas.rest.LbaasRestServer#builder()}.
 *
 * <p>Micrometer is optional ({@code requires static}): only the request metrics a builder is given
 * a registry for use it. Its jar is an automatic module, hence the suppressed warning.
 */
@SuppressWarnings("requires-automatic")
module org.lbaas.rest {
    requires transitive org.lbaas.api;
    requires org.eclipse.jetty.server;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static micrometer.core;

    exports org.lbaas.rest;
}

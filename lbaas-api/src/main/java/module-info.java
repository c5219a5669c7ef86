/**
 * The embeddable LBaaS v1 service API and its JSON mapping. Drivers are found through
 * {@link java.util.ServiceLoader}.
 */
module org.lbaas.api {
    requires transitive org.lbaas.model;
    requires transitive org.lbaas.driver.spi;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports org.lbaas.api;
    exports org.lbaas.api.json;
}

/**
 * The embeddable LBaaS v1 service API and its JSON mapping. Drivers are found through
 * {@link java.util.ServiceLoader}.
 *
 * <p>{@code org.lbaas.api.json.internal}, the tree-level wire mapping, is exported only to
 * {@code org.lbaas.rest}, which works on the trees instead of re-parsing the codec's text. It is
 * compiled before that module, hence the suppressed "module not found" warning.
 *
 * <p>Micrometer is optional ({@code requires static}): only
 * {@link org.lbaas.api.LoadBalancerService.Builder#meterRegistry} and the package-private class
 * behind it use it. Its jar is an automatic module ({@code micrometer.core}), hence the suppressed
 * "requires-automatic" warning.
 */
@SuppressWarnings({"module", "requires-automatic"})
module org.lbaas.api {
    requires transitive org.lbaas.model;
    requires transitive org.lbaas.driver.spi;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static micrometer.core;

    exports org.lbaas.api;
    exports org.lbaas.api.json;
    exports org.lbaas.api.json.internal to org.lbaas.rest;
}

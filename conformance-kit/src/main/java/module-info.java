/**
 * The driver conformance kit: JUnit Jupiter tests and jqwik properties that any lbaas driver must
 * pass, run through a real {@link org.lbaas.api.LoadBalancerService}. A vendor extends
 * {@link org.lbaas.conformance.DriverConformanceKit} in its own tests.
 */
module org.lbaas.conformance {
    requires transitive org.lbaas.testkit;
    requires transitive org.lbaas.api;
    requires transitive org.junit.jupiter.api;
    requires com.google.common;

    exports org.lbaas.conformance;
}

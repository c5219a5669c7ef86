/**
 * The LBaaS v1 domain model: immutable values and their validation rules.
 * Depends on the JDK and Guava only.
 */
module org.lbaas.model {
    requires com.google.common;

    exports org.lbaas.model;
}

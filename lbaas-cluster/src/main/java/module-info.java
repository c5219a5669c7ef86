/**
 * lbaas on many network nodes: one desired state in Apache ZooKeeper, reached through Apache
 * Curator. Curator's and ZooKeeper's jars are automatic modules, hence the suppressed warning.
 */
@SuppressWarnings("requires-automatic")
module org.lbaas.cluster {
    requires transitive org.lbaas.api;
    requires curator.framework;
    requires curator.recipes;
    requires curator.client;
    requires zookeeper;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports org.lbaas.cluster;
}

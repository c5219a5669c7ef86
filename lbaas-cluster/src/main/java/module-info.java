/**
 * lbaas on many network nodes: one desired state in Apache ZooKeeper, reached through Apache
 * Curator. Curator's and ZooKeeper's jars are automatic modules, and Curator's client appears in
 * this module's API (hence {@code requires transitive}): the suppressed warnings.
 *
 * <p>ZooKeeper's records ({@code org.apache.zookeeper.data.Stat}, which carries a znode's version)
 * are in the zookeeper-jute jar, which splits two packages with the zookeeper jar, so the two
 * cannot both be modules: zookeeper-jute stays on the class path, this module is compiled with
 * {@code --add-reads org.lbaas.cluster=ALL-UNNAMED}, and an application that puts it on the module
 * path passes the same option to {@code java}. On the class path nothing is needed.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.lbaas.cluster {
    requires transitive org.lbaas.api;
    requires transitive curator.framework;
    requires curator.recipes;
    requires curator.client;
    requires zookeeper;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports org.lbaas.cluster;
}

/**
 * The driver service-provider interface of lbaas: what a load-balancer driver implements and
 * receives, and the {@code ShellExecutor} seam through which drivers run external commands.
 */
module org.lbaas.driver.spi {
    requires transitive org.lbaas.model;
    requires org.slf4j;
    requires org.apache.commons.exec;

    exports org.lbaas.driver.spi;
    exports org.lbaas.driver.spi.shell;

    uses org.lbaas.driver.spi.DriverProvider;
}

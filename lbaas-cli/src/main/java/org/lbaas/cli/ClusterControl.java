package org.lbaas.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.cluster.ClusterDriver;
import org.lbaas.cluster.Scheduler;
import org.lbaas.cluster.ZooKeeperRepository;
import org.lbaas.driver.spi.Capabilities;

/**
 * The cluster side of a controller ({@code lbaas serve --zookeeper}, the controller of
 * {@code lbaas demo --cluster}): over one ZooKeeper client, the {@link ZooKeeperRepository} its
 * service stores the desired state in, the {@link ClusterDriver} that hands load balancers to the
 * agents, and a {@link Scheduler} that places them (active while this controller leads the
 * election). Closing it leaves the election and stops watching; the client stays the caller's.
 *
 * @param driver the service's driver
 * @param scheduler this controller's scheduler
 * @param repository the service's repository
 */
record ClusterControl(ClusterDriver driver, Scheduler scheduler, ZooKeeperRepository repository) implements AutoCloseable {

    ClusterControl {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(repository, "repository");
    }

    /**
     * Starts the cluster driver and the scheduler.
     *
     * @param client a connected client
     * @param root the cluster's znode root
     * @param capabilities what the agents' drivers support (their {@code instanceAddresses} is how
     *     many instances each load balancer runs)
     * @param grace how long a dead agent's registration must be gone before its instances move
     * @param schedulerId the id this controller stands for election with
     * @return the started parts
     */
    static ClusterControl start(CuratorFramework client, String root, Capabilities capabilities, Duration grace,
                                String schedulerId) {
        // The driver knows the store (work carries the store version; reconcile leaves other controllers' work
        // alone) and the scheduler (only the leader's controller probes, a missing agent only after the grace).
        ZooKeeperRepository store = ZooKeeperRepository.create(client, root);
        Scheduler scheduler = Scheduler.builder().client(client).root(root).grace(grace).id(schedulerId).build().start();
        try {
            ClusterDriver driver = ClusterDriver.builder().client(client).root(root).capabilities(capabilities).store(store)
                    .scheduler(scheduler).build();
            return new ClusterControl(driver, scheduler, store);
        } catch (RuntimeException e) {
            scheduler.close();
            throw e;
        }
    }

    /** A scheduler id that names the process: {@code serve-<host>-<pid>}. */
    static String schedulerId(String role) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            host = "localhost";
        }
        return role + "-" + host + "-" + ProcessHandle.current().pid();
    }

    /** Leaves the election, then stops the driver's watches. */
    @Override
    public void close() {
        try {
            scheduler.close();
        } finally {
            driver.close();
        }
    }
}

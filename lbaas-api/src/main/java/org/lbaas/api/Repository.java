package org.lbaas.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.lbaas.model.HealthMonitor;

/**
 * Where the service keeps its objects so that a restarted service sees them again: one document
 * per load balancer ({@link StoredLoadBalancer}) and one per health monitor.
 *
 * <p>A write that returned is durable. Implementations must be thread-safe; the service never
 * writes one document from two threads at once, but writes different documents in parallel.
 * Failures are {@link StorageException}s.
 */
public interface Repository {

    /**
     * Reads everything stored.
     *
     * @return every load balancer and health monitor
     * @throws StorageException when a document cannot be read
     */
    Contents load();

    /**
     * Stores a load balancer, replacing the document of the same pool id.
     *
     * @param loadBalancer the load balancer
     * @throws StorageException when it could not be stored durably
     */
    void save(StoredLoadBalancer loadBalancer);

    /**
     * Deletes a load balancer's document; nothing happens when there is none.
     *
     * @param poolId the pool id
     * @throws StorageException when it could not be deleted
     */
    void deleteLoadBalancer(UUID poolId);

    /**
     * Stores a health monitor, replacing the document of the same id.
     *
     * @param monitor the monitor
     * @throws StorageException when it could not be stored durably
     */
    void save(HealthMonitor monitor);

    /**
     * Deletes a health monitor's document; nothing happens when there is none.
     *
     * @param monitorId the monitor id
     * @throws StorageException when it could not be deleted
     */
    void deleteHealthMonitor(UUID monitorId);

    /** Returns a repository that keeps everything in memory (for tests and throw-away services). */
    static Repository inMemory() {
        return new InMemoryRepository();
    }

    /**
     * Returns a durable repository in a directory: one JSON document per load balancer
     * ({@code pool-<id>.json}) and per health monitor ({@code health-monitor-<id>.json}). Each write
     * goes to a temporary file in the same directory, is forced to disk, atomically renamed over the
     * document, and the directory is forced too, so a crash leaves either the old or the new
     * document, never a torn one. Temporary files left by a crashed writer are deleted on {@link #load()};
     * those of a writer that is still running are never touched, so a reader can load beside a writer.
     *
     * @param directory the directory, created when missing
     * @return the repository
     * @throws StorageException when the directory cannot be created
     */
    static Repository fileStore(Path directory) {
        return new FileRepository(Objects.requireNonNull(directory, "directory"), () -> { });
    }

    /**
     * Everything a repository holds.
     *
     * @param loadBalancers the load balancers
     * @param healthMonitors the health monitors
     */
    record Contents(List<StoredLoadBalancer> loadBalancers, List<HealthMonitor> healthMonitors) {

        public Contents {
            loadBalancers = List.copyOf(loadBalancers);
            healthMonitors = List.copyOf(healthMonitors);
        }
    }
}

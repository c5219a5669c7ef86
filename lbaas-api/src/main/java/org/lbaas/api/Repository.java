package org.lbaas.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.HealthMonitor;

/**
 * Where the service keeps its objects so that a restarted service sees them again: one document
 * per load balancer ({@link StoredLoadBalancer}) and one per health monitor.
 *
 * <p>A write that returned is durable. Implementations must be thread-safe; the service never
 * writes one document from two threads at once, but writes different documents in parallel.
 * Failures are {@link StorageException}s.
 *
 * <p>A store that several services write (one per controller, each with a repository of its own
 * over the same documents) offers {@link #shared()}: the service then follows the other writers'
 * changes and recovers from lost writes ({@link StoreConflictException}). The file store and the
 * in-memory store are written by one service only and offer nothing.
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

    /**
     * Returns this store's capability of being written by several services, if it has it. By
     * default it has not: only this service writes the documents, and {@link #load()} at start is
     * all it reads.
     *
     * @return the shared store's operations, or empty
     */
    default Optional<Shared> shared() {
        return Optional.empty();
    }

    /**
     * The operations of a store several services write at once. Each repository remembers which
     * version of each document it last read or wrote; a write based on an older one fails with a
     * {@link StoreConflictException} and writes nothing.
     */
    interface Shared {

        /**
         * Starts telling {@code listener} which documents other writers stored or deleted: for each
         * such change a call with the document's kind and id, in order per document, never for a
         * version older than (or the same as) what this repository last read or wrote. The listener
         * runs on the store's own thread and must not block; it reads the document with
         * {@link #reloadLoadBalancer} or {@link #reloadHealthMonitor}. Documents changed between
         * {@link Repository#load()} and this call are reported too.
         *
         * @param listener what to tell
         * @return stops telling it
         * @throws StorageException when the store cannot be watched
         */
        Watch watch(ChangeListener listener);

        /**
         * Reads a load balancer's document as the store has it now, and remembers its version for
         * the next write (the caller holds that document's write lock).
         *
         * @param poolId the pool id
         * @return the document, or empty when there is none
         * @throws StorageException when it cannot be read
         */
        Optional<StoredLoadBalancer> reloadLoadBalancer(UUID poolId);

        /**
         * Reads a health monitor's document as the store has it now, and remembers its version.
         *
         * @param monitorId the monitor id
         * @return the monitor, or empty when there is none
         * @throws StorageException when it cannot be read
         */
        Optional<HealthMonitor> reloadHealthMonitor(UUID monitorId);
    }

    /** Hears which documents other writers of a {@linkplain Shared shared} store changed. */
    @FunctionalInterface
    interface ChangeListener {

        /**
         * A document changed or was deleted.
         *
         * @param kind {@link ObjectKind#POOL} for a load balancer, {@link ObjectKind#HEALTH_MONITOR}
         * @param id the pool's or monitor's id
         */
        void changed(ObjectKind kind, UUID id);
    }

    /** A running {@link Shared#watch}; closing it stops the calls (idempotent). */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

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

package org.lbaas.api;

import java.io.IOException;
import java.util.Objects;
import org.lbaas.model.HealthMonitor;

/**
 * The documents a {@link Repository} stores, as bytes: exactly what
 * {@link Repository#fileStore(java.nio.file.Path)} writes into its files, for repositories that keep
 * them elsewhere (a ZooKeeper znode, a database row). One load balancer ({@link StoredLoadBalancer},
 * with its members, associations, VIP and subnets) or one health monitor per document.
 *
 * <p>Written documents are UTF-8 JSON in the current store format ({@code "format": 3}); every
 * attribute round-trips, so {@code readLoadBalancer(write(lb))} equals {@code lb}. Reading is
 * strict and also accepts the older formats 1 and 2 (a file store written by earlier versions):
 * anything else fails with an {@link InvalidStoreDocumentException} naming what is wrong. Reading
 * does not check that a document belongs where it was found (its id against a file or znode name):
 * that is the repository's business.
 *
 * <p>Stateless and thread-safe.
 */
public final class StoreDocuments {

    private StoreDocuments() {
    }

    /**
     * Writes a load balancer's document.
     *
     * @param loadBalancer the load balancer
     * @return the document, UTF-8 JSON
     */
    public static byte[] write(StoredLoadBalancer loadBalancer) {
        return StoreCodec.write(Objects.requireNonNull(loadBalancer, "loadBalancer"));
    }

    /**
     * Writes a health monitor's document.
     *
     * @param monitor the monitor
     * @return the document, UTF-8 JSON
     */
    public static byte[] write(HealthMonitor monitor) {
        return StoreCodec.write(Objects.requireNonNull(monitor, "monitor"));
    }

    /**
     * Reads a load balancer's document.
     *
     * @param document the bytes, UTF-8 JSON
     * @return the load balancer
     * @throws InvalidStoreDocumentException when the bytes are not a load balancer's document: not
     *     JSON, another format, a health monitor's document, or a broken rule (listed with their
     *     paths)
     */
    public static StoredLoadBalancer readLoadBalancer(byte[] document) throws InvalidStoreDocumentException {
        Objects.requireNonNull(document, "document");
        try {
            return StoreCodec.readLoadBalancer(document);
        } catch (IOException e) {
            throw new InvalidStoreDocumentException("not a load balancer's store document: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a health monitor's document.
     *
     * @param document the bytes, UTF-8 JSON
     * @return the monitor
     * @throws InvalidStoreDocumentException when the bytes are not a health monitor's document: not
     *     JSON, another format, a load balancer's document, or a broken rule (listed with their
     *     paths)
     */
    public static HealthMonitor readHealthMonitor(byte[] document) throws InvalidStoreDocumentException {
        Objects.requireNonNull(document, "document");
        try {
            return StoreCodec.readHealthMonitor(document);
        } catch (IOException e) {
            throw new InvalidStoreDocumentException("not a health monitor's store document: " + e.getMessage(), e);
        }
    }
}

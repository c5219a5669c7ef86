package org.lbaas.api;

/**
 * The {@link Repository} could not read or write a document. A call that fails with it was not
 * acknowledged: its change may or may not survive a restart.
 *
 * <p>Not final: a repository may throw a subclass that names a more precise failure (such as a
 * write that lost a compare-and-set against another writer); callers that only care that the
 * write failed catch this type.
 */
public class StorageException extends LbaasException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the document's object (a load balancer is stored under its pool)
     * @param id its id
     * @param message what failed
     * @param cause the I/O failure
     */
    public StorageException(ObjectKind kind, String id, String message, Throwable cause) {
        super(kind, id, message, cause);
    }
}

package org.lbaas.api;

import java.util.List;
import org.lbaas.model.Violation;

/**
 * A request is valid but needs something the driver declared it does not support (its
 * {@link org.lbaas.driver.spi.Capabilities}): every unsupported feature is listed.
 */
public final class UnsupportedByDriverException extends LbaasException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> unsupported;

    /**
     * Creates the exception.
     *
     * @param kind the kind of the object the request is about
     * @param id its id, empty for a create
     * @param unsupported every unsupported feature, at least one
     */
    public UnsupportedByDriverException(ObjectKind kind, String id, List<Violation> unsupported) {
        super(kind, id, listing(kind, id, " needs what the driver does not support: ", unsupported,
                "an UnsupportedByDriverException needs at least one feature"), null);
        this.unsupported = List.copyOf(unsupported);
    }

    /** Returns every unsupported feature, never empty. */
    public List<Violation> unsupported() {
        return unsupported;
    }
}

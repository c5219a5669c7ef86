package org.lbaas.driver.spi;

import java.util.List;

/** No discovered driver provider has the requested name. The message lists the names that exist. */
public final class DriverNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String requested;
    private final List<String> available;

    DriverNotFoundException(String requested, List<String> available, List<String> problems) {
        super("no lbaas driver named '" + requested + "'; drivers found: "
                + (available.isEmpty() ? "none" : String.join(", ", available))
                + (problems.isEmpty() ? "" : "; providers that failed to load: " + String.join("; ", problems)));
        this.requested = requested;
        this.available = List.copyOf(available);
    }

    /** Returns the name that was asked for. */
    public String requested() {
        return requested;
    }

    /** Returns the names that were found. */
    public List<String> available() {
        return available;
    }
}

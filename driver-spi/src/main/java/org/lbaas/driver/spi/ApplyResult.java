package org.lbaas.driver.spi;

import java.util.Objects;

/**
 * How a driver applied a desired state.
 *
 * @param action what happened to the data plane
 * @param detail a short operator-facing note, such as the runtime commands used; may be empty
 */
public record ApplyResult(Action action, String detail) {

    public ApplyResult {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Returns a result without detail.
     *
     * @param action what happened
     * @return the result
     */
    public static ApplyResult of(Action action) {
        return new ApplyResult(action, "");
    }

    /** What a driver did to apply a desired state. */
    public enum Action {
        /** The data plane already served the desired state. */
        UNCHANGED,
        /** Nothing ran and something now does. */
        DEPLOYED,
        /** The running data plane took the change without restarting (e.g. a runtime API). */
        CHANGED_IN_PLACE,
        /** The running data plane was reloaded or restarted without dropping traffic. */
        RELOADED,
        /** The load balancer is not deployable (no VIP, or VIP admin down) and nothing runs now. */
        UNDEPLOYED
    }
}

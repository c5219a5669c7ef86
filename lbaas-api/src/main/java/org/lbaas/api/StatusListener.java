package org.lbaas.api;

/**
 * Receives every provisioning-status change the service makes (each change of an object's status,
 * including its appearance and its removal), after the change was stored. Changes of one object,
 * and of one load balancer, arrive in the order they were made; all calls come from one thread of
 * the service's own, never while the service holds a lock. A listener must be quick; an exception it
 * throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface StatusListener {

    /** A listener that ignores everything. */
    StatusListener NONE = change -> { };

    /**
     * Called once for each change.
     *
     * @param change the change
     */
    void statusChanged(StatusChange change);
}

package org.lbaas.api;

import java.util.Objects;
import java.util.Optional;
import org.lbaas.model.SessionPersistence;

/**
 * What a VIP update does to session persistence, when it says anything about it. A
 * {@link VipUpdate} holds an {@code Optional<PersistenceChange>}, which makes three cases:
 * <ul>
 *   <li>absent: keep the VIP's persistence as it is (v1 silently dropped it here; lbaas keeps it);</li>
 *   <li>{@link #set(SessionPersistence)}: replace it;</li>
 *   <li>{@link #clear()}: remove it (on the wire: {@code "session_persistence": null}).</li>
 * </ul>
 *
 * @param persistence the new persistence, empty to remove it
 */
public record PersistenceChange(Optional<SessionPersistence> persistence) {

    public PersistenceChange {
        Objects.requireNonNull(persistence, "persistence");
    }

    /**
     * Returns a change that sets the persistence.
     *
     * @param persistence the new persistence
     * @return the change
     */
    public static PersistenceChange set(SessionPersistence persistence) {
        return new PersistenceChange(Optional.of(Objects.requireNonNull(persistence, "persistence")));
    }

    /** Returns a change that removes the persistence. */
    public static PersistenceChange clear() {
        return new PersistenceChange(Optional.empty());
    }

    /** Returns whether this change removes the persistence. */
    public boolean isClear() {
        return persistence.isEmpty();
    }
}

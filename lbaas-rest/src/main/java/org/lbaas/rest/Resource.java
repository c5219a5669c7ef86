package org.lbaas.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.ObjectKind;

/**
 * One collection under {@code /v2.0/lb/}: how its objects are listed, found, written, created,
 * updated and deleted through the service, and who owns each one. {@link ApiHandler} does the HTTP
 * around it; tenancy is enforced here, in {@link #visible}: an object of another tenant is
 * reported exactly like one that does not exist.
 *
 * @param <T> the object as the service returns it
 */
abstract class Resource<T> {

    final String singular;
    final String plural;
    final ObjectKind kind;
    final Set<String> attributes;

    Resource(String singular, String plural, ObjectKind kind, Set<String> attributes) {
        this.singular = Objects.requireNonNull(singular, "singular");
        this.plural = Objects.requireNonNull(plural, "plural");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.attributes = Set.copyOf(attributes);
    }

    /** Every object the caller may see, in the service's order. */
    abstract List<T> list(Caller caller);

    /** The object with this id, whoever owns it; throws {@link NotFoundException} when there is none. */
    abstract T get(UUID id);

    abstract String tenantOf(T object);

    /** The objects as {@code [{...}, ...]}, written by the codec. */
    abstract ArrayNode writeAll(List<T> objects);

    /** One object as {@code {...}}, written by the codec. */
    abstract ObjectNode write(T object);

    abstract T create(String body, Caller caller);

    abstract T update(T current, String body, Caller caller);

    abstract void delete(T current);

    /**
     * Returns an object the caller may see.
     *
     * @param rawId the id as it appeared in the path
     * @param caller who asks
     * @return the object
     * @throws NotFoundException when there is no such object or it belongs to another tenant
     */
    final T visible(String rawId, Caller caller) {
        UUID id = id(rawId).orElseThrow(() -> new NotFoundException(kind, rawId));
        T object = get(id);
        if (!caller.owns(tenantOf(object))) {
            throw new NotFoundException(kind, id.toString());
        }
        return object;
    }

    /** Parses an id from a path; anything that is not a UUID names no object. */
    static java.util.Optional<UUID> id(String raw) {
        if (raw.length() != 36) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}

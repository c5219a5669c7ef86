package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.json.internal.WireRequest;
import org.lbaas.api.json.internal.WireShape;

/**
 * One collection under {@code /v2.0/lb/}, described by a row of {@link Resources}: its wire shape,
 * how the service lists, finds, creates, updates and deletes its objects, and who owns each one.
 * {@link ApiHandler} does the HTTP around it; tenancy is enforced here, in {@link #visible}: an
 * object of another tenant is reported exactly like one that does not exist. Set up once by
 * {@link Resources}, then only read.
 *
 * @param <T> the object as the service returns it
 */
final class Resource<T> {

    /** An update through the service: the object's id, the request read from the body, the caller. */
    interface Update<R, T> {
        T apply(UUID id, R request, Caller caller);
    }

    final String singular;
    final String plural;
    final ObjectKind kind;
    final Set<String> attributes;
    private final WireShape<T> shape;
    private final Function<UUID, T> get;
    private final Function<T, String> tenantOf;
    private final Function<T, UUID> idOf;
    private Function<Caller, List<T>> list;
    private UnaryOperator<List<T>> shown = UnaryOperator.identity();
    private BiFunction<JsonNode, Caller, T> create;
    private Update<JsonNode, T> update;
    private Consumer<UUID> delete;

    Resource(WireShape<T> shape, ObjectKind kind, Set<String> attributes, Function<UUID, T> get,
             Function<T, String> tenantOf, Function<T, UUID> idOf) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.singular = shape.singular();
        this.plural = shape.plural();
        this.kind = Objects.requireNonNull(kind, "kind");
        this.attributes = Set.copyOf(attributes);
        this.get = Objects.requireNonNull(get, "get");
        this.tenantOf = Objects.requireNonNull(tenantOf, "tenantOf");
        this.idOf = Objects.requireNonNull(idOf, "idOf");
    }

    /** Lists everything for an administrator, a tenant's objects for anyone else. */
    Resource<T> listing(Supplier<List<T>> all, Function<String, List<T>> ofTenant) {
        this.list = caller -> caller.admin() ? all.get() : ofTenant.apply(caller.tenantId());
        return this;
    }

    /** Shows the objects as this function returns them (a member's status as v1 derived it). */
    Resource<T> showing(UnaryOperator<List<T>> value) {
        this.shown = Objects.requireNonNull(value, "shown");
        return this;
    }

    /** Creates from a body read as the request. */
    <R> Resource<T> creating(WireRequest<R> request, BiFunction<R, Caller, T> call) {
        this.create = (body, caller) -> call.apply(request.read(body), caller);
        return this;
    }

    /** Updates from a body read as the request. */
    <R> Resource<T> updating(WireRequest<R> request, Update<R, T> call) {
        this.update = (id, body, caller) -> call.apply(id, request.read(body), caller);
        return this;
    }

    /** Deletes by id. */
    Resource<T> deleting(Consumer<UUID> call) {
        this.delete = Objects.requireNonNull(call, "delete");
        return this;
    }

    /** Every object the caller may see, in the service's order. */
    List<T> list(Caller caller) {
        return list.apply(caller);
    }

    /** The objects as {@code [{...}, ...]}. */
    ArrayNode writeAll(List<T> objects) {
        return shape.nodes(shown.apply(objects));
    }

    /** One object as {@code {...}}. */
    ObjectNode write(T object) {
        return shape.node(shown.apply(List.of(object)).get(0));
    }

    T create(String body, Caller caller) {
        return create.apply(Bodies.create(body, singular, caller), caller);
    }

    T update(T current, String body, Caller caller) {
        return update.apply(idOf.apply(current), Bodies.update(body, singular), caller);
    }

    void delete(T current) {
        delete.accept(idOf.apply(current));
    }

    /**
     * Returns an object the caller may see.
     *
     * @param rawId the id as it appeared in the path
     * @param caller who asks
     * @return the object
     * @throws NotFoundException when there is no such object or it belongs to another tenant
     */
    T visible(String rawId, Caller caller) {
        UUID id = id(rawId).orElseThrow(() -> new NotFoundException(kind, rawId));
        T object = get.apply(id);
        if (!caller.owns(tenantOf.apply(object))) {
            throw new NotFoundException(kind, id.toString());
        }
        return object;
    }

    /** Parses an id from a path; anything that is not a UUID names no object. */
    static Optional<UUID> id(String raw) {
        if (raw.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package org.lbaas.api.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.PoolView;
import org.lbaas.model.Member;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * One kind of object of the Neutron v1 wire format: the names it is wrapped in and the one writer
 * and reader of its attributes. {@link org.lbaas.api.json.NeutronJson} prints and parses these
 * trees; lbaas-rest filters and projects them without a text round trip.
 *
 * @param singular the key of one object ({@code "pool"})
 * @param plural the key of a list ({@code "pools"})
 * @param kind what it is called in messages ({@code "health monitor"})
 * @param writer writes an object's attributes
 * @param reader reads an object's attributes, recording violations
 * @param <T> the object
 */
public record WireShape<T>(String singular, String plural, String kind, Function<T, ObjectNode> writer,
                           Function<Fields, Optional<T>> reader) {

    /** A VIP. */
    public static final WireShape<Vip> VIP = new WireShape<>("vip", "vips", "vip", Writers::vip, Readers::vip);
    /** A pool with its relations. */
    public static final WireShape<PoolView> POOL = new WireShape<>("pool", "pools", "pool", Writers::pool,
            Readers::poolView);
    /** A member. */
    public static final WireShape<Member> MEMBER = new WireShape<>("member", "members", "member", Writers::member,
            Readers::member);
    /** A health monitor with its pool associations. */
    public static final WireShape<HealthMonitorView> HEALTH_MONITOR = new WireShape<>("health_monitor", "health_monitors",
            "health monitor", Writers::healthMonitor, Readers::healthMonitorView);
    /** A pool's counters (there is no list of them). */
    public static final WireShape<PoolStats> STATS = new WireShape<>("stats", "stats", "stats", Writers::stats,
            Readers::stats);
    /** A subnet. */
    public static final WireShape<Subnet> SUBNET = new WireShape<>("subnet", "subnets", "subnet", Writers::subnet,
            Readers::subnet);

    /** Checks that every part is given. */
    public WireShape {
        Objects.requireNonNull(singular, "singular");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(reader, "reader");
    }

    /** Returns the object's attributes, {@code {...}}. */
    public ObjectNode node(T value) {
        return writer.apply(Objects.requireNonNull(value, singular));
    }

    /** Returns the objects' attributes, {@code [{...}, ...]}, in order. */
    public ArrayNode nodes(List<T> values) {
        Objects.requireNonNull(values, plural);
        ArrayNode out = JsonText.nodes().arrayNode(values.size());
        values.forEach(v -> out.add(writer.apply(Objects.requireNonNull(v, plural))));
        return out;
    }

    /** Returns {@code {"singular": {...}}}. */
    public ObjectNode wrapped(T value) {
        return Writers.wrap(singular, node(value));
    }

    /** Returns {@code {"plural": [...]}}. */
    public ObjectNode wrappedAll(List<T> values) {
        ObjectNode out = Writers.object();
        out.set(plural, nodes(values));
        return out;
    }

    /**
     * Reads {@code {"singular": {...}}}.
     *
     * @throws org.lbaas.model.ValidationException listing every violation
     */
    public T read(JsonNode tree) {
        return Readers.wrapped(tree, singular, kind, reader);
    }

    /**
     * Reads {@code {"plural": [...]}}.
     *
     * @throws org.lbaas.model.ValidationException listing every violation
     */
    public List<T> readAll(JsonNode tree) {
        return Readers.list(tree, plural, kind, reader);
    }
}

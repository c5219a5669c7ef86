package org.lbaas.api.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;

/**
 * Reads the attributes of one JSON object into Java values, recording a violation (with the
 * attribute's full path) for every attribute that is missing, mistyped or unknown, and going on.
 *
 * <p>Every typed getter returns empty both when the attribute is absent and when it failed; use
 * {@link #has(String)} to tell them apart. An attribute that failed is remembered, so that a
 * model record built afterwards from placeholder values does not report it a second time (see
 * {@link #build(Supplier)}). {@link #finish()} reports every attribute nobody asked for.
 */
public final class Fields {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JsonNode node;
    private final String path;
    private final String kind;
    private final Violations violations;
    private final Fields parent;
    private final String nameInParent;
    private final Set<String> asked = new LinkedHashSet<>();
    private final Set<String> rejected = new LinkedHashSet<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final Set<String> ignored = new LinkedHashSet<>();

    private Fields(JsonNode node, String path, String kind, Violations violations, Fields parent, String nameInParent) {
        this.node = node;
        this.path = path;
        this.kind = kind;
        this.violations = violations;
        this.parent = parent;
        this.nameInParent = nameInParent;
    }

    /**
     * Starts reading a JSON object.
     *
     * @param node the value, which must be an object
     * @param path its path, empty for the top level
     * @param kind what it is, for messages ({@code "vip"}, {@code "load balancer document"})
     * @param violations where violations go
     * @return the reader, or empty after recording a violation when the value is not an object
     */
    public static Optional<Fields> object(JsonNode node, String path, String kind, Violations violations) {
        if (node == null || !node.isObject()) {
            violations.add(Violation.of(shownPath(path), shown(node), "must be a JSON object (" + article(kind) + ")"));
            return Optional.empty();
        }
        return Optional.of(new Fields(node, path, kind, violations, null, null));
    }

    /** Joins a parent path and an attribute name. */
    static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** Returns the path as shown in a violation: {@code $} for the top level. */
    static String shownPath(String path) {
        return path.isEmpty() ? "$" : path;
    }

    /** Returns a rejected value for display: a string as itself, anything else as compact JSON. */
    static Object shown(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        return new Raw(value.toString());
    }

    /** A rejected non-string value, shown as JSON without quotes. */
    private record Raw(String json) {
        @Override
        public String toString() {
            return json;
        }
    }

    String at(String name) {
        return join(path, name);
    }

    public Violations violations() {
        return violations;
    }

    /** Returns whether the attribute is present (even as {@code null}); counts as asked for. */
    public boolean has(String name) {
        asked.add(name);
        return node.has(name);
    }

    /** Returns whether the attribute is present as JSON {@code null}; counts as asked for. */
    public boolean isNull(String name) {
        asked.add(name);
        return node.has(name) && node.get(name).isNull();
    }

    /** Returns the attribute's raw value, if present; counts as asked for. */
    Optional<JsonNode> raw(String name) {
        asked.add(name);
        return Optional.ofNullable(node.get(name));
    }

    /** Returns whether no attribute of this object (or of an object nested in it) failed. */
    public boolean ok() {
        return failed.isEmpty();
    }

    /**
     * Records a violation on an attribute and remembers that it failed.
     *
     * @param name the attribute
     * @param value the rejected value
     * @param rule the rule
     * @return always empty, for use as a getter's result
     */
    public <T> Optional<T> fail(String name, Object value, String rule) {
        violations.add(Violation.of(at(name), value, rule));
        markFailed(name);
        return Optional.empty();
    }

    /** Remembers that an attribute failed (its violations were recorded elsewhere). */
    void markFailed(String name) {
        failed.add(name);
        if (parent != null) {
            parent.markFailed(nameInParent);
        }
    }

    /**
     * Reads a required attribute: absent is a violation ({@code is required}), present is read by
     * the getter. JSON {@code null} is left to the getter, which rejects it as a wrong type.
     */
    public <T> Optional<T> require(String name, Function<String, Optional<T>> getter) {
        if (!has(name)) {
            return fail(name, null, "is required");
        }
        return getter.apply(name);
    }

    /** Reads an optional attribute, giving {@code absent} when it is not there. */
    public <T> Optional<T> orDefault(String name, Function<String, Optional<T>> getter, T absent) {
        if (!has(name)) {
            return Optional.of(absent);
        }
        return getter.apply(name);
    }

    /**
     * Reads an attribute of one JSON type: empty when it is absent, empty after a violation (the
     * rule) when it has another type, else the value.
     */
    private Optional<JsonNode> typed(String name, Predicate<JsonNode> type, Supplier<String> rule) {
        JsonNode value = raw(name).orElse(null);
        if (value == null) {
            return Optional.empty();
        }
        return type.test(value) ? Optional.of(value) : fail(name, shown(value), rule.get());
    }

    public Optional<String> string(String name) {
        return typed(name, JsonNode::isTextual, () -> "must be a string").map(JsonNode::textValue);
    }

    public Optional<Integer> integer(String name) {
        return typed(name, JsonNode::isIntegralNumber, () -> "must be an integer").flatMap(v -> v.canConvertToInt()
                ? Optional.of(v.intValue())
                : fail(name, shown(v), "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE));
    }

    public Optional<Long> longInteger(String name) {
        return typed(name, JsonNode::isIntegralNumber, () -> "must be an integer").flatMap(v -> v.canConvertToLong()
                ? Optional.of(v.longValue())
                : fail(name, shown(v), "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE));
    }

    public Optional<Boolean> bool(String name) {
        return typed(name, JsonNode::isBoolean, () -> "must be true or false").map(JsonNode::booleanValue);
    }

    public Optional<UUID> uuid(String name) {
        return typed(name, v -> true, Fields::uuidRule).flatMap(v -> uuidOf(v).or(() -> fail(name, shown(v), uuidRule())));
    }

    Optional<InetAddress> ip(String name) {
        return typed(name, JsonNode::isTextual, () -> "must be a string holding an IPv4 or IPv6 address literal")
                .flatMap(v -> IpAddresses.parse(v.textValue()).or(() -> fail(name, v.textValue(),
                        "must be an IPv4 or IPv6 address literal (host names are not resolved)")));
    }

    public <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String name) {
        return typed(name, JsonNode::isTextual, () -> "must be a string, one of " + List.of(type.getEnumConstants()))
                .flatMap(v -> {
                    Optional<E> parsed = violations.enumValue(type, v.textValue(), at(name));
                    if (parsed.isEmpty()) {
                        markFailed(name);
                    }
                    return parsed;
                });
    }

    /** Reads a nested object attribute, whose failures count as failures of this attribute. */
    public Optional<Fields> object(String name, String nestedKind) {
        return typed(name, JsonNode::isObject, () -> "must be a JSON object (" + article(nestedKind) + ")")
                .map(v -> new Fields(v, at(name), nestedKind, violations, this, name));
    }

    /** Reads an array attribute; {@code null} or another type is a violation. */
    Optional<List<JsonNode>> array(String name) {
        return typed(name, JsonNode::isArray, () -> "must be a list").map(v -> {
            List<JsonNode> items = new ArrayList<>();
            v.forEach(items::add);
            return items;
        });
    }

    /**
     * Reads an array attribute whose items are objects; each item is read as a nested object
     * (path {@code name[i]}) whose failures count as failures of this attribute. The list has one
     * entry per item, in order; an item that is not an object is empty (after a violation).
     */
    public Optional<List<Optional<Fields>>> items(String name, String itemKind) {
        Optional<List<JsonNode>> values = array(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Optional<Fields>> out = new ArrayList<>();
        for (int i = 0; i < values.get().size(); i++) {
            JsonNode item = values.get().get(i);
            String itemPath = at(name) + "[" + i + "]";
            if (item.isObject()) {
                out.add(Optional.of(new Fields(item, itemPath, itemKind, violations, this, name)));
            } else {
                violations.add(Violation.of(itemPath, shown(item), "must be a JSON object (" + article(itemKind) + ")"));
                markFailed(name);
                out.add(Optional.empty());
            }
        }
        return Optional.of(out);
    }

    /** Reads an array of IP address literals; each bad item is a violation at {@code name[i]}. */
    public Optional<List<InetAddress>> ips(String name) {
        return listOf(name, v -> v.isTextual() ? IpAddresses.parse(v.textValue()) : Optional.empty(),
                () -> "must be a string holding an IPv4 or IPv6 address literal");
    }

    /** Reads an array of UUID strings. */
    Optional<List<UUID>> uuids(String name) {
        return listOf(name, Fields::uuidOf, Fields::uuidRule);
    }

    /**
     * Reads an array whose items each {@code parse} reads; each item it cannot read is a violation
     * (the rule) at {@code name[i]}. Empty when absent or when any item failed.
     */
    private <T> Optional<List<T>> listOf(String name, Function<JsonNode, Optional<T>> parse, Supplier<String> rule) {
        Optional<List<JsonNode>> items = array(name);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<T> out = new ArrayList<>();
        boolean good = true;
        for (int i = 0; i < items.get().size(); i++) {
            JsonNode item = items.get().get(i);
            Optional<T> value = parse.apply(item);
            if (value.isPresent()) {
                out.add(value.get());
            } else {
                violations.add(Violation.of(at(name) + "[" + i + "]", shown(item), rule.get()));
                markFailed(name);
                good = false;
            }
        }
        return good ? Optional.of(out) : Optional.empty();
    }

    /**
     * Rejects attributes that exist on this kind of object but may not be given here.
     *
     * @param rule why, such as {@code "is read-only (set by the service)"}
     * @param names the attributes
     */
    void reject(String rule, String... names) {
        for (String name : names) {
            rejected.add(name);
            if (node.has(name)) {
                fail(name, shown(node.get(name)), rule);
            }
        }
    }

    /**
     * Accepts attributes that another system writes on this kind of object (Neutron's read-only or
     * other extensions' attributes) and ignores their values.
     *
     * @param names the attributes
     */
    public void ignore(String... names) {
        ignored.addAll(List.of(names));
    }

    /**
     * Reports every attribute that was neither asked for nor rejected as unknown, naming the
     * attributes that are accepted here.
     */
    public void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (asked.contains(name) || rejected.contains(name) || ignored.contains(name)) {
                continue;
            }
            String hint = asked.contains(snake(name)) ? " (did you mean " + snake(name) + "?)" : "";
            fail(name, shown(node.get(name)), "is not an attribute of " + article(kind) + hint
                    + "; accepted here: " + String.join(", ", asked));
        }
    }

    /**
     * Builds a model record from what was read. The record's own violations are recorded under
     * this object's path, except those on attributes that already failed here (the record was
     * given a placeholder for them). The result is empty when anything in this object failed,
     * so a placeholder never escapes.
     */
    public <T> Optional<T> build(Supplier<T> constructor) {
        T built;
        try {
            built = constructor.get();
        } catch (ValidationException e) {
            for (Violation violation : e.violations()) {
                String first = firstSegment(violation.path());
                if (!failed.contains(first)) {
                    violations.add(path.isEmpty() ? violation : violation.prefixed(path));
                    markFailed(first);
                }
            }
            return Optional.empty();
        }
        return ok() ? Optional.of(built) : Optional.empty();
    }

    static Optional<UUID> uuidOf(JsonNode value) {
        if (value == null || !value.isTextual() || !UUID_TEXT.matcher(value.textValue()).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(value.textValue()));
    }

    private static String uuidRule() {
        return "must be a UUID (8-4-4-4-12 hexadecimal digits, such as 4c2b8a1e-5b6f-4d3e-9a7c-1f0e2d3c4b5a)";
    }

    private static String firstSegment(String path) {
        int end = path.length();
        int dot = path.indexOf('.');
        int bracket = path.indexOf('[');
        if (dot >= 0) {
            end = dot;
        }
        if (bracket >= 0 && bracket < end) {
            end = bracket;
        }
        return path.substring(0, end);
    }

    private static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toLowerCase(Locale.ROOT);
    }

    private static String article(String kind) {
        return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }
}

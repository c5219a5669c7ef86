package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Neutron's list queries over the objects of one collection, as written by the codec:
 * <ul>
 *   <li><b>Filters</b>: {@code ?attribute=value} for any attribute of the object; a parameter
 *       given several times matches any of its values, different parameters must all match.
 *       Values compare as the attribute's JSON type: strings exactly, numbers numerically,
 *       booleans as {@code true}/{@code false} (any case) or {@code 1}/{@code 0}; a list attribute
 *       ({@code members}, {@code health_monitors}) matches when it holds the value; {@code null}
 *       and object attributes match nothing. An unknown attribute is a 400.</li>
 *   <li><b>Sorting</b>: {@code sort_key} (repeatable) with {@code sort_dir} {@code asc}/{@code desc}
 *       (missing directions are {@code asc}); otherwise creation order.</li>
 *   <li><b>Pagination</b>: {@code limit} (0 = all) and {@code marker} (the id after which the page
 *       starts, or before which with {@code page_reverse=True}); when there is more, the answer
 *       carries {@code <collection>_links} with {@code next} / {@code previous} hrefs.</li>
 *   <li><b>Projection</b>: {@code fields} (repeatable or comma-separated) keeps only those
 *       attributes; an unknown one is a 400.</li>
 * </ul>
 * {@code verbose} (sent by {@code neutron ... -D}) is accepted and changes nothing.
 */
final class Listing {

    static final Set<String> RESERVED = Set.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse",
            "verbose");

    private Listing() {
    }

    /**
     * Applies a query to a collection.
     *
     * @param plural the collection's name ({@code pools})
     * @param attributes the attributes an object of the collection has
     * @param items every object the caller may see, in creation order
     * @param query the query
     * @param selfUrl the collection's URL without query, for pagination links
     * @return {@code {"<plural>": [...]}} and, when paginated, {@code "<plural>_links"}
     */
    static ObjectNode apply(String plural, Set<String> attributes, ArrayNode items, Query query, String selfUrl) {
        List<JsonNode> kept = new ArrayList<>();
        List<Map.Entry<String, List<String>>> filters = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : query.all().entrySet()) {
            if (RESERVED.contains(p.getKey())) {
                continue;
            }
            if (!attributes.contains(p.getKey())) {
                throw ApiError.badRequest("unknown filter " + p.getKey() + ": it is not an attribute of " + plural
                        + " (attributes: " + String.join(", ", sorted(attributes)) + ")");
            }
            filters.add(p);
        }
        for (JsonNode item : items) {
            if (filters.stream().allMatch(f -> f.getValue().stream().anyMatch(v -> matches(item.get(f.getKey()), v)))) {
                kept.add(item);
            }
        }
        sort(kept, plural, attributes, query);
        List<String> fields = fields(query, plural, attributes);
        ObjectNode out = Json.object();
        ArrayNode page = out.putArray(plural);
        Page p = page(kept, query);
        for (JsonNode item : kept.subList(p.from, p.to)) {
            page.add(project((ObjectNode) item, fields));
        }
        if (p.next || p.previous) {
            ArrayNode links = out.putArray(plural + "_links");
            if (p.next) {
                links.addObject().put("href", link(selfUrl, query, p.limit, id(kept.get(p.to - 1)), false))
                        .put("rel", "next");
            }
            if (p.previous) {
                links.addObject().put("href", link(selfUrl, query, p.limit, id(kept.get(p.from)), true))
                        .put("rel", "previous");
            }
        }
        return out;
    }

    /** Returns the object with only the given attributes (all of them when none are given). */
    static ObjectNode project(ObjectNode item, List<String> fields) {
        if (fields.isEmpty()) {
            return item;
        }
        ObjectNode out = Json.object();
        for (String f : fields) {
            if (item.has(f)) {
                out.set(f, item.get(f));
            }
        }
        return out;
    }

    /** Checks a {@code fields=} projection against the attributes of the objects it applies to. */
    static List<String> fields(Query query, String what, Set<String> attributes) {
        List<String> fields = query.fields();
        for (String f : fields) {
            if (!attributes.contains(f)) {
                throw ApiError.badRequest("unknown field " + f + " in fields: it is not an attribute of " + what
                        + " (attributes: " + String.join(", ", sorted(attributes)) + ")");
            }
        }
        return fields;
    }

    // ------------------------------------------------------------------------------- filters

    static boolean matches(JsonNode value, String wanted) {
        if (value == null || value.isNull() || value.isObject()) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (element.isValueNode() && matches(element, wanted)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isBoolean()) {
            String w = wanted.strip().toLowerCase(Locale.ROOT);
            return value.booleanValue() ? w.equals("true") || w.equals("1") : w.equals("false") || w.equals("0");
        }
        if (value.isNumber()) {
            try {
                return value.decimalValue().compareTo(new BigDecimal(wanted.strip())) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return value.asText().equals(wanted);
    }

    // ------------------------------------------------------------------------------- sorting

    private static void sort(List<JsonNode> items, String plural, Set<String> attributes, Query query) {
        List<String> keys = query.values("sort_key");
        List<String> dirs = query.values("sort_dir");
        if (dirs.size() > keys.size()) {
            throw ApiError.badRequest("sort_dir given " + dirs.size() + " times but sort_key only " + keys.size()
                    + " times");
        }
        Comparator<JsonNode> order = null;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (!attributes.contains(key)) {
                throw ApiError.badRequest("unknown sort_key " + key + ": it is not an attribute of " + plural);
            }
            String dir = i < dirs.size() ? dirs.get(i) : "asc";
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw ApiError.badRequest("sort_dir must be asc or desc, not " + dir);
            }
            Comparator<JsonNode> one = Comparator.comparing((JsonNode n) -> n.get(key), Listing::compare);
            if (dir.equals("desc")) {
                one = one.reversed();
            }
            order = order == null ? one : order.thenComparing(one);
        }
        if (order != null) {
            items.sort(order); // stable: ties keep creation order
        }
    }

    /** Orders values of one attribute: missing and null first, then by JSON type, then by value. */
    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case 1 -> Boolean.compare(a.booleanValue(), b.booleanValue());
            case 2 -> a.decimalValue().compareTo(b.decimalValue());
            case 3 -> a.textValue().compareTo(b.textValue());
            case 4 -> Json.print(a).compareTo(Json.print(b));
            default -> 0;
        };
    }

    private static int rank(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isBoolean()) {
            return 1;
        }
        if (n.isNumber()) {
            return 2;
        }
        if (n.isTextual()) {
            return 3;
        }
        return 4;
    }

    // ------------------------------------------------------------------------------- pages

    private record Page(int from, int to, int limit, boolean next, boolean previous) {
    }

    private static Page page(List<JsonNode> items, Query query) {
        int limit = query.single("limit").map(Listing::limit).orElse(0);
        boolean reverse = query.single("page_reverse").map(Listing::bool).orElse(false);
        int markerAt = query.single("marker").map(m -> {
            for (int i = 0; i < items.size(); i++) {
                if (m.equals(id(items.get(i)))) {
                    return i;
                }
            }
            throw ApiError.badRequest("marker " + m + " is not the id of an object in this list");
        }).orElse(-1);
        boolean hasMarker = markerAt >= 0;
        if (!reverse) {
            int from = hasMarker ? markerAt + 1 : 0;
            int to = limit == 0 ? items.size() : Math.min(items.size(), from + limit);
            return new Page(from, to, limit, limit > 0 && to < items.size() && to > from, hasMarker && from > 0 && to > from);
        }
        int to = hasMarker ? markerAt : items.size();
        int from = limit == 0 ? 0 : Math.max(0, to - limit);
        return new Page(from, to, limit, hasMarker && to < items.size() && to > from, limit > 0 && from > 0 && to > from);
    }

    private static int limit(String raw) {
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("limit must be a non-negative integer, not " + raw);
    }

    private static boolean bool(String raw) {
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiError.badRequest("page_reverse must be True or False, not " + raw);
        };
    }

    private static String id(JsonNode item) {
        JsonNode id = item.get("id");
        return id == null ? "" : id.asText();
    }

    private static String link(String selfUrl, Query query, int limit, String marker, boolean reverse) {
        StringJoiner q = new StringJoiner("&");
        for (Map.Entry<String, List<String>> p : query.all().entrySet()) {
            if (p.getKey().equals("limit") || p.getKey().equals("marker") || p.getKey().equals("page_reverse")) {
                continue;
            }
            for (String v : p.getValue()) {
                q.add(encode(p.getKey()) + "=" + encode(v));
            }
        }
        q.add("limit=" + limit);
        q.add("marker=" + encode(marker));
        if (reverse) {
            q.add("page_reverse=True");
        }
        return selfUrl + "?" + q;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}

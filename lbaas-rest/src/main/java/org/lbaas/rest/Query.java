package org.lbaas.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a query string, in order, each with every value it was given
 * ({@code ?fields=id&fields=name}). Names and values are percent-decoded, {@code +} is a space
 * (as Python's {@code urlencode} writes it); a parameter without {@code =} has the value {@code ""}.
 */
final class Query {

    private final Map<String, List<String>> params;

    private Query(Map<String, List<String>> params) {
        this.params = params;
    }

    static Query parse(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String part : rawQuery.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : decode(part.substring(eq + 1));
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new Query(out);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("the query string is not correctly percent-encoded: " + raw);
        }
    }

    /** Returns every parameter with its values, in order. */
    Map<String, List<String>> all() {
        return params;
    }

    /** Returns the values of a parameter, empty when it was not given. */
    List<String> values(String name) {
        return params.getOrDefault(name, List.of());
    }

    /** Returns the value of a parameter that may be given once. */
    Optional<String> single(String name) {
        List<String> v = values(name);
        if (v.size() > 1) {
            throw ApiError.badRequest("query parameter " + name + " may be given only once, not " + v.size() + " times");
        }
        return v.stream().findFirst();
    }

    /**
     * Returns the {@code fields=} projection: every value, also comma-separated ones
     * ({@code fields=id,name}); empty means every attribute.
     */
    List<String> fields() {
        List<String> out = new ArrayList<>();
        for (String v : values("fields")) {
            for (String f : v.split(",")) {
                if (!f.isBlank() && !out.contains(f.strip())) {
                    out.add(f.strip());
                }
            }
        }
        return out;
    }
}

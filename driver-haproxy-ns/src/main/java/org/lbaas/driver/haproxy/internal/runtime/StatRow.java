package org.lbaas.driver.haproxy.internal.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of {@code show stat}, fields by column name.
 *
 * @param fields column name to raw value (empty string for an empty field)
 */
public record StatRow(Map<String, String> fields) {

    public StatRow {
        fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
    }

    /** Returns the proxy name ({@code pxname}). */
    public String proxy() {
        return text("pxname").orElse("");
    }

    /** Returns the service name ({@code svname}): {@code FRONTEND}, {@code BACKEND} or a server name. */
    public String service() {
        return text("svname").orElse("");
    }

    /** Returns whether this is a backend's summary row. */
    public boolean isBackend() {
        return "BACKEND".equals(service());
    }

    /** Returns whether this is a server row. */
    public boolean isServer() {
        return !isBackend() && !"FRONTEND".equals(service()) && !service().isEmpty();
    }

    /**
     * Returns a non-empty field.
     *
     * @param column the column name
     * @return the value
     */
    public Optional<String> text(String column) {
        String v = fields.get(column);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /**
     * Returns a numeric field.
     *
     * @param column the column name
     * @return the value, empty when absent, empty or not a number
     */
    public OptionalLong number(String column) {
        Optional<String> v = text(column);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Returns a counter, 0 when absent; never negative.
     *
     * @param column the column name
     * @return the value
     */
    public long counter(String column) {
        return Math.max(0, number(column).orElse(0));
    }
}

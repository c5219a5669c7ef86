package org.lbaas.model;

import java.util.Objects;

/**
 * One broken rule: where it is broken, what value was rejected and which rule it breaks.
 *
 * <p>{@link #path()} uses the Neutron LBaaS v1 attribute names, joined with dots and indexed
 * with brackets, for example {@code members[2].protocol_port} or
 * {@code vip.session_persistence.cookie_name}. The path of a violation found inside an object is
 * relative to that object; callers that assemble objects into a larger document prefix it with
 * {@link #prefixed(String)}.
 *
 * <p>{@link #rejectedValue()} is a display form of the rejected value that is safe to print on
 * one line: control characters are escaped ({@code \n}, {@code \u0000}) and long values are
 * cut. A missing value is shown as {@code null}.
 *
 * @param path where the rule is broken, never empty
 * @param rejectedValue a printable, single-line form of the rejected value
 * @param rule the rule, phrased so that a user knows what to change
 */
public record Violation(String path, String rejectedValue, String rule) {

    private static final int MAX_SHOWN = 80;

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rejectedValue, "rejectedValue");
        Objects.requireNonNull(rule, "rule");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
    }

    /**
     * Creates a violation, turning any value into its printable display form.
     *
     * @param path where the rule is broken
     * @param rejected the rejected value, may be {@code null} for a missing value
     * @param rule the rule that is broken
     * @return the violation
     */
    public static Violation of(String path, Object rejected, String rule) {
        return new Violation(path, display(rejected), rule);
    }

    /**
     * Returns this violation seen from an enclosing object.
     *
     * @param prefix the path of this violation's object inside the enclosing one, such as
     *     {@code members[2]}; an empty prefix returns this violation unchanged
     * @return a violation whose path is {@code prefix.path}
     */
    public Violation prefixed(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        String joined = path.startsWith("[") ? prefix + path : prefix + "." + path;
        return new Violation(joined, rejectedValue, rule);
    }

    /** Returns {@code path: rule (rejected: value)}, a line a user can act on. */
    public String message() {
        return path + ": " + rule + " (rejected: " + rejectedValue + ")";
    }

    @Override
    public String toString() {
        return message();
    }

    static String display(Object value) {
        if (value == null) {
            return "null";
        }
        String raw = String.valueOf(value);
        boolean quoted = value instanceof CharSequence;
        StringBuilder out = new StringBuilder();
        if (quoted) {
            out.append('"');
        }
        int shown = 0;
        for (int i = 0; i < raw.length() && shown < MAX_SHOWN; i++, shown++) {
            char c = raw.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append(quoted ? "\\\"" : "\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    int type = Character.getType(c);
                    if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (raw.length() > MAX_SHOWN) {
            out.append("...");
        }
        if (quoted) {
            out.append('"');
        }
        if (raw.length() > MAX_SHOWN) {
            out.append(" (").append(raw.length()).append(" chars)");
        }
        return out.toString();
    }
}

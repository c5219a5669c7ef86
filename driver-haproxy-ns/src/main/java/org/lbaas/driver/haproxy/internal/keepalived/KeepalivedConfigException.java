package org.lbaas.driver.haproxy.internal.keepalived;

import java.util.Objects;

/**
 * A value cannot be written into a keepalived configuration: it breaks the rule of its field (for
 * example an interface name longer than 15 bytes or a priority outside 1..254). The message names
 * the field, shows the value with control characters made visible and cut to a short preview (so
 * the message is safe to log), and states the rule.
 */
public final class KeepalivedConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int PREVIEW = 48;

    /** The field whose rule the value broke. */
    private final String field;

    KeepalivedConfigException(String field, Object value, String rule) {
        super("keepalived " + field + " " + preview(value) + " " + rule);
        this.field = Objects.requireNonNull(field, "field");
    }

    /**
     * Returns the name of the field whose rule the value broke, such as {@code priority} or
     * {@code trackInterfaces[1]}.
     *
     * @return the field name
     */
    public String field() {
        return field;
    }

    static String preview(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder("'");
        int n = Math.min(text.length(), PREVIEW);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append('\'');
        if (text.length() > PREVIEW) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}

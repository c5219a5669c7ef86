package org.lbaas.driver.haproxy.internal.config;

import java.util.Objects;

/**
 * A value cannot be written as an argument of the given {@link TokenKind}: it breaks the kind's
 * rule (for example a newline in a quoted string or a port outside 1..65535). The message shows the
 * value with control characters made visible and cut to a short preview, so that the message itself
 * is safe to log.
 */
public final class InvalidTokenException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int PREVIEW = 48;

    /** The kind the value was meant for. */
    private final TokenKind kind;

    InvalidTokenException(TokenKind kind, Object value, String rule) {
        super(kind + " " + preview(value) + " " + rule);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Returns the kind whose rule the value broke.
     *
     * @return the token kind
     */
    public TokenKind kind() {
        return kind;
    }

    /**
     * Shows a rejected value safely in a message: quoted, printable ASCII kept, everything else
     * (control characters, quotes, backslashes, non-ASCII) as a four-digit Unicode escape, cut to 48
     * characters with the full length noted. Also used by the keepalived configuration's errors.
     *
     * @param value the value, possibly null
     * @return the preview; {@code null} for null
     */
    public static String preview(Object value) {
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

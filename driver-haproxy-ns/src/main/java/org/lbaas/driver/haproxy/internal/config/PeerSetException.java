package org.lbaas.driver.haproxy.internal.config;

import java.util.Objects;

/**
 * A {@link PeerSet} breaks one of its rules. The message names the field, shows the rejected value
 * safely (see {@link InvalidTokenException#preview}) and states the rule.
 */
public final class PeerSetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The field that holds the rejected value, such as {@code localName} or {@code peers[1].name}. */
    private final String field;

    PeerSetException(String field, Object value, String rule) {
        super("peers: " + field + " " + InvalidTokenException.preview(value) + " " + rule);
        this.field = Objects.requireNonNull(field, "field");
    }

    PeerSetException(String field, Object value, String rule, Throwable cause) {
        this(field, value, rule);
        initCause(cause);
    }

    /**
     * Returns the field whose value broke a rule.
     *
     * @return the field, such as {@code localName} or {@code peers[0].address}
     */
    public String field() {
        return field;
    }
}

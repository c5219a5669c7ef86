package org.lbaas.driver.haproxy.internal.keepalived;

import java.util.Objects;
import org.lbaas.driver.haproxy.internal.config.InvalidTokenException;

/**
 * A value cannot be written into a keepalived configuration: it breaks the rule of its field (for
 * example an interface name longer than 15 bytes or a priority outside 1..254). The message names
 * the field, shows the value with control characters made visible and cut to a short preview (so
 * the message is safe to log), and states the rule.
 */
public final class KeepalivedConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The field whose rule the value broke. */
    private final String field;

    KeepalivedConfigException(String field, Object value, String rule) {
        super("keepalived " + field + " " + InvalidTokenException.preview(value) + " " + rule);
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
}

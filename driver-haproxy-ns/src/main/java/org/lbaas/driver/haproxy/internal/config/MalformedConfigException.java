package org.lbaas.driver.haproxy.internal.config;

/**
 * The shape of a configuration breaks a rule of HAProxy's parser or of the emitter, independently
 * of any single value: more than 64 words on a line, a second {@code global} section, two backends
 * with one name, a directive keyword that is not a keyword.
 */
public final class MalformedConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    MalformedConfigException(String message) {
        super(message);
    }
}

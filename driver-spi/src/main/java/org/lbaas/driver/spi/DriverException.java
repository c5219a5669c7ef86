package org.lbaas.driver.spi;

import java.util.Objects;

/**
 * A driver failed to do what it was asked.
 *
 * <p>It speaks to two audiences: {@link #tenantMessage()} is safe to show to the tenant who owns
 * the load balancer (no host paths, commands or other tenants' data), {@link #operatorMessage()}
 * (also the exception's message) tells the operator what broke, with the command and its output
 * where there is one. {@link #retryable()} says whether the same call may succeed later (a
 * timeout, a busy resource) or will fail again until something changes (a bad configuration, a
 * missing binary).
 */
public class DriverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String tenantMessage;
    private final boolean retryable;

    /**
     * Creates the exception.
     *
     * @param tenantMessage what the tenant may see
     * @param operatorMessage what the operator needs to know
     * @param retryable whether a retry can help
     * @param cause the underlying failure, may be {@code null}
     */
    public DriverException(String tenantMessage, String operatorMessage, boolean retryable, Throwable cause) {
        super(Objects.requireNonNull(operatorMessage, "operatorMessage"), cause);
        this.tenantMessage = Objects.requireNonNull(tenantMessage, "tenantMessage");
        this.retryable = retryable;
    }

    /**
     * Creates the exception without a cause.
     *
     * @param tenantMessage what the tenant may see
     * @param operatorMessage what the operator needs to know
     * @param retryable whether a retry can help
     */
    public DriverException(String tenantMessage, String operatorMessage, boolean retryable) {
        this(tenantMessage, operatorMessage, retryable, null);
    }

    /** Returns the message for the tenant. */
    public String tenantMessage() {
        return tenantMessage;
    }

    /** Returns the message for the operator (same as {@link #getMessage()}). */
    public String operatorMessage() {
        return getMessage();
    }

    /** Returns whether the same call may succeed if repeated later. */
    public boolean retryable() {
        return retryable;
    }
}

package org.lbaas.driver.haproxy.internal;

import java.io.UncheckedIOException;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.CommandFailedException;
import org.lbaas.driver.spi.shell.CommandStartException;
import org.lbaas.driver.spi.shell.CommandTimeoutException;

/** Turns what the driver's subsystems throw into the one exception its callers get. */
public final class Failures {

    private Failures() {
    }

    /**
     * Returns {@code e} as a {@link DriverException}: kept when it is one; otherwise retryable
     * for a command that timed out or failed and for a file that could not be written, not
     * retryable for a program that could not be started and for anything else.
     *
     * @param e the failure
     * @param tenantMessage what the tenant is told
     * @param what what was being done, for the operator
     * @return the exception to throw
     */
    public static DriverException asDriverException(RuntimeException e, String tenantMessage, String what) {
        if (e instanceof DriverException d) {
            return d;
        }
        if (e instanceof CommandTimeoutException t) {
            return new DriverException(tenantMessage, what + ": " + t.getMessage(), true, t);
        }
        if (e instanceof CommandStartException s) {
            return new DriverException(tenantMessage, what + ": " + s.getMessage(), false, s);
        }
        if (e instanceof CommandFailedException f) {
            return new DriverException(tenantMessage, what + ": " + f.getMessage(), true, f);
        }
        if (e instanceof UncheckedIOException io) {
            return new DriverException(tenantMessage, what + ": " + io.getMessage(), true, io);
        }
        return new DriverException(tenantMessage, what + ": " + e, false, e);
    }
}

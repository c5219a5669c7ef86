package org.lbaas.cli;

import java.util.List;

/**
 * A step of a command failed for a reason other than its input: the driver, the host, the state
 * directory. The line names the step ({@code deploy: create VIP: ...}). Exit 1.
 */
final class StepFailedException extends CliException {

    private static final long serialVersionUID = 1L;

    StepFailedException(String step, String message, Throwable cause) {
        super(FAILURE, List.of(step + ": " + message), cause);
    }

    StepFailedException(String step, String message) {
        this(step, message, null);
    }
}
